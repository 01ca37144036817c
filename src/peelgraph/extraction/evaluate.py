"""Measure extraction against gold files: precision, recall and F1 per fact kind, round accuracy,
and every miss and false fact with its article.

The articles are built into an in-memory store and read back through the named queries, so the
figures measure what users get, not an intermediate structure.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from peelgraph import gazetteer
from peelgraph.errors import InputError
from peelgraph.extraction.statistics import NUMBER_WORDS
from peelgraph.pipeline.compose import ingest
from peelgraph.rdf.vocab import with_prefixes
from peelgraph.store import EmbeddedStore, named
from peelgraph.store.querying import run

FINDING_KINDS = {
    "causes_of_concern": "cause of concern",
    "areas_for_improvement": "area for improvement",
    "recommendations": "recommendation",
    "good_practice": "good practice",
}
STOPWORDS = set("the a an of to and in on for its it is be that with by at as are was their this from or".split())
FINDING_OVERLAP = 0.5


def _plain(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("'", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9% ]+", " ", text).split())


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)
    false_facts: list[str] = field(default_factory=list)

    def hit(self) -> None:
        self.true_positives += 1

    def miss(self, description: str) -> None:
        self.false_negatives += 1
        self.misses.append(description)

    def false_fact(self, description: str) -> None:
        self.false_positives += 1
        self.false_facts.append(description)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class RuleScore:
    """How often one rule's facts were right against the gold."""

    kind: str
    true: int = 0
    false: int = 0

    @property
    def precision(self) -> float:
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def confidence(self) -> float:
        """The precision with one right and one wrong fact added (Laplace): a rule seen a few
        times is not called certain."""
        return (self.true + 1) / (self.true + self.false + 2)


@dataclass
class Evaluation:
    scores: dict[str, Score]
    round_correct: int = 0
    round_total: int = 0
    wrong_rounds: list[str] = field(default_factory=list)
    rules: dict[str, RuleScore] = field(default_factory=dict)
    articles: int = 0
    no_grade_articles: int = 0
    no_grade_articles_with_judgements: list[str] = field(default_factory=list)

    @property
    def round_accuracy(self) -> float:
        return self.round_correct / self.round_total if self.round_total else 1.0

    def table(self) -> str:
        lines = [f"{'fact kind':<14} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}"]
        for kind, s in self.scores.items():
            lines.append(
                f"{kind:<14} {s.true_positives:>4} {s.false_positives:>4} {s.false_negatives:>4} "
                f"{s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}"
            )
        lines.append(
            f"round accuracy of matched judgements: {self.round_accuracy:.3f} ({self.round_correct}/{self.round_total})"
        )
        lines.append(
            f"articles without a grade that got judgements: {len(self.no_grade_articles_with_judgements)}"
            f" of {self.no_grade_articles}"
        )
        return "\n".join(lines) + "\n"

    def rules_table(self) -> str:
        lines = [f"{'rule':<52} {'kind':<11} {'right':>5} {'wrong':>5} {'precision':>9} {'confidence':>10}"]
        for rule, s in sorted(self.rules.items(), key=lambda item: (item[1].kind, item[0])):
            lines.append(f"{rule:<52} {s.kind:<11} {s.true:>5} {s.false:>5} {s.precision:>9.3f} {s.confidence:>10.3f}")
        return "\n".join(lines) + "\n"

    def rules_csv(self) -> str:
        lines = ["rule,kind,right,wrong,precision,confidence"]
        for rule, s in sorted(self.rules.items()):
            lines.append(f"{rule},{s.kind},{s.true},{s.false},{s.precision:.3f},{s.confidence:.3f}")
        return "\n".join(lines) + "\n"

    def details(self) -> str:
        lines = []
        for kind, s in self.scores.items():
            lines += [f"miss  {kind}: {m}" for m in s.misses]
            lines += [f"false {kind}: {m}" for m in s.false_facts]
        lines += [f"round judgements: {m}" for m in self.wrong_rounds]
        return "\n".join(lines) + ("\n" if lines else "")

    def to_json(self) -> str:
        data = {
            "articles": self.articles,
            "round_accuracy": self.round_accuracy,
            "no_grade_articles_with_judgements": self.no_grade_articles_with_judgements,
            "scores": {
                kind: {**asdict(s), "precision": s.precision, "recall": s.recall, "f1": s.f1}
                for kind, s in self.scores.items()
            },
        }
        return json.dumps(data, indent=2) + "\n"


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """Every gold file's annotations by article. A file that cannot be scored (not JSON, a missing
    key, a value of the wrong type) is an InputError naming the file and the field, in one line."""
    gold: dict[str, dict] = {}
    for file in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(f"{file}: not a readable gold file: {' '.join(str(error).split())}") from error
        _check_gold(file, data)
        gold[data["article"]] = data
    if not gold:
        raise InputError(f"{gold_dir}: no gold files (*.json)")
    return gold


