"""The round of an article from explicit names, telling phrases and dates."""

from datetime import date

import pytest

from tests.conftest import facts

SENTENCE = "Kent Police was rated good at investigating crime."


@pytest.mark.parametrize(
    "text, metadata, expected",
    [
        ("PEEL 2016: " + SENTENCE, {}, "2016"),
        ("The 2021/22 PEEL inspection found this. Kent Police was rated adequate at investigating crime.", {}, "2021/22"),
        ("In PEEL 2023–25, Kent Police was rated good at investigating crime.", {}, "2023-25"),
        ("This is the first time HMIC has graded forces on their legitimacy. Kent Police was rated good at legitimacy.", {}, "2015"),
        ("For the first year the three pillars were combined into a single, integrated inspection. Kent Police was rated good at efficiency.", {}, "2018/19"),
        (SENTENCE, {"published": date(2016, 11, 3)}, "2016"),
        ("Kent Police was rated adequate at investigating crime.", {"published": date(2022, 5, 1)}, "2021/22"),
    ],
)
def test_round_cues(text, metadata, expected):
    assert facts(text, **metadata).round == expected


def test_financial_year_is_not_a_round_name():
    from peelgraph.extraction import extract
    from peelgraph.model import Article

    assert extract(Article("The budget for 2019/20 rose. " + SENTENCE, "t.txt")).round_cues == ()


def test_round_is_later_than_the_results_it_compares_with():
    text = "HMICFRS rated Kent Police good for legitimacy, as it was previously in 2016."
    assert facts(text).round == "2017"


def test_without_any_cue_no_judgement_is_made():
    resolved = facts(SENTENCE)
    assert resolved.round is None and resolved.judgements == ()


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("The inspection, which took place in June last year, found Kent Police good at investigating crime.", date(2020, 2, 1), "2018/19"),
        ("Kent Police, inspected last June, was rated adequate at investigating crime.", date(2022, 3, 1), "2021/22"),
        ("Inspectors visited in March 2016 and rated Kent Police good at investigating crime.", None, "2016"),
    ],
)
def test_round_from_the_inspection_date(text, published, expected):
    assert facts(text, published=published).round == expected
