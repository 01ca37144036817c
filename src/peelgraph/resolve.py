"""Stage 4: Extraction -> Resolved. Makes entities canonical and fills what the text left implicit:
the article's force ("the force", "it") and round, the organisation of a post, the holder of a
post named as a speaker, and the round and currency of each judgement. Facts that cannot stand
(a grade outside its round's scale, an area the round did not grade, a force PEEL does not
inspect) are dropped here, with a note saying why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from peelgraph.gazetteer import Gazetteer, load
from peelgraph.model import Evidence, Extraction, Finding, Judgement, Post, Quote, Resolved

FORCE_POSTS = {
    "chief-constable", "deputy-chief-constable", "assistant-chief-constable", "acting-chief-constable",
    "temporary-chief-constable", "commissioner", "deputy-commissioner", "police-and-crime-commissioner",
    "deputy-police-and-crime-commissioner", "acting-police-and-crime-commissioner", "mayor",
    "deputy-mayor-for-policing-and-crime",
}
INSPECTOR_POSTS = {"hm-inspector-of-constabulary", "hm-chief-inspector-of-constabulary"}
FORCES_LED_BY_A_COMMISSIONER = {"metropolitan-police-service", "city-of-london-police"}
HMIC_RENAMED_IN_ROUND = 4  # the sequence of PEEL 2017, when HMIC became HMICFRS
DATE_CUE_WEIGHT = 2.0
EXPLICIT_WEIGHT = 3.0
INSPECTORATE_CUE_WEIGHT = 0.5


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
        statistics=extraction.statistics,
        notes=tuple(notes),
    )


def _main_force(extraction: Extraction) -> str | None:
    counts = Counter(m.force for m in extraction.forces)
    if not counts:
        return None
    first_seen = {m.force: i for i, m in reversed(list(enumerate(extraction.forces)))}
    return max(counts, key=lambda f: (counts[f], -first_seen[f]))


def _last_force_before(extraction: Extraction, position: int) -> str | None:
    """"The force", "it", "the constabulary": the force named most recently before, as a reader takes it."""
    earlier = [m for m in extraction.forces if m.evidence.start < position]
    return earlier[-1].force if earlier else None


def _round(extraction: Extraction, gazetteer: Gazetteer) -> tuple[str | None, Evidence | None]:
    """The round with the most weight of evidence: explicit names, telling phrases, dates, inspectorate."""
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
    named = {m.inspectorate for m in extraction.inspectorates}
    for round_ in gazetteer.rounds.values():
        if "hmic" in named and round_.sequence <= HMIC_RENAMED_IN_ROUND:
            scores[round_.notation] += INSPECTORATE_CUE_WEIGHT / 4
        if "hmicfrs" in named and round_.sequence >= HMIC_RENAMED_IN_ROUND:
            scores[round_.notation] += INSPECTORATE_CUE_WEIGHT / 4
    # an article reports a round later than the earlier results it compares with
    history = [gazetteer.round_for_year(int(j.round[:4])) for j in extraction.judgements if j.round and not j.current]
    not_before = max((r.sequence for r in history if r), default=0)
    grades = {j.grade for j in extraction.judgements if j.current}
    if "adequate" in grades:
        for round_ in gazetteer.rounds.values():
            if round_.five_point:
                scores[round_.notation] += 1.0
    explicit = {n for c in extraction.round_cues if c.weight >= EXPLICIT_WEIGHT for n in c.rounds}
    scores = Counter({n: w for n, w in scores.items() if gazetteer.rounds[n].sequence > not_before or n in explicit})
    if not scores:
        return None, None
    # ties go to the earliest round: later rounds are only chosen on positive evidence
    chosen = max(scores, key=lambda n: (scores[n], -gazetteer.rounds[n].sequence))
    return chosen, best_evidence.get(chosen, (0, None))[1]


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
    for judgement in extraction.judgements:
        force = judgement.force or _last_force_before(extraction, judgement.evidence.start) or main_force
        own_round = _round_of(judgement, gazetteer, round_)
        why = _why_not(gazetteer, force, own_round, judgement)
        if why:
            notes.append(f"dropped {judgement.grade} for {judgement.area}: {why} ({judgement.evidence.rule})")
            continue
        area = judgement.area
        current = own_round == round_ if judgement.round else judgement.current
        resolved = replace(judgement, force=force, round=own_round, area=area, current=current)
        key = (force, own_round, area)
        earlier = kept.get(key)
        if earlier and earlier.grade != resolved.grade:
            notes.append(f"two grades in one article for {key}; kept the more confident one")
        if not earlier or resolved.evidence.confidence > earlier.evidence.confidence:
            kept[key] = resolved
    return tuple(kept.values())


def _round_of(judgement: Judgement, gazetteer: Gazetteer, article_round: str | None) -> str | None:
    if judgement.round:
        named = gazetteer.rounds.get(judgement.round) or gazetteer.round_for_year(int(judgement.round[:4]))
        return named.notation if named else None
    if judgement.current:
        return article_round
    if article_round:  # "up from good at its last inspection": the round before
        earlier = gazetteer.round_by_sequence(gazetteer.rounds[article_round].sequence - 1)
        return earlier.notation if earlier else None
    return None


def _why_not(gazetteer: Gazetteer, force, round_, judgement: Judgement) -> str | None:
    if force is None:
        return "no force named"
    if round_ is None:
        return "round unknown"
    if not gazetteer.forces[force].inspected_by_hmicfrs:
        return f"{force} is not inspected under PEEL"
    if round_ not in gazetteer.areas[judgement.area].rounds:
        return f"{judgement.area} was not graded in {round_}"
    if gazetteer.grades[judgement.grade].five_point_only and not gazetteer.rounds[round_].five_point:
        return f"{judgement.grade} is not a grade in {round_}"
    return None


def _posts(extraction: Extraction, main_force, inspectorate) -> tuple[Post, ...]:
    kept: dict[tuple, Post] = {}
    for post in extraction.posts:
        organisation = post.organisation
        role = post.role
        if organisation is None and role in FORCE_POSTS:
            organisation = main_force
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
    if "commissioner" not in holders and "police-and-crime-commissioner" in holders:
        holders["commissioner"] = holders["police-and-crime-commissioner"]  # "the commissioner" outside London
    surnames = {p.person.split()[-1]: p.person for p in posts}
    resolved = []
    for quote in extraction.quotes:
        speaker = quote.speaker
        if speaker and speaker.startswith("post:"):
            speaker = holders.get(speaker[5:])
        elif speaker and ":" not in speaker and len(speaker.split()) == 1:
            speaker = surnames.get(speaker)
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


CONFIDENT_KINDS = ("judgements", "posts", "quotes", "findings", "statistics")


def keep_confident(resolved: Resolved, threshold: float) -> tuple[Resolved, tuple[str, ...]]:
    """Leave out facts whose rule is less sure than the threshold; say which were left out.

    >>> from peelgraph.model import Article, Evidence, Statistic
    >>> fact = Statistic("3", "hours", "over three hours", Evidence(0, 5, "three", "statistic.number-unit", 0.8))
    >>> kept, left_out = keep_confident(Resolved(Article("x", "a.txt"), None, None, None, None, statistics=(fact,)), 0.9)
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