# Per list in a gold file: the keys each item needs and the types they may have. Finding lists
# hold strings. A judgement's currency is under "current" or "is_current".
_TEXT = (str,)
_GOLD_ITEMS = {
    "judgements": {"force": _TEXT, "area": _TEXT, "grade": _TEXT},
    "people": {"name": _TEXT, "role": _TEXT},
    "quotes": {"speaker": _TEXT, "starts_with": _TEXT},
    "statistics": {"value": (str, int, float), "unit": _TEXT},
}


def _check_gold(file: Path, data) -> None:
    def bad(field: str, why: str) -> InputError:
        return InputError(f"{file}: field {field}: {why}")

    if not isinstance(data, dict):
        raise InputError(f"{file}: a gold file is a JSON object")
    if not isinstance(data.get("article"), str):
        raise bad("article", "missing" if "article" not in data else "not a string")
    for key, needs in _GOLD_ITEMS.items():
        items = data.get(key, [])
        if not isinstance(items, list):
            raise bad(key, "not a list")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise bad(f"{key}[{i}]", "not an object")
            for name, types in needs.items():
                if name not in item:
                    raise bad(f"{key}[{i}].{name}", "missing")
                if isinstance(item[name], bool) or not isinstance(item[name], types):
                    raise bad(
                        f"{key}[{i}].{name}",
                        f"{type(item[name]).__name__}, not {' or '.join(t.__name__ for t in types)}",
                    )
            if key == "judgements":
                current = item.get("current", item.get("is_current"))
                if not (isinstance(current, bool) or current in ("true", "false")):
                    raise bad(f"{key}[{i}].current", "missing" if current is None else "not true or false")
                if not isinstance(item.get("round", ""), str):
                    raise bad(f"{key}[{i}].round", "not a string")
            if key == "statistics" and _gold_number(item["value"]) is None:
                raise bad(f"{key}[{i}].value", f"not a number: {item['value']!r}")
    for key in FINDING_KINDS:
        items = data.get(key, [])
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
            raise bad(key, "not a list of strings")


