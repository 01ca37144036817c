"""Forces and inspectorates by the names reporters use."""

import pytest

from tests.conftest import facts


@pytest.mark.parametrize(
    "text, force",
    [
        ("The Met was rated good at investigating crime in PEEL 2016.", "metropolitan-police-service"),
        ("Scotland Yard was rated good at investigating crime in PEEL 2016.", "metropolitan-police-service"),
        ("GMP was rated good at investigating crime in PEEL 2016.", "greater-manchester-police"),
        ("Cambs police was rated good at investigating crime in PEEL 2016.", "cambridgeshire-constabulary"),
        ("Heddlu Gwent was rated good at investigating crime in PEEL 2016.", "gwent-police"),
        ("Kent Police's investigating crime work was rated good in PEEL 2016.", "kent-police"),
        (
            "Avon and Somerset Police was praised. "
            "In PEEL 2016 the constabulary was rated good at investigating crime.",
            "avon-and-somerset-constabulary",
        ),
    ],
)
def test_force_names(text, force):
    resolved = facts(text)
    assert {j.force for j in resolved.judgements} == {force}


@pytest.mark.parametrize(
    "text, inspectorate",
    [
        ("HMIC rated Kent Police good at investigating crime in PEEL 2015.", "hmic"),
        ("HMICFRS rated Kent Police good at investigating crime in PEEL 2017.", "hmicfrs"),
        ("Her Majesty's Inspectorate of Constabulary rated Kent Police good at legitimacy in PEEL 2015.", "hmic"),
        (
            "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services rated Kent Police adequate at "
            "investigating crime in PEEL 2023-25.",
            "hmicfrs",
        ),
        ("The watchdog rated Kent Police adequate at investigating crime in PEEL 2021/22.", "hmicfrs"),
        ("The police inspectorate rated Kent Police good at investigating crime in PEEL 2016.", "hmic"),
        ("Inspectors rated Kent Police good at investigating crime in PEEL 2018/19, HMIC said.", "hmicfrs"),
    ],
)
def test_inspectorate_named_or_inferred_from_the_round(text, inspectorate):
    assert facts(text).inspectorate == inspectorate


def test_scottish_inspectorate_is_not_hmicfrs_and_grades_nothing():
    resolved = facts(
        "HMICS found Police Scotland good at protecting vulnerable people, "
        "Her Majesty's Inspectorate of Constabulary in Scotland said in PEEL 2016."
    )
    assert resolved.inspectorate == "hmics" and resolved.judgements == ()
