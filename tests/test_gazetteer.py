import csv

import pytest

from peelgraph.gazetteer import folded, load
from tests.conftest import SHARED, needs_shared


def test_every_force_of_the_reference_with_its_identifiers():
    needs_shared()
    forces = load().forces
    with open(SHARED / "reference" / "police_forces.csv", encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle))
    assert len(forces) == len(reference) == 48
    by_name = {f.name: f for f in forces.values()}
    for row in reference:
        force = by_name[row["official_name"]]
        assert (force.ons_pfa_code, force.police_uk_id, force.wikidata_qid) == (
            row["ons_pfa_code"],
            row["police_uk_id"],
            row["wikidata_qid"],
        )


def test_no_alias_names_two_forces():
    seen = {}
    for force in load().forces.values():
        for alias in (force.name, *force.aliases):
            assert seen.setdefault(alias.lower(), force.slug) == force.slug, alias


def test_reporters_names_are_aliases():
    aliases = {a for f in load().forces.values() for a in f.aliases}
    assert {"the Met", "Scotland Yard", "GMP", "Cambs Police", "Avon and Somerset Police"} <= aliases


def test_concept_schemes():
    g = load()
    assert list(g.rounds) == ["2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023-25", "2025-27"]
    assert [r.five_point for r in g.rounds.values()] == [False] * 5 + [True] * 3
    assert g.grades["adequate"].five_point_only and not g.grades["good"].five_point_only
    assert sorted(g.grades, key=lambda s: g.grades[s].rank) == [
        "inadequate",
        "requires-improvement",
        "adequate",
        "good",
        "outstanding",
    ]
    assert g.inspectorates["hmic"].successor == "hmicfrs"


def test_forces_by_the_places_they_police():
    from peelgraph.gazetteer import load

    by_place = load().forces_by_place
    assert by_place["Kent"] == "kent-police" and by_place["North Yorkshire"] == "north-yorkshire-police"
    assert "police-scotland" not in by_place.values()  # PEEL does not inspect it
    import re

    assert (
        re.match(load().place_names, "North Yorkshire Police").group(0) == "North Yorkshire"
    )  # longest first, escaped


@pytest.mark.parametrize(
    "typed, label",
    [
        ("kent", "Kent Police"),
        ("the Met", "Metropolitan Police Service"),
        ("GMP", "Greater Manchester Police"),
        ("Cambs police", "Cambridgeshire Constabulary"),
        ("  devon AND cornwall  ", "Devon & Cornwall Police"),
        ("2021-22", "2021/22"),
        ("2023\u201325", "2023-25"),
        ("Requires Improvement", "requires improvement"),
        ("police legitimacy", "legitimacy"),
        ("HMIC", "Her Majesty's Inspectorate of Constabulary"),
    ],
)
def test_a_name_typed_any_way_gives_the_stored_label(typed, label):
    assert load().label_for(typed) == label


def test_names_nobody_knows_give_none():
    assert load().label_for("Kentt") is None
    assert load().label_for("") is None


def test_folded_ignores_case_accents_and_a_leading_the():
    assert folded("The Zoë  Billingham") == folded("zoe billingham") == "zoe billingham"


@pytest.mark.parametrize(
    "written, notation",
    [("2021/22", "2021/22"), ("2021-22", "2021/22"), ("2025/27", "2025-27"), ("2016", "2016"), ("2020/21", None)],
)
def test_a_round_is_found_however_its_years_are_joined(written, notation):
    found = load().round_written(written)
    assert (found.notation if found else None) == notation


def test_the_rounds_reporting_in_a_year():
    assert {r.notation for r in load().rounds_reporting_in(2023)} == {"2021/22", "2023-25"}
    assert {r.notation for r in load().rounds_reporting_in(2016)} == {"2015", "2016"}
