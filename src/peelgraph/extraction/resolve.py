"""Stage 4: Extraction -> Resolved. Makes entities canonical and fills what the text left implicit:
the article's force ("the force", "it") and round, the organisation of a post, the holder of a
post named as a speaker, and the round and currency of each judgement. Facts that cannot stand
(a grade outside its round's scale, an area the round did not grade, a force PEEL does not
inspect) are dropped here, with a note saying why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from peelgraph.extraction import rule_confidence
from peelgraph.gazetteer import Gazetteer, load
from peelgraph.model import Evidence, Extraction, Finding, Judgement, Post, Quote, Resolved

FORCE_POSTS = {
    "chief-constable",
    "deputy-chief-constable",
    "assistant-chief-constable",
    "acting-chief-constable",
    "temporary-chief-constable",
    "commissioner",
    "deputy-commissioner",
    "police-and-crime-commissioner",
    "deputy-police-and-crime-commissioner",
    "acting-police-and-crime-commissioner",
    "police-fire-and-crime-commissioner",
    "mayor",
    "deputy-mayor-for-policing-and-crime",
}
INSPECTOR_POSTS = {"hm-inspector-of-constabulary", "hm-chief-inspector-of-constabulary"}
FORCES_LED_BY_A_COMMISSIONER = {"metropolitan-police-service", "city-of-london-police"}
HMIC_RENAMED_IN_ROUND = 4  # the sequence of PEEL 2017, when HMIC became HMICFRS
DATE_CUE_WEIGHT = 3.0
EXPLICIT_WEIGHT = 3.0
FIVE_POINT_WEIGHT = 1.5  # "adequate" is a grade from 2021/22 on
AREA_WEIGHT = 1.0  # an area graded, shared among the rounds that graded an area so worded
HISTORY_FIT_WEIGHT = 0.5  # a round whose predecessor graded an area an earlier result is given in
TELLING_AREA_ROUNDS = 4  # an area so worded in at most this many rounds tells the round on its own
MOVED_CONFIDENCE = 0.5  # a judgement whose area or grade did not fit its round, moved to one it fits


def resolve(extraction: Extraction, gazetteer: Gazetteer | None = None) -> Resolved:
    gazetteer = gazetteer or load()
    notes: list[str] = []
    main_force = _main_force(extraction)
    round_, round_evidence = _round(extraction, gazetteer)
    inspectorate = _inspectorate(extraction, gazetteer, round_)
    judgements = _judgements(extraction, gazetteer, main_force, round_, notes)
    posts = _posts(extraction, main_force, inspectorate)
    quotes = _quotes(extraction, posts)
    findings = _findings(extraction, main_force, quotes, posts)
    return Resolved(
        article=extraction.article,
        main_force=main_force,
        inspectorate=inspectorate,
        round=round_,
        round_evidence=round_evidence,
        forces=extraction.forces,
        judgements=judgements,
        posts=posts,
        quotes=quotes,
        findings=findings,
        statistics=_statistics(extraction, main_force),
        notes=tuple(notes),
    )


def _main_force(extraction: Extraction) -> str | None:
    counts = Counter(m.force for m in extraction.forces)
    if not counts:
        return None
    first_seen = {m.force: i for i, m in reversed(list(enumerate(extraction.forces)))}
    return max(counts, key=lambda f: (counts[f], -first_seen[f]))


def _last_force_before(extraction: Extraction, position: int) -> str | None:
    """ "The force", "it", "the constabulary": the force most recently named as what a sentence is
    about, as a reader takes it ("the alliance between X and Y" makes neither the topic)."""
    earlier = [m for m in extraction.forces if m.evidence.start < position and m.topic]
    return earlier[-1].force if earlier else None


def _round(extraction: Extraction, gazetteer: Gazetteer) -> tuple[str | None, Evidence | None]:
    """The round with the most weight of evidence (see round_scores); ties go to the earliest round:
    later rounds are only chosen on positive evidence."""
    scores, best_evidence = round_scores(extraction, gazetteer)
    if not scores:
        return None, None
    chosen = max(scores, key=lambda n: (round(scores[n], 6), -gazetteer.rounds[n].sequence))
    return chosen, best_evidence.get(chosen, (0, None))[1]


def round_scores(
    extraction: Extraction, gazetteer: Gazetteer
) -> tuple[Counter[str], dict[str, tuple[float, Evidence]]]:
    """Every round's weight of evidence from every cue together: explicit names, telling phrases,
    the inspectorate's name, datelines and dates, the publication date, the grade scale and the
    wording of the areas graded; and each round's weightiest cue. Area wordings shared by many
    rounds only break ties; with nothing else to go on no round has any weight."""
    scores: Counter[str] = Counter()
    best_evidence: dict[str, tuple[float, Evidence]] = {}
    for cue in extraction.round_cues:
        for notation in cue.rounds:
            scores[notation] += cue.weight
            if cue.weight > best_evidence.get(notation, (0.0, None))[0]:
                best_evidence[notation] = (cue.weight, cue.evidence)
    published = extraction.article.published
    if published:
        dated = gazetteer.round_for_date(published)
        if dated:
            scores[dated.notation] += DATE_CUE_WEIGHT
    current = [j for j in extraction.judgements if j.current and not j.round]
    if any(j.grade == "adequate" for j in current):
        for round_ in gazetteer.rounds.values():
            if round_.five_point:
                scores[round_.notation] += FIVE_POINT_WEIGHT
    for judgement in extraction.judgements:  # "down from good a year earlier": the round before graded it
        if not judgement.current and not judgement.round:
            for round_ in gazetteer.rounds.values():
                earlier = gazetteer.round_by_sequence(round_.sequence - 1)
                if earlier and gazetteer.areas_in_round(judgement.candidates or (judgement.area,), earlier.notation):
                    scores[round_.notation] += HISTORY_FIT_WEIGHT
    area_rounds = [_area_rounds(judgement, gazetteer) for judgement in current]
    if not scores and not any(len(rounds) <= TELLING_AREA_ROUNDS for rounds in area_rounds):
        return Counter(), {}
    for rounds in area_rounds:  # each area graded counts once, shared among the rounds that graded it
        for notation in rounds:
            scores[notation] += AREA_WEIGHT / len(rounds)
    # an article reports a round later than the earlier results it compares with
    history = [
        _earliest_round_of_year(gazetteer, int(j.round[:4])) for j in extraction.judgements if j.round and not j.current
    ]
    not_before = max((r.sequence for r in history if r), default=0)
    explicit = {n for c in extraction.round_cues if c.weight >= EXPLICIT_WEIGHT for n in c.rounds}
    return Counter(
        {n: w for n, w in scores.items() if gazetteer.rounds[n].sequence > not_before or n in explicit}
    ), best_evidence


def _earliest_round_of_year(gazetteer: Gazetteer, year: int):
    """The earliest round a past result of that year can be from: one named after the year, or one
    whose reports were still coming out then (a 2023 report may be PEEL 2021/22's)."""
    named = gazetteer.round_for_year(year)
    return min(
        [*gazetteer.rounds_reporting_in(year), *([named] if named else [])], key=lambda r: r.sequence, default=None
    )


def _area_rounds(judgement: Judgement, gazetteer: Gazetteer) -> frozenset[str]:
    """The rounds that graded an area in the judgement's wording: the rounds whose own wording it is
    ("investigating offending": 2014), or every round that graded its theme ("investigating crime")."""
    areas = [gazetteer.areas[c] for c in judgement.candidates or (judgement.area,)]
    return frozenset().union(*(a.rounds for a in areas))


def _inspectorate(extraction: Extraction, gazetteer: Gazetteer, round_: str | None) -> str | None:
    counts = Counter(m.inspectorate for m in extraction.inspectorates)
    if counts:
        named = counts.most_common(1)[0][0]
        if named == "hmic" and round_ and gazetteer.rounds[round_].sequence > HMIC_RENAMED_IN_ROUND:
            return "hmicfrs"
        return named
    if round_:
        return "hmic" if gazetteer.rounds[round_].sequence < HMIC_RENAMED_IN_ROUND else "hmicfrs"
    return None


def _judgements(extraction, gazetteer, main_force, round_, notes) -> tuple[Judgement, ...]:
    kept: dict[tuple, Judgement] = {}
    stated = {n for c in extraction.round_cues if c.weight >= EXPLICIT_WEIGHT for n in c.rounds}
    # "two years ago ..., before marking it down last year": times ago, nearest first, one round each
    ago = sorted({j.years_before for j in extraction.judgements if j.years_before and not (j.current or j.round)})
    steps = {years: step for step, years in enumerate(ago, start=1)}
    for judgement in extraction.judgements:
        force = judgement.force or _last_force_before(extraction, judgement.evidence.start) or main_force
        own_round = _round_of(judgement, gazetteer, round_, extraction.article.published, steps)
        why = _why_not(gazetteer, force, own_round)
        if why:
            notes.append(f"dropped {judgement.grade} for {judgement.area}: {why} ({judgement.evidence.rule})")
            continue
        current = own_round == round_ if judgement.round else judgement.current
        placed = _place(judgement, gazetteer, own_round)
        if placed is None:
            notes.append(f"dropped {judgement.grade} for {judgement.area}: no round graded it on that scale")
            continue
        areas, placed_round = placed
        evidence = judgement.evidence
        if placed_round != own_round and (judgement.round or own_round in stated):
            notes.append(
                f"dropped {judgement.grade} for {judgement.area}: {own_round}, as the text states, did not grade it so"
            )
            continue
        if placed_round != own_round:
            notes.append(f"{judgement.grade} for {judgement.area} does not fit {own_round}: filed under {placed_round}")
            moved = f"{evidence.rule}+moved-to-fitting-round"
            evidence = replace(
                evidence,
                rule=moved,
                confidence=rule_confidence.confidence(moved, round(evidence.confidence * MOVED_CONFIDENCE, 3)),
            )
            current = current and own_round == round_
        for area in areas:
            resolved = replace(
                judgement, force=force, round=placed_round, area=area, current=current, evidence=evidence
            )
            key = (force, placed_round, area)
            earlier = kept.get(key)
            if earlier and earlier.grade != resolved.grade:
                notes.append(f"two grades in one article for {key}; kept the more confident one")
            if not earlier or _preferred(resolved, earlier):
                kept[key] = resolved
    return tuple(kept.values())


def _preferred(new: Judgement, old: Judgement) -> bool:
    """Of two readings of one judgement, the current one, then the more confident."""
    return (new.current, new.evidence.confidence) > (old.current, old.evidence.confidence)


def _place(judgement: Judgement, gazetteer: Gazetteer, notation: str) -> tuple[tuple[str, ...], str] | None:
    """The round's own area and the round the judgement is filed under: its own round when that
    round graded the area on a scale holding the grade, else the nearest round that did (the area's
    wording and the grade are stated; the round was inferred)."""
    candidates = judgement.candidates or (judgement.area,)
    sequence = gazetteer.rounds[notation].sequence
    for other in sorted(gazetteer.rounds.values(), key=lambda r: (abs(r.sequence - sequence), -r.sequence)):
        if gazetteer.grades[judgement.grade].five_point_only and not other.five_point:
            continue
        areas = gazetteer.areas_in_round(candidates, other.notation)
        if areas:
            return tuple(a.slug for a in areas), other.notation
    return None


def _round_of(judgement: Judgement, gazetteer: Gazetteer, article_round, published, steps) -> str | None:
    """The round a judgement is from: the one it names or dates, the article's, or for an earlier
    result one before the article's: the round of the year it was given in when the article is
    dated, else one round back for each time ago the article gives ("last year": one, "two years
    ago" beside it: two)."""
    written = gazetteer.round_written(judgement.round) if judgement.round else None
    if written:
        return written.notation
    article = gazetteer.rounds[article_round] if article_round else None
    if judgement.round:  # "in 2023"
        year = int(judgement.round[:4])
        named = gazetteer.round_for_year(year)
        if article and not judgement.current:
            named = _round_before(gazetteer, year, article) or named
        return named.notation if named else None
    if judgement.current or not article:
        return article_round
    if judgement.years_before and published:
        then = _round_before(gazetteer, published.year - judgement.years_before, article)
        if then:
            return then.notation
    earlier = gazetteer.round_by_sequence(article.sequence - steps.get(judgement.years_before, 1))
    return earlier.notation if earlier else None


def _round_before(gazetteer: Gazetteer, year: int, article):
    """The round of an earlier result given in a year: the round named after or running through the
    year if it is before the article's, else the latest earlier round whose reports were still coming
    out that year ("in 2023", in a PEEL 2023-25 article: 2021/22, reporting until mid-2023)."""
    named = gazetteer.round_for_year(year)
    if named and named.sequence < article.sequence:
        return named
    earlier = [r for r in gazetteer.rounds_reporting_in(year) if r.sequence < article.sequence]
    return max(earlier, key=lambda r: r.sequence, default=None)


def _why_not(gazetteer: Gazetteer, force, round_) -> str | None:
    if force is None:
        return "no force named"
    if round_ is None:
        return "round unknown"
    if not gazetteer.forces[force].inspected_by_hmicfrs:
        return f"{force} is not inspected under PEEL"
    return None


def _posts(extraction: Extraction, main_force, inspectorate) -> tuple[Post, ...]:
    kept: dict[tuple, Post] = {}
    for post in extraction.posts:
        organisation = post.organisation
        role = post.role
        if organisation is None and (role in FORCE_POSTS or role.endswith("chief-constable")):
            organisation = main_force  # qualified chief officers too: temporary deputy, former
        elif organisation is None and role in INSPECTOR_POSTS:
            organisation = inspectorate
        if organisation in ("hmic", "hmicfrs") and inspectorate in ("hmic", "hmicfrs"):
            organisation = inspectorate
        if role == "commissioner" and organisation not in FORCES_LED_BY_A_COMMISSIONER:
            role = "police-and-crime-commissioner"
        if organisation is None:
            continue
        key = (post.person, role)
        kept.setdefault(key, replace(post, role=role, organisation=organisation))
    return tuple(kept.values())


def _quotes(extraction: Extraction, posts: tuple[Post, ...]) -> tuple[Quote, ...]:
    holders = {p.role: p.person for p in posts}
    for elected in ("police-and-crime-commissioner", "police-fire-and-crime-commissioner"):
        if "commissioner" not in holders and elected in holders:
            holders["commissioner"] = holders[elected]  # "the commissioner" outside London
    surnames = {p.person.split()[-1]: p.person for p in posts}
    inspectorate = None
    if any(q.speaker and q.speaker.startswith("inspectorate:") for q in extraction.quotes):
        gazetteer = load()
        inspectorate = _inspectorate(extraction, gazetteer, _round(extraction, gazetteer)[0])
    resolved = []
    for quote in extraction.quotes:
        speaker = quote.speaker
        if speaker and speaker.startswith("post:"):
            speaker = holders.get(speaker[5:])
        elif speaker and ":" not in speaker and len(speaker.split()) == 1:
            speaker = surnames.get(speaker)
        elif speaker in ("inspectorate:", "inspectorate:hmic", "inspectorate:hmicfrs"):
            # the report's words and the inspectors' are the inspectorate's under its name at the time
            speaker = f"inspectorate:{inspectorate}" if inspectorate in ("hmic", "hmicfrs") else None
        if speaker:
            resolved.append(replace(quote, speaker=speaker))
    return tuple(resolved)


def _findings(extraction: Extraction, main_force, quotes, posts) -> tuple[Finding, ...]:
    """Findings in the article's own voice or the inspectorate's, not in others' quotes."""
    inspectors = {p.person for p in posts if p.role in INSPECTOR_POSTS}
    foreign = [
        (q.evidence.start, q.evidence.end)
        for q in quotes
        if not (q.speaker in inspectors or q.speaker.startswith("inspectorate:"))
    ]
    kept = []
    for finding in extraction.findings:
        inside = any(s <= finding.evidence.start < e or s < finding.evidence.end <= e for s, e in foreign)
        if not inside:
            kept.append(replace(finding, force=finding.force or main_force))
    return tuple(kept)


def _statistics(extraction: Extraction, main_force) -> tuple:
    """Each statistic about the force its sentence names, else the article's main force."""
    return tuple(replace(s, force=s.force or main_force) for s in extraction.statistics)


CONFIDENT_KINDS = ("judgements", "posts", "quotes", "findings", "statistics")


def keep_confident(resolved: Resolved, threshold: float) -> tuple[Resolved, tuple[str, ...]]:
    """Leave out facts whose rule is less sure than the threshold; say which were left out.

    >>> from peelgraph.model import Article, Evidence, Statistic
    >>> fact = Statistic("3", "hours", "over three hours", Evidence(0, 5, "three", "statistic.number-unit", 0.8))
    >>> resolved = Resolved(Article("x", "a.txt"), None, None, None, None, statistics=(fact,))
    >>> kept, left_out = keep_confident(resolved, 0.9)
    >>> kept.statistics, left_out
    ((), ('a.txt: statistics 3 hours left out: confidence 0.8 < 0.9 (statistic.number-unit)',))
    """
    left_out: list[str] = []
    kept = {}
    for kind in CONFIDENT_KINDS:
        facts = getattr(resolved, kind)
        kept[kind] = tuple(f for f in facts if f.evidence.confidence >= threshold)
        for fact in facts:
            if fact.evidence.confidence < threshold:
                left_out.append(
                    f"{resolved.article.source}: {kind} {_summary(fact)} left out: confidence "
                    f"{fact.evidence.confidence:g} < {threshold:g} ({fact.evidence.rule})"
                )
    return replace(resolved, **kept), tuple(left_out)


def _summary(fact) -> str:
    return {
        Judgement: lambda f: f"{f.force} {f.round} {f.area} {f.grade}",
        Post: lambda f: f"{f.person} ({f.role})",
        Quote: lambda f: f"{f.speaker}: {f.text[:40]}",
        Finding: lambda f: f"{f.kind}: {f.text[:40]}",
    }.get(type(fact), lambda f: f"{f.value} {f.unit}")(fact)
