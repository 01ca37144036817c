"""Extraction quality floors: a regression below them fails CI."""

import json

import pytest

from peelgraph.errors import InputError
from peelgraph.extraction.evaluate import _gold_number, _judgement_key, evaluate, load_gold
from tests.conftest import DEV, DEV_GOLD, HELDOUT, HELDOUT_GOLD, REAL, REAL_GOLD, SAMPLE_GOLD, SAMPLES, SEED_GOLD, SEEDS

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"the real articles are read from {REAL}, absent here")


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are read from {SEEDS}, absent here")
    return evaluate(SEEDS, SEED_GOLD)


def test_seed_floors(seeds):
    judgements, people, quotes = seeds.scores["judgements"], seeds.scores["people"], seeds.scores["quotes"]
    assert (judgements.precision, judgements.recall) == (1.0, 1.0), seeds.details()
    assert people.f1 == 1.0, seeds.details()
    assert quotes.f1 >= 0.9, seeds.details()
    assert seeds.round_accuracy == 1.0


# Floors at what the rules reach on the development corpus and samples; raise them as rules improve.
DEV_FLOORS = {"judgements": (0.96, 0.95), "people": (1.0, 0.93), "quotes": (1.0, 0.91)}
SAMPLE_FLOORS = {"judgements": (1.0, 0.93), "people": (1.0, 0.95), "quotes": (0.92, 0.92)}


def _f1_floors(evaluation, floors: dict[str, float]) -> list[str]:
    return [
        f"{kind} F1 {evaluation.scores[kind].f1:.3f} < {floor}"
        for kind, floor in floors.items()
        if evaluation.scores[kind].f1 < floor
    ]


@needs_real
def test_real_coverage_floors():
    """Real published articles, rewritten sentence by sentence: what the rules must hold on
    reporting nobody here wrote."""
    evaluation = evaluate(REAL, REAL_GOLD)
    judgements = evaluation.scores["judgements"]
    assert judgements.precision >= 0.97 and judgements.recall >= 0.94, evaluation.table() + evaluation.details()
    assert evaluation.round_accuracy >= 0.95, evaluation.details()
    floors = {"people": 0.95, "quotes": 0.92, "findings": 0.70, "statistics": 0.80}
    assert _f1_floors(evaluation, floors) == [], evaluation.table()
    assert evaluation.no_grade_articles == 5 and evaluation.no_grade_articles_with_judgements == []


# Articles written from real facts after the rules, modelled on real coverage: a check that the
# rules carry over to reporting they were not written for (floors a little under what they reach).
HELD_OUT_FLOORS = {
    "heldout": ((0.94, 0.89), 0.97, {"people": 0.97, "quotes": 0.9, "findings": 0.55, "statistics": 0.8}),
    "heldout2": ((0.96, 0.92), 0.89, {"people": 0.95, "quotes": 0.88, "findings": 0.45, "statistics": 0.6}),
    "heldout3": ((0.96, 0.85), 0.97, {"people": 0.93, "quotes": 0.93, "findings": 0.5, "statistics": 0.65}),
}


@pytest.mark.parametrize("name", HELD_OUT_FLOORS)
def test_held_out_floors(name):
    (precision, recall), rounds, floors = HELD_OUT_FLOORS[name]
    evaluation = evaluate(HELDOUT.parent / name, HELDOUT_GOLD.parent / name)
    judgements = evaluation.scores["judgements"]
    assert judgements.precision >= precision and judgements.recall >= recall, evaluation.table() + evaluation.details()
    assert evaluation.round_accuracy >= rounds, evaluation.details()
    assert _f1_floors(evaluation, floors) == [], evaluation.table()
    assert evaluation.no_grade_articles_with_judgements == []


@pytest.mark.parametrize("articles, gold, floors", [(DEV, DEV_GOLD, DEV_FLOORS), (SAMPLES, SAMPLE_GOLD, SAMPLE_FLOORS)])
def test_corpus_floors(articles, gold, floors):
    evaluation = evaluate(articles, gold)
    for kind, (precision, recall) in floors.items():
        score = evaluation.scores[kind]
        assert score.precision >= precision and score.recall >= recall, (kind, evaluation.table())
    assert evaluation.no_grade_articles_with_judgements == []


def test_json_report(seeds, tmp_path):
    data = json.loads(seeds.to_json())
    assert data["scores"]["judgements"]["precision"] == 1.0 and data["articles"] == 2


def _gold_dir(tmp_path, gold):
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps({"article": "a.txt", **gold}), encoding="utf-8")
    return folder


def test_gold_reads_current_or_is_current(tmp_path):
    judgement = {"force": "Kent Police", "area": "efficiency", "grade": "good", "round": "2017"}
    gold = load_gold(_gold_dir(tmp_path, {"judgements": [{**judgement, "is_current": False}]}))
    assert _judgement_key(gold["a.txt"]["judgements"][0]) == ("Kent Police", "efficiency", "good", False)


@pytest.mark.parametrize(
    "written, number",
    [
        ("1,048", 1048.0),
        ("15.8", 15.8),
        ("around 600,000", 600000.0),
        ("over three", 3.0),
        ("twenty-one", 21.0),
        ("1 in 3", 0.3333),
        (7, 7.0),
        ("nearly 2.5 million", 2500000.0),
    ],
)
def test_gold_statistic_values_are_normalised(written, number):
    assert _gold_number(written) == number


@pytest.mark.parametrize(
    "gold, field",
    [
        ({"statistics": [{"unit": "forces"}]}, "statistics[0].value"),
        ({"statistics": [{"value": "lots", "unit": "forces"}]}, "statistics[0].value"),
        ({"judgements": [{"force": "Kent Police", "area": "efficiency", "grade": "good"}]}, "judgements[0].current"),
        ({"judgements": "none"}, "judgements"),
        ({"people": [{"name": "Ann Lee", "role": 3}]}, "people[0].role"),
        ({"areas_for_improvement": [["nested"]]}, "areas_for_improvement"),
    ],
)
def test_a_bad_gold_file_is_named_with_its_field(tmp_path, gold, field):
    folder = _gold_dir(tmp_path, gold)
    with pytest.raises(InputError) as raised:
        load_gold(folder)
    message = str(raised.value)
    assert "a.json" in message and f"field {field}:" in message and "\n" not in message


def test_each_rule_is_scored_and_its_confidence_is_what_facts_carry(tmp_path):
    from peelgraph.extraction import extract
    from peelgraph.extraction.rule_confidence import measured
    from peelgraph.model import Article

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(
        "In PEEL 2016 Kent Police was rated good at investigating crime and inadequate at legitimacy."
    )
    gold = {
        "article": "a.txt",
        "judgements": [
            {"force": "Kent Police", "round": "2016", "area": "investigating crime", "grade": "good", "current": True}
        ],
    }
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.json").write_text(json.dumps(gold))
    evaluation = evaluate(tmp_path / "articles", tmp_path / "gold")
    rule = evaluation.rules["judgement.grade-then-area"]
    assert (rule.kind, rule.true, rule.false, rule.precision, rule.confidence) == ("judgements", 1, 1, 0.5, 0.5)
    assert "judgement.grade-then-area,judgements,1,1,0.500,0.500" in evaluation.rules_csv()
    [found, *_] = extract(Article("Kent Police was rated good at investigating crime.", "k.txt")).judgements
    assert found.evidence.confidence == measured()["judgement.grade-then-area"]
