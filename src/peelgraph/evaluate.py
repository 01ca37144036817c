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
from peelgraph.pipeline import ingest
from peelgraph.querying import run
from peelgraph.store import Store

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
class Evaluation:
    scores: dict[str, Score]
    round_correct: int = 0
    round_total: int = 0
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
        lines.append(f"round accuracy of matched judgements: {self.round_accuracy:.3f} ({self.round_correct}/{self.round_total})")
        lines.append(
            f"articles without a grade that got judgements: {len(self.no_grade_articles_with_judgements)}"
            f" of {self.no_grade_articles}"
        )
        return "\n".join(lines) + "\n"

    def details(self) -> str:
        lines = []
        for kind, s in self.scores.items():
            lines += [f"miss  {kind}: {m}" for m in s.misses]
            lines += [f"false {kind}: {m}" for m in s.false_facts]
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
    gold: dict[str, dict] = {}
    for file in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise InputError(f"{file}: not a readable gold file: {error}") from error
        if not isinstance(data, dict) or "article" not in data:
            raise InputError(f"{file}: a gold file needs an \"article\" key")
        gold[data["article"]] = data
    if not gold:
        raise InputError(f"{gold_dir}: no gold files (*.json)")
    return gold


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


def evaluate(articles_dir: str | Path, gold_dir: str | Path) -> Evaluation:
    gold = load_gold(gold_dir)
    with Store() as store:
        summary = ingest(store, [articles_dir])
        rows = {name: run(store, name).records() for name in ("judgements", "people", "quotes", "findings", "statistics")}
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
    return evaluation


def _judgement_key(item: dict) -> tuple:
    current = item["current"] if isinstance(item["current"], bool) else item["current"] == "true"
    return (item["force"], item["area"], item["grade"], current)


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
            score.false_fact(f"{article}: {key} from \"{item.get('evidence', '')[:100]}\"")
            continue
        if key in required:
            score.hit()
        evaluation.round_total += 1
        evaluation.round_correct += gold_item["round"] == item["round"]
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
    remaining = list(found)
    for item in expected.get("quotes", []):
        speaker, start = _speaker_key(item["speaker"]), _plain(item["starts_with"])
        match = next(
            (q for q in remaining if _plain(q["quote"]).startswith(start) and _speaker_key(q["speaker"]) == speaker),
            None,
        )
        if match:
            score.hit()
            remaining.remove(match)
        else:
            score.miss(f"{article}: {item['speaker']}: \"{item['starts_with']}\"")
    for quote in remaining:
        score.false_fact(f"{article}: {quote['speaker']}: \"{quote['quote'][:60]}\"")


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


def _statistics(score: Score, article: str, expected: dict, found: list[dict]) -> None:
    def value(v: str) -> str:
        return str(float(v.replace(",", ""))).removesuffix(".0")

    wanted = {(value(s["value"]), _plain(s["unit"])): f"{s['value']} {s['unit']}" for s in expected.get("statistics", [])}
    got = {(value(s["value"]), _plain(s["unit"])): f"{s['value']} {s['unit']}" for s in found}
    _match_sets(score, article, wanted, got)
