"""The round of an article from explicit names, telling phrases and dates."""

from datetime import date

import pytest

from tests.conftest import facts

SENTENCE = "Kent Police was rated good at investigating crime."


@pytest.mark.parametrize(
    "text, metadata, expected",
    [
        ("PEEL 2016: " + SENTENCE, {}, "2016"),
        (
            "The 2021/22 PEEL inspection found this. Kent Police was rated adequate at investigating crime.",
            {},
            "2021/22",
        ),
        ("In PEEL 2023–25, Kent Police was rated good at investigating crime.", {}, "2023-25"),
        (
            "This is the first time HMIC has graded forces on their legitimacy. "
            "Kent Police was rated good at legitimacy.",
            {},
            "2015",
        ),
        (
            "For the first year the three pillars were combined into a single, integrated inspection. "
            "Kent Police was rated good at efficiency.",
            {},
            "2018/19",
        ),
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
        (
            "The inspection, which took place in June last year, found Kent Police good at investigating crime.",
            date(2020, 2, 1),
            "2018/19",
        ),
        ("Kent Police, inspected last June, was rated adequate at investigating crime.", date(2022, 3, 1), "2021/22"),
        ("Inspectors visited in March 2016 and rated Kent Police good at investigating crime.", None, "2016"),
    ],
)
def test_round_from_the_inspection_date(text, published, expected):
    assert facts(text, published=published).round == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a dateline's weekday leaves few years: Thursday 27 November was in 2014
        # (and 2025, after PEEL 2023-25's reports)
        ("Reports published today (Thursday, November 27) rated Kent Police good at investigating crime.", "2014"),
        # HMICFRS from July 2017; His Majesty's from September 2022
        ("HMICFRS rated Kent Police good at investigating crime and at legitimacy.", "2017"),
        ("His Majesty's Inspectorate of Constabulary rated Kent Police good at investigating crime.", "2023-25"),
        # eight to ten areas, and "adequate", belong to the five-point rounds
        ("Inspectors graded Kent Police in nine areas of policing, rating it good at investigating crime.", "2021/22"),
        # the areas' own wording: one used in PEEL 2023-25 only, and the pillar questions as 2018/19 worded them
        (
            "Kent Police was rated good for leadership and force management and for police powers and public "
            "treatment.",
            "2023-25",
        ),
        (
            "HMICFRS rated Kent Police good at operating efficiently and sustainably and at how it treats the public "
            "and its workforce.",
            "2018/19",
        ),
        # 2021/22's own name for the public's treatment outweighs "His Majesty's", which also dates 2023-25
        (
            "His Majesty's Inspectorate of Constabulary graded Kent Police good for engaging with and treating the "
            "public with fairness and respect, and for investigating crime.",
            "2021/22",
        ),
        # "adequate" after a rating verb, with no area to it, still tells a five-point round
        ("HMICFRS rated Kent Police good at investigating crime; the rest were assessed as adequate.", "2021/22"),
        ("HMICFRS rated Kent Police good at investigating crime; the rest were adequate.", "2017"),
        # an earlier result "a year earlier" in an area the round before graded: effectiveness was not graded in 2014
        ("HMIC rated Kent Police's effectiveness as requires improvement, down from good a year earlier.", "2016"),
    ],
)
def test_round_from_every_cue_together(text, expected):
    assert facts(text).round == expected


def test_a_year_named_as_a_plan_does_not_date_the_article():
    from peelgraph.extraction import extract
    from peelgraph.model import Article

    def latest_year_cues(text):
        return [c for c in extract(Article(text, "t.txt")).round_cues if c.evidence.rule == "round.latest-year-named"]

    assert latest_year_cues("HMIC rated Kent Police good. Its Towards 2020 programme was praised.") == []
    [cue] = latest_year_cues("HMIC rated Kent Police good. In 2020 its programme was praised.")
    assert "2014" not in cue.rounds and "2018/19" in cue.rounds


def test_a_past_result_from_a_year_two_rounds_reported_in_leaves_the_earlier_round_open():
    text = (
        "His Majesty's Inspectorate rated Kent Police adequate at investigating crime. "
        "In 2023 it had been rated inadequate at investigating crime."
    )
    assert facts(text).round == "2023-25"
