"""People and their posts."""

import pytest

from tests.conftest import facts


def posts(text):
    return {(p.person, p.role, p.organisation) for p in facts(text).posts}


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Chief Constable Alan Pughsley welcomed the report from Kent Police.",
            ("Alan Pughsley", "chief-constable", "kent-police"),
        ),
        (
            "Kent Police's Temporary Chief Constable Tony Blaker spoke.",
            ("Tony Blaker", "temporary-chief-constable", "kent-police"),
        ),
        (
            "Matthew Scott, the Police and Crime Commissioner for Kent, spoke.",
            ("Matthew Scott", "police-and-crime-commissioner", "kent-police"),
        ),
        (
            "Acting Police and Crime Commissioner, Ray Bisby, said it was welcome news for Cambridgeshire Police.",
            ("Ray Bisby", "acting-police-and-crime-commissioner", "cambridgeshire-constabulary"),
        ),
        (
            "Zoe Billingham, of Her Majesty's Inspectorate of Constabulary, inspected Kent Police in PEEL 2015.",
            ("Zoe Billingham", "hm-inspector-of-constabulary", "hmic"),
        ),
        (
            "Andy Burnham, the Mayor of Greater Manchester, praised Greater Manchester Police.",
            ("Andy Burnham", "mayor", "greater-manchester-police"),
        ),
        (
            "The Police and Crime Commissioner for Gwent, Jeff Cuthbert, welcomed the report on Gwent Police.",
            ("Jeff Cuthbert", "police-and-crime-commissioner", "gwent-police"),
        ),
        (
            "Jane Mudd, who was elected Police and Crime Commissioner for Gwent Police in May, spoke.",
            ("Jane Mudd", "police-and-crime-commissioner", "gwent-police"),
        ),
        (
            "Mark Hobrough became chief constable of Gwent Police in December.",
            ("Mark Hobrough", "chief-constable", "gwent-police"),
        ),
        (
            "The letter came from Matt Parr, one of Her Majesty's Inspectors of Constabulary, in PEEL 2021/22.",
            ("Matt Parr", "hm-inspector-of-constabulary", "hmicfrs"),
        ),
        (
            "Roger Hirst, the Police, Fire and Crime Commissioner for Essex, welcomed the report on Essex Police.",
            ("Roger Hirst", "police-fire-and-crime-commissioner", "essex-police"),
        ),
        (  # a headline noun between the post and the name
            "HMIC rated Kent Police good. HMI chief Zoe Billingham said she was pleased.",
            ("Zoe Billingham", "hm-inspector-of-constabulary", "hmic"),
        ),
        (  # the place a force polices, possessive, before the post
            '"The force is doing well, and I thank its officers," said Clive Grunshaw, Lancashire\'s Police and Crime '
            "Commissioner.",
            ("Clive Grunshaw", "police-and-crime-commissioner", "lancashire-constabulary"),
        ),
    ],
)
def test_name_and_post(text, expected):
    assert expected in posts(text)


def test_commissioner_outside_london_is_a_pcc():
    found = posts("Commissioner Matthew Scott said Kent Police had done well.")
    assert ("Matthew Scott", "police-and-crime-commissioner", "kent-police") in found


def test_met_commissioner():
    found = posts("Commissioner Cressida Dick said the Metropolitan Police would improve.")
    assert ("Cressida Dick", "commissioner", "metropolitan-police-service") in found


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Acting Chief Constable Alan Todd said Durham Constabulary had improved.",
            ("Alan Todd", "acting-chief-constable", "durham-constabulary"),
        ),
        (
            "Interim Chief Constable Alan Todd said Durham Constabulary had improved.",
            ("Alan Todd", "acting-chief-constable", "durham-constabulary"),
        ),
        (
            "Deputy Police and Crime Commissioner Eleri Thomas said Gwent Police had improved.",
            ("Eleri Thomas", "deputy-police-and-crime-commissioner", "gwent-police"),
        ),
        (
            "Ian Hanson, chairman of the Police Federation, said officers were stretched.",
            ("Ian Hanson", "chair", "police-federation-of-england-and-wales"),
        ),
    ],
)
def test_acting_deputy_and_union_posts(text, expected):
    assert expected in posts(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Temporary Deputy Chief Constable Ruth Calder said Kent Police had improved.",
            ("Ruth Calder", "temporary-deputy-chief-constable", "kent-police"),
        ),
        (
            "The grades were a tribute to former Chief Constable Owen Blake of Kent Police.",
            ("Owen Blake", "former-chief-constable", "kent-police"),
        ),
    ],
)
def test_posts_with_a_qualifier(text, expected):
    assert expected in posts(text)


def test_a_name_does_not_run_on_into_the_next_paragraph():
    found = posts("Kent Police praised by its former Chief Constable Owen Blake\n\nInspectors said the force was good.")
    assert {p for p in found if p[0] == "Owen Blake"} == {("Owen Blake", "former-chief-constable", "kent-police")}


def test_a_post_for_an_area_named_with_and():
    found = posts("The Police and Crime Commissioner for Devon and Cornwall, Hugh Penrose, welcomed the report.")
    assert ("Hugh Penrose", "police-and-crime-commissioner", "devon-cornwall-police") in found