# Statistic values as gold writes them: digits with thousands commas ("1,048"), decimals ("15.8"),
# number words ("three", "twenty-one"), an approximate qualifier ("around 600,000", "over three",
# "nearly 65,000"; the qualifier is dropped), a multiplier ("1.2 million") and "N in M" ratios,
# which are scored as the fraction N/M to four decimal places ("1 in 3" -> 0.3333).
# Gold values are written in words as well as digits ("twelve", "a hundred"); hundreds and up are scales.
_NUMBER_WORDS = {
    **{word: value for word, value in NUMBER_WORDS.items() if value < 100},
    "zero": 0,
    "a": 1,
    "an": 1,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_QUALIFIER = re.compile(
    r"^(?:(?:around|about|approximately|approx\.?|roughly|some|nearly|almost|over|more than|less than|"
    r"fewer than|under|up to|at least|at most|just|only|below|above|circa|c\.|~|<|>)\s*)+",
    re.I,
)


def _gold_number(value) -> float | None:
    """A statistic's value as a number, or None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = _QUALIFIER.sub("", str(value).strip().lower()).strip()
    ratio = re.fullmatch(r"(.+?)\s+(?:in|out of)\s+(?:every\s+)?(.+)", text)
    if ratio:
        part, whole = _gold_number(ratio.group(1)), _gold_number(ratio.group(2))
        return round(part / whole, 4) if part is not None and whole else None
    text = text.replace(",", "").removesuffix("%").strip()
    try:
        return float(text)
    except ValueError:
        pass
    total, current = 0.0, None
    for word in re.split(r"[\s-]+", text.replace(" and ", " ")):
        try:
            number = float(word)
        except ValueError:
            number = _NUMBER_WORDS.get(word)
        if number is not None:
            current = (current or 0) + number
        elif word in _SCALES and (current is not None or word != "hundred"):
            current = (current if current is not None else 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, None
        else:
            return None
    if current is None and total == 0:
        return None
    return total + (current or 0)


def _speaker_key(name: str) -> str:
    wanted = _plain(name)
    g = gazetteer.load()
    for body in (*g.organisations.values(), *g.inspectorates.values(), *g.forces.values()):
        names = {body.name, getattr(body, "short_name", ""), *body.aliases}
        if wanted in {_plain(n) for n in names if n}:
            return "org:" + body.slug
    return wanted


def _content_words(text: str) -> set[str]:
    return {w for w in _plain(text).split() if w not in STOPWORDS and len(w) > 2}


def _finding_matches(gold_text: str, found_text: str) -> bool:
    wanted = _content_words(gold_text)
    return bool(wanted) and len(wanted & _content_words(found_text)) / len(wanted) >= FINDING_OVERLAP


# The node each named query lists, whose evidence names the rule that read it.
FACT_NODES = {
    "judgements": "?judgement",
    "people": "?membership",
    "quotes": "?quoteNode",
    "findings": "?finding",
    "statistics": "?statistic",
}


def _with_rule(kind: str) -> str:
    """The named query of a fact kind with the rule of each row's evidence as one more column."""
    text = named.source(kind).replace("SELECT ", "SELECT ?rule ", 1)
    rule = f"GRAPH ?g {{\n    ?ruleAnnotation oa:hasBody {FACT_NODES[kind]} ; peel:rule ?rule ."
    return with_prefixes(text.replace("GRAPH ?g {", rule, 1))


def evaluate(articles_dir: str | Path, gold_dir: str | Path) -> Evaluation:
    gold = load_gold(gold_dir)
    with EmbeddedStore() as store:
        summary = ingest(store, [articles_dir])
        rows = {name: run(store, name).records() for name in FACT_NODES}
        ruled = {name: run(store, _with_rule(name)).records() for name in FACT_NODES}
    by_article: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for name, records in rows.items():
        for record in records:
            by_article[record["article"]][name].append(record)
    evaluation = Evaluation(scores={k: Score() for k in ("judgements", "people", "quotes", "findings", "statistics")})
    known = {r.source for r in summary.results}
    for article, expected in gold.items():
        if article not in known:
            continue
        evaluation.articles += 1
        found = by_article.get(article, {})
        _judgements(evaluation, article, expected, found.get("judgements", []))
        _people(evaluation.scores["people"], article, expected, found.get("people", []))
        _quotes(evaluation.scores["quotes"], article, expected, found.get("quotes", []))
        _findings(evaluation.scores["findings"], article, expected, found.get("findings", []))
        _statistics(evaluation.scores["statistics"], article, expected, found.get("statistics", []))
    for kind, records in ruled.items():
        for record in records:
            expected = gold.get(record["article"])
            if expected is not None and record["article"] in known:
                rule = evaluation.rules.setdefault(record["rule"], RuleScore(kind))
                rule.true += CORRECT[kind](record, expected)
                rule.false += not CORRECT[kind](record, expected)
    return evaluation


def _judgement_is_gold(row: dict, expected: dict) -> bool:
    return _judgement_key(row) in {_judgement_key(j) for j in expected.get("judgements", [])}


def _person_is_gold(row: dict, expected: dict) -> bool:
    return (_plain(row["person"]), _plain(row["role"])) in {
        (_plain(p["name"]), _plain(p["role"])) for p in expected.get("people", [])
    }


def _quote_is_gold(row: dict, expected: dict) -> bool:
    return any(
        _opens_with(row, item) or _opens_with(row, item, later_paragraph=True) for item in expected.get("quotes", [])
    )


def _finding_is_gold(row: dict, expected: dict) -> bool:
    return any(
        kind == row["kind"] and _finding_matches(text, row["text"])
        for gold_key, kind in FINDING_KINDS.items()
        for text in expected.get(gold_key, [])
    )


def _statistic_is_gold(row: dict, expected: dict) -> bool:
    return _statistic_key(row) in {_statistic_key(s) for s in expected.get("statistics", [])}


CORRECT = {
    "judgements": _judgement_is_gold,
    "people": _person_is_gold,
    "quotes": _quote_is_gold,
    "findings": _finding_is_gold,
    "statistics": _statistic_is_gold,
}


def _judgement_key(item: dict) -> tuple:
    current = item.get("current", item.get("is_current"))
    current = current if isinstance(current, bool) else current == "true"
    return (item["force"], _own_area_label(item.get("round", ""), item["area"]), item["grade"], current)


def _own_area_label(notation: str, label: str) -> str:
    """An area as its round worded it: gold written with a cross-round theme's name ("investigating
    crime" in 2014) is compared in the round's own wording ("investigating offending")."""
    g = gazetteer.load()
    wanted = _plain(label)
    named = [a for a in g.areas.values() if wanted in {_plain(n) for n in (a.label, *a.match_labels)}]
    if notation not in g.rounds or not named:
        return label
    own = g.area_in_round(tuple(a.slug for a in sorted(named, key=lambda a: a.theme is None)), notation)
    return own.label if own else label


def _judgements(evaluation: Evaluation, article: str, expected: dict, found: list[dict]) -> None:
    score = evaluation.scores["judgements"]
    gold_items = expected.get("judgements", [])
    required = {_judgement_key(j): j for j in gold_items if not j.get("optional")}
    optional = {_judgement_key(j): j for j in gold_items if j.get("optional")}
    predicted = {_judgement_key(j): j for j in found}
    if not gold_items:
        evaluation.no_grade_articles += 1
        if predicted:
            evaluation.no_grade_articles_with_judgements.append(article)
    for key, item in predicted.items():
        gold_item = required.get(key) or optional.get(key)
        if gold_item is None:
            score.false_fact(f'{article}: {key} from "{item.get("evidence", "")[:100]}"')
            continue
        if key in required:
            score.hit()
        evaluation.round_total += 1
        evaluation.round_correct += gold_item["round"] == item["round"]
        if gold_item["round"] != item["round"]:
            evaluation.wrong_rounds.append(f"{article}: {key} in {item['round']}, not {gold_item['round']}")
    for key in required.keys() - predicted.keys():
        score.miss(f"{article}: {key} round {required[key]['round']}")


def _match_sets(score: Score, article: str, wanted: dict, got: dict) -> None:
    for _ in wanted.keys() & got.keys():
        score.hit()
    for key in sorted(wanted.keys() - got.keys()):
        score.miss(f"{article}: {wanted[key]}")
    for key in sorted(got.keys() - wanted.keys()):
        score.false_fact(f"{article}: {got[key]}")


def _people(score: Score, article: str, expected: dict, found: list[dict]) -> None:
    wanted = {(_plain(p["name"]), _plain(p["role"])): f"{p['name']} ({p['role']})" for p in expected.get("people", [])}
    got = {(_plain(p["person"]), _plain(p["role"])): f"{p['person']} ({p['role']})" for p in found}
    _match_sets(score, article, wanted, got)


def _quotes(score: Score, article: str, expected: dict, found: list[dict]) -> None:
    """A gold quote is found by a quote of its speaker that opens with its words. Gold that lists
    each paragraph of a quotation running over several paragraphs as a quote of its own is found
    by the one quotation holding them all, a paragraph opening with its words."""
    remaining = list(found)
    for item in expected.get("quotes", []):
        match = next((q for q in remaining if _opens_with(q, item)), None)
        if match:
            score.hit()
            remaining.remove(match)
        elif any(_opens_with(q, item, later_paragraph=True) for q in found):
            score.hit()
        else:
            score.miss(f'{article}: {item["speaker"]}: "{item["starts_with"]}"')
    for quote in remaining:
        if not _holds_found_paragraph(quote, expected):
            score.false_fact(f'{article}: {quote["speaker"]}: "{quote["quote"][:60]}"')


def _holds_found_paragraph(quote: dict, expected: dict) -> bool:
    """Whether a quotation was credited above for a gold paragraph it holds (so is not false)."""
    return any(_opens_with(quote, item, later_paragraph=True) for item in expected.get("quotes", []))


def _opens_with(quote: dict, item: dict, later_paragraph: bool = False) -> bool:
    """Whether a found quote is the gold quote's speaker's and opens with its words (or, with
    later_paragraph, has a later paragraph that does)."""
    if _speaker_key(quote["speaker"]) != _speaker_key(item["speaker"]):
        return False
    parts = _later_paragraphs(quote["quote"]) if later_paragraph else [_plain(quote["quote"])]
    return any(part.startswith(_plain(item["starts_with"])) for part in parts)


def _later_paragraphs(text: str) -> list[str]:
    """The words after each paragraph break or opening quotation mark inside a quote."""
    return [_plain(part) for part in re.split(r"\n+|“|(?<=\s)\"", text)[1:] if part.strip()]


def _findings(score: Score, article: str, expected: dict, found: list[dict]) -> None:
    """A gold finding is found when a finding of its kind holds most of its words; one sentence
    may hold several gold findings."""
    matched_found: set[int] = set()
    for gold_key, kind in FINDING_KINDS.items():
        for text in expected.get(gold_key, []):
            hits = [i for i, f in enumerate(found) if f["kind"] == kind and _finding_matches(text, f["text"])]
            if hits:
                score.hit()
                matched_found.update(hits)
            else:
                score.miss(f"{article}: {kind}: {text}")
    for i, f in enumerate(found):
        if i not in matched_found:
            score.false_fact(f"{article}: {f['kind']}: {f['text'][:80]}")


def _statistic_key(item: dict) -> tuple[str, str]:
    number = _gold_number(item["value"])
    return (str(number).removesuffix(".0") if number is not None else str(item["value"])), _plain(item["unit"])


def _statistics(score: Score, article: str, expected: dict, found: list[dict]) -> None:
    wanted = {_statistic_key(s): f"{s['value']} {s['unit']}" for s in expected.get("statistics", [])}
    got = {_statistic_key(s): f"{s['value']} {s['unit']}" for s in found}
    _match_sets(score, article, wanted, got)
