"""Grades in the ways reporters write them, and grade words that are not grades."""

from datetime import date

import pytest

from peelgraph.gazetteer import load
from tests.conftest import facts


def judged(text, **metadata):
    """Judgements by the cross-round theme of their area (each round's own wording is tested below)."""
    areas = load().areas
    return {(j.force, areas[j.area].theme, j.grade, j.round, j.current) for j in facts(text, **metadata).judgements}


@pytest.mark.parametrize(
    "sentence, area, grade",
    [
        ("Kent Police was rated good at investigating crime in PEEL 2016.", "investigating-crime", "good"),
        (
            "Kent Police was graded as requires improvement for efficiency in PEEL 2016.",
            "efficiency",
            "requires-improvement",
        ),
        (
            "In PEEL 2016 Kent Police was judged inadequate at protecting vulnerable people.",
            "protecting-vulnerable-people",
            "inadequate",
        ),
        (
            "In PEEL 2016 Kent Police was found to be outstanding at tackling serious and organised crime.",
            "tackling-serious-and-organised-crime",
            "outstanding",
        ),
        ("PEEL 2016 found Kent Police requiring improvement in its legitimacy.", "legitimacy", "requires-improvement"),
    ],
)
def test_rating_phrases(sentence, area, grade):
    assert judged(sentence) == {("kent-police", area, grade, "2016", True)}


def test_sentence_naming_several_areas_with_two_grades():
    found = judged(
        "In PEEL 2016 Kent Police was rated good for efficiency and legitimacy but requires improvement in "
        "effectiveness."
    )
    assert found == {
        ("kent-police", "efficiency", "good", "2016", True),
        ("kent-police", "legitimacy", "good", "2016", True),
        ("kent-police", "effectiveness", "requires-improvement", "2016", True),
    }


def test_bulleted_list_of_pillars():
    text = (
        "Kent Police: PEEL 2017 results\n\n"
        "- Effectiveness: good\n- Efficiency: outstanding\n- Legitimacy: requires improvement\n"
    )
    assert judged(text) == {
        ("kent-police", "effectiveness", "good", "2017", True),
        ("kent-police", "efficiency", "outstanding", "2017", True),
        ("kent-police", "legitimacy", "requires-improvement", "2017", True),
    }


def test_all_three_pillars():
    text = "The integrated PEEL assessment rated Kent Police good across all three pillars."
    assert {area for _, area, *_ in judged(text)} == {"effectiveness", "efficiency", "legitimacy"}


@pytest.mark.parametrize(
    "sentence",
    [
        "In PEEL 2016 Kent Police made good progress in investigating crime.",
        "In PEEL 2016 Kent Police needs to improve its investigating crime work.",
        "In PEEL 2016 Kent Police must do better at protecting vulnerable people.",
        "In PEEL 2016 Kent Police was not rated inadequate at investigating crime.",
        "Kent Police aims to be rated outstanding at investigating crime in PEEL 2016.",
        "Kent Police was rated good in PEEL 2016.",  # no area named: no judgement
    ],
)
def test_phrases_that_are_not_grades(sentence):
    assert judged(sentence) == set()


def test_history_carries_its_own_round():
    found = judged("In PEEL 2017 Kent Police was rated good for effectiveness, up from requires improvement in 2016.")
    assert found == {
        ("kent-police", "effectiveness", "good", "2017", True),
        ("kent-police", "effectiveness", "requires-improvement", "2016", False),
    }


@pytest.mark.parametrize(
    "years, rounds",
    [
        ("in 2015 and in 2016", ("2015", "2016")),
        ("in 2015 and 2016", ("2015", "2016")),
        ("in 2015, 2016 and 2017", ("2015", "2016", "2017")),
        ("in 2016 and again in 2018/19", ("2016", "2018/19")),
    ],
)
def test_history_given_several_years_is_a_judgement_for_each(years, rounds):
    text = (
        "In PEEL 2021/22 Kent Police was rated good at investigating crime. "
        f"It was rated outstanding for legitimacy {years}."
    )
    history = {j for j in judged(text) if not j[4]}
    assert history == {("kent-police", "legitimacy", "outstanding", r, False) for r in rounds}


@pytest.mark.parametrize(
    "opening",
    ["In the integrated 2018/19 assessment, published in May 2019,", "In the last 2018/19 assessment,"],
)
def test_a_sentence_opening_with_an_earlier_round_dates_its_grades(opening):
    text = (
        "In its PEEL 2021/22 report the inspectorate rated Greater Manchester Police inadequate at investigating "
        f"crime. {opening} GMP was judged to require improvement for effectiveness, though it remained good for "
        "legitimacy."
    )
    assert {j for j in judged(text) if not j[4]} == {
        ("greater-manchester-police", "effectiveness", "requires-improvement", "2018/19", False),
        ("greater-manchester-police", "legitimacy", "good", "2018/19", False),
    }


def test_good_on_all_three_means_the_three_pillars():
    text = (
        "In PEEL 2021/22 Kent Police was rated good at investigating crime. "
        "In 2015 it was good for effectiveness, efficiency and legitimacy. "
        "In 2016 it was again graded good on all three."
    )
    history = {j for j in judged(text) if j[3] == "2016"}
    assert history == {
        ("kent-police", pillar, "good", "2016", False) for pillar in ("effectiveness", "efficiency", "legitimacy")
    }


def test_all_three_of_something_else_is_not_the_pillars():
    assert not judged("In PEEL 2016 all three forces were rated good on all three measures of crime recording.")


def test_neighbouring_force_grade_belongs_to_that_force():
    text = (
        "Kent Police was rated good at investigating crime in PEEL 2016. "
        "Neighbouring Essex Police was rated inadequate at investigating crime."
    )
    assert judged(text) == {
        ("kent-police", "investigating-crime", "good", "2016", True),
        ("essex-police", "investigating-crime", "inadequate", "2016", True),
    }


def test_fire_and_rescue_grade_is_not_a_police_judgement():
    text = (
        "In PEEL 2016 Kent Fire and Rescue Service was rated good at preventing crime and anti-social behaviour, "
        "Kent Police said."
    )
    assert judged(text) == set()


def test_police_scotland_is_not_graded_under_peel():
    assert judged("In PEEL 2016 Police Scotland was rated good at investigating crime.") == set()


def test_adequate_is_not_a_grade_before_2021():
    assert judged("In PEEL 2015 Kent Police was rated adequate at investigating crime.") == set()


def test_area_not_graded_in_the_round_is_dropped():
    assert judged("In PEEL 2015 Kent Police was rated good at responding to the public.") == set()


def test_the_force_is_the_one_named_most_recently():
    text = (
        "PEEL 2015 round-up for Wales.\n\n"
        "South Wales Police was rated good for efficiency.\n\n"
        "North Wales Police was rated good for legitimacy. "
        "Inspectors said the force was good at preventing crime and anti-social behaviour.\n"
    )
    assert ("north-wales-police", "preventing-crime-and-anti-social-behaviour", "good", "2015", True) in judged(text)


def test_grades_of_forces_in_general_belong_to_no_force():
    text = (
        "Kent Police was rated good at investigating crime in PEEL 2015. "
        "Across England and Wales, 18 forces were told they require improvement on effectiveness."
    )
    assert judged(text) == {("kent-police", "investigating-crime", "good", "2015", True)}


def test_a_round_named_before_the_grade_dates_it():
    text = (
        "In PEEL 2021/22, Kent Police was rated adequate at investigating crime. "
        "When inspectors last assessed the force, in 2018/19, they judged that its effectiveness required improvement "
        "but rated it good for efficiency."
    )
    assert judged(text) == {
        ("kent-police", "investigating-crime", "adequate", "2021/22", True),
        ("kent-police", "effectiveness", "requires-improvement", "2018/19", False),
        ("kent-police", "efficiency", "good", "2018/19", False),
    }


def test_a_year_ago_is_the_previous_round():
    text = (
        "In PEEL 2016 Kent Police was rated good on efficiency, "
        "a force that was judged to require improvement on efficiency a year ago."
    )
    assert judged(text) == {
        ("kent-police", "efficiency", "good", "2016", True),
        ("kent-police", "efficiency", "requires-improvement", "2015", False),
    }


def test_a_new_clause_starts_a_new_judgement():
    text = (
        "In PEEL 2017 Kent Police's efficiency was rated good by inspectors in the autumn, "
        "and its effectiveness grading is due in March. "
        "Inspectors judged its understanding of demand to be outstanding, "
        "and rated its use of resources and its planning for the future as good."
    )
    assert judged(text) == {
        ("kent-police", "efficiency", "good", "2017", True),
        ("kent-police", "understanding-demand", "outstanding", "2017", True),
        ("kent-police", "use-of-resources", "good", "2017", True),
        ("kent-police", "planning-for-the-future", "good", "2017", True),
    }


def test_list_after_a_colon_ending_with_and():
    text = (
        "Kent Police's PEEL 2023-25 report is out. "
        "Three areas were graded as requires improvement: "
        "investigating crime, protecting vulnerable people, and leadership and force management."
    )
    assert {area for _, area, *_ in judged(text)} == {
        "investigating-crime",
        "protecting-vulnerable-people",
        "leadership-and-force-management",
    }


def test_grade_before_was():
    text = (
        "In PEEL 2023-25 the only area rated adequate was the Met's use of police powers and its treatment of the "
        "public."
    )
    assert judged(text) == {("metropolitan-police-service", "treatment-of-the-public", "adequate", "2023-25", True)}


def test_sentence_opening_with_the_previous_inspection_is_history():
    text = (
        "West Midlands Police entered enhanced monitoring in PEEL 2023-25. "
        "In its previous PEEL inspection, HMICFRS rated West Midlands Police as requires improvement at investigating "
        "crime."
    )
    assert judged(text) == {("west-midlands-police", "investigating-crime", "requires-improvement", "2021/22", False)}


@pytest.mark.parametrize(
    "named, earlier",
    [
        ("2023-25", "2021/22"),  # 2021/22's reports came out until mid-2023
        ("2025-27", "2023-25"),  # "2025-27" is that round, not the year 2025 of the round before
        ("2025/27", "2023-25"),
    ],
)
def test_an_earlier_result_in_a_year_is_from_the_round_before_the_articles(named, earlier):
    text = (
        f"Kent Police was rated good at responding to the public in PEEL {named}, up from the inadequate grade "
        "it was given for this area in 2023."
    )
    assert judged(text) == {
        ("kent-police", "responding-to-the-public", "good", named.replace("/", "-"), True),
        ("kent-police", "responding-to-the-public", "inadequate", earlier, False),
    }


@pytest.mark.parametrize(
    "metadata, expected",
    [
        ({}, {("2015", "outstanding"), ("2016", "good")}),  # PEEL 2017: yearly rounds
        ({"published": date(2017, 11, 9)}, {("2015", "outstanding"), ("2016", "good")}),
    ],
)
def test_years_ago_counts_back_from_the_article(metadata, expected):
    text = (
        "In PEEL 2017 Kent Police was rated good for efficiency. Two years ago the inspectorate rated the "
        "constabulary outstanding for efficiency, before marking it down to good last year."
    )
    earlier = {(r, grade) for _, _, grade, r, current in judged(text, **metadata) if not current}
    assert earlier == expected


@pytest.mark.parametrize("ago", ["Three years ago", "3 years ago"])
def test_years_ago_in_words_or_figures(ago):
    text = f"In PEEL 2017 Kent Police was rated good for efficiency. {ago} it was rated inadequate for efficiency."
    found = judged(text, published=date(2017, 11, 9))
    assert ("kent-police", "efficiency", "inadequate", "2014", False) in found


def test_two_years_ago_in_a_two_year_round_is_the_round_before():
    text = (
        "Kent Police was rated good at responding to the public in PEEL 2023-25. "
        "Two years ago inspectors graded it inadequate for responding to the public."
    )
    found = judged(text, published=date(2025, 3, 1))
    assert ("kent-police", "responding-to-the-public", "inadequate", "2021/22", False) in found


@pytest.mark.parametrize(
    "after, earlier",
    [
        ("the same grade it was given last year", "2016"),
        ("unchanged from its previous inspection", "2016"),
        ("the same rating as in 2015", "2015"),
    ],
)
def test_the_same_grade_as_before_is_this_rounds_and_an_earlier_one(after, earlier):
    text = f"In PEEL 2017 HMICFRS judged Kent Police to be good at efficiency, {after}."
    assert judged(text) == {
        ("kent-police", "efficiency", "good", "2017", True),
        ("kent-police", "efficiency", "good", earlier, False),
    }


def test_a_list_introduced_as_an_earlier_inspections_grades_is_history():
    text = (
        "Kent Police was rated good at investigating crime in PEEL 2023-25. It joined Essex Police in Engage. "
        "The force's previous PEEL inspection, for 2021/22, had graded it as follows:\n\n"
        "- Preventing crime - adequate\n- Responding to the public - requires improvement\n\n"
        "The chief constable welcomed the report."
    )
    assert judged(text) == {
        ("kent-police", "investigating-crime", "good", "2023-25", True),
        ("kent-police", "preventing-crime-and-anti-social-behaviour", "adequate", "2021/22", False),
        ("kent-police", "responding-to-the-public", "requires-improvement", "2021/22", False),
    }


def test_an_overall_rating_line():
    text = (
        "Kent Police, PEEL 2015.\n\nOverall effectiveness rating: Requires improvement\n\n"
        "Overall legitimacy rating: Good\n"
    )
    assert judged(text) == {
        ("kent-police", "effectiveness", "requires-improvement", "2015", True),
        ("kent-police", "legitimacy", "good", "2015", True),
    }


def test_a_grade_after_a_question_answers_it():
    text = (
        "Kent Police, PEEL 2015.\n\n"
        "  • How effective is the force at preventing crime and anti-social behaviour, and keeping people safe?"
        " - Good\n"
        "  • How effective is the force at investigating crime and managing offenders? - Requires improvement\n"
    )
    assert judged(text) == {
        ("kent-police", "preventing-crime-and-anti-social-behaviour", "good", "2015", True),
        ("kent-police", "investigating-crime", "requires-improvement", "2015", True),
    }


def test_an_area_the_sentence_opens_with_is_every_grades_and_places_coordinate():
    text = (
        "PEEL 2017. For efficiency, Staffordshire and Derbyshire were both rated 'good', while Leicestershire was "
        "told it 'requires improvement' - down from the 'good' it was given a year ago."
    )
    assert judged(text) == {
        ("staffordshire-police", "efficiency", "good", "2017", True),
        ("derbyshire-constabulary", "efficiency", "good", "2017", True),
        ("leicestershire-police", "efficiency", "requires-improvement", "2017", True),
        ("leicestershire-police", "efficiency", "good", "2016", False),
    }


def test_force_names_count_as_one_word_between_an_area_and_its_grade():
    text = "PEEL 2017. For efficiency, Staffordshire Police and Derbyshire Constabulary were both rated good."
    assert {force for force, *_ in judged(text)} == {"staffordshire-police", "derbyshire-constabulary"}


def test_grades_as_headings_over_their_areas():
    text = (
        "Kent Police, PEEL 2021/22.\n\nKent's gradings were:\nOutstanding\nGood use of resources\nAdequate\n"
        "Investigating crime\nResponding to the public\nRequires improvement\nTreating people fairly and with respect"
        "\n\nThe chief constable said he was pleased."
    )
    assert judged(text) == {
        ("kent-police", "good-use-of-resources", "outstanding", "2021/22", True),
        ("kent-police", "investigating-crime", "adequate", "2021/22", True),
        ("kent-police", "responding-to-the-public", "adequate", "2021/22", True),
        ("kent-police", "treatment-of-the-public", "requires-improvement", "2021/22", True),
    }


def test_a_grade_alone_in_parentheses_and_the_pillar_its_sentence_names():
    text = (
        "Kent Police, PEEL 2015.\n\n  • Kent Police is effective at keeping people safe and reducing crime (good)\n"
        "  • Kent Police is efficient at keeping people safe and reducing crime (requires improvement)\n"
    )
    assert judged(text) == {
        ("kent-police", "effectiveness", "good", "2015", True),
        ("kent-police", "efficiency", "requires-improvement", "2015", True),
    }


@pytest.mark.parametrize(
    "listed, areas",
    [
        (
            "rated good in three of them: police powers and treating the public fairly and respectfully; managing "
            "offenders and suspects; and building, supporting and protecting the workforce.",
            {"treatment-of-the-public", "managing-offenders", "developing-a-positive-workplace"},
        ),
        (
            "graded good in two areas - recording data about crime, which means victims get the right support, and "
            "building, supporting and protecting its workforce.",
            {"recording-data-about-crime", "developing-a-positive-workplace"},
        ),
    ],
)
def test_a_list_a_grade_announces_with_a_count(listed, areas):
    assert {area for _, area, *_ in judged(f"In PEEL 2023-25 Kent Police was {listed}")} == areas


def test_the_top_grade_is_outstanding():
    text = (
        "Kent Police told it 'requires improvement' in three areas despite top grade for crime recording, PEEL 2021/22."
    )
    assert judged(text) == {("kent-police", "recording-data-about-crime", "outstanding", "2021/22", True)}


def test_grades_in_a_relative_clause_on_an_earlier_report_are_its():
    text = (
        "Kent Police was rated inadequate at responding to the public in PEEL 2023-25. That is a step back from the "
        "force's previous PEEL report, published in August 2022, which rated it adequate for responding to the public "
        "and good for managing offenders."
    )
    assert judged(text) == {
        ("kent-police", "responding-to-the-public", "inadequate", "2023-25", True),
        ("kent-police", "responding-to-the-public", "adequate", "2021/22", False),
        ("kent-police", "managing-offenders", "good", "2021/22", False),
    }


def test_only_after_earlier_results_continues_them():
    text = (
        "Kent Police was rated good at investigating crime in PEEL 2023-25. When inspectors last reported on the "
        "force, it was inadequate at preventing crime. Only its crime recording was rated good."
    )
    assert ("kent-police", "recording-data-about-crime", "good", "2021/22", False) in judged(text)


@pytest.mark.parametrize(
    "named, subject, forces",
    [
        (
            "Staffordshire Police, Derbyshire Constabulary and Leicestershire Police were inspected.",
            "All three forces",
            {"staffordshire-police", "derbyshire-constabulary", "leicestershire-police"},
        ),
        (
            "Staffordshire Police and Derbyshire Constabulary were inspected.",
            "Both",
            {"staffordshire-police", "derbyshire-constabulary"},
        ),
    ],
)
def test_a_counted_subject_takes_up_the_forces_named_together(named, subject, forces):
    # the sentence between gives an earlier result: a short line after it is no item of a list of them
    text = f"PEEL 2017. {named} Kent Police was rated good a year ago.\n\n{subject} were rated good for legitimacy."
    assert {force for force, _, _, _, current in judged(text) if current} == forces


@pytest.mark.parametrize("subject", ["Staffordshire", "Staffordshire Police"])
def test_it_in_a_later_clause_is_the_sentences_own_subject(subject):
    text = (
        f"PEEL 2017. Derbyshire Constabulary was rated good. {subject} was found to be good for legitimacy, "
        "but it requires improvement for efficiency."
    )
    assert ("staffordshire-police", "efficiency", "requires-improvement", "2017", True) in judged(text)


def test_a_sentence_adding_to_earlier_results_is_history_too():
    text = (
        "Kent Police was rated good at investigating crime in PEEL 2023-25. "
        "Its previous report had graded it inadequate for responding to the public.\n\n"
        "In two more areas it was told it required improvement: protecting vulnerable people and managing offenders."
    )
    assert judged(text) == {
        ("kent-police", "investigating-crime", "good", "2023-25", True),
        ("kent-police", "responding-to-the-public", "inadequate", "2021/22", False),
        ("kent-police", "protecting-vulnerable-people", "requires-improvement", "2021/22", False),
        ("kent-police", "managing-offenders", "requires-improvement", "2021/22", False),
    }


@pytest.mark.parametrize(
    "after",
    [
        "It also requires improvement at protecting vulnerable people.",  # the present tense
        "But it was also rated as requires improvement at protecting vulnerable people.",  # a turn
        "This time it was also rated as requires improvement at protecting vulnerable people.",  # a time of its own
        "It was rated as requires improvement at protecting vulnerable people.",  # adds nothing
    ],
)
def test_a_sentence_after_earlier_results_with_its_own_time_is_current(after):
    text = (
        "Kent Police was rated good at investigating crime in PEEL 2023-25. "
        "Its previous report had graded it inadequate for responding to the public. " + after
    )
    assert ("kent-police", "protecting-vulnerable-people", "requires-improvement", "2023-25", True) in judged(text)


def test_plural_forces_only_in_the_grade_clause():
    text = (
        "PEEL 2023-25: the force was outstanding at recording data about crime, "
        "a grade held by only a handful of forces, "
        "and was rated good for the way it develops and supports its workforce. Kent Police said so."
    )
    found = {(area, grade) for _, area, grade, *_ in judged(text)}
    assert found == {("recording-data-about-crime", "outstanding"), ("developing-a-positive-workplace", "good")}


def test_counts_name_no_area():
    text = (
        "In PEEL 2023-25 Kent Police was rated adequate in five areas, "
        "requires improvement in two and inadequate in one."
    )
    assert judged(text) == set()


def test_bullets_with_the_grade_first():
    text = (
        "Kent Police's PEEL 2021/22 grades:\n\n"
        "• Outstanding – engaging with the public and treating them fairly\n"
        "• Requires improvement – responding to the public, investigating crime and recording crime\n"
    )
    assert judged(text) == {
        ("kent-police", "treatment-of-the-public", "outstanding", "2021/22", True),
        ("kent-police", "responding-to-the-public", "requires-improvement", "2021/22", True),
        ("kent-police", "investigating-crime", "requires-improvement", "2021/22", True),
        ("kent-police", "recording-data-about-crime", "requires-improvement", "2021/22", True),
    }


def test_comma_and_before_the_next_grade_starts_its_clause():
    text = (
        "In PEEL 2021/22 Kent Police was judged inadequate at responding to the public, and investigating crime "
        "and managing offenders were both graded as requires improvement."
    )
    assert judged(text) == {
        ("kent-police", "responding-to-the-public", "inadequate", "2021/22", True),
        ("kent-police", "investigating-crime", "requires-improvement", "2021/22", True),
        ("kent-police", "managing-offenders", "requires-improvement", "2021/22", True),
    }


# Each round graded its own areas, in its own words.


def own_areas(text, **metadata):
    return {(j.force, j.area, j.grade, j.round, j.current) for j in facts(text, **metadata).judgements}


@pytest.mark.parametrize(
    "text, area",
    [
        ("In PEEL 2014 Kent Police was rated good at investigating crime.", "2014/investigating-offending"),
        (
            "In PEEL 2016 Kent Police was rated good at investigating crime.",
            "2016/investigating-crime-and-reducing-re-offending",
        ),
        ("In PEEL 2021/22 Kent Police was rated good at investigating crime.", "2021-22/investigating-crime"),
        (
            "In PEEL 2021/22 Kent Police was rated good at treating the public fairly.",
            "2021-22/treatment-of-the-public",
        ),
        (
            "In PEEL 2023-25 Kent Police was rated good at treating the public fairly.",
            "2023-25/police-powers-and-public-treatment",
        ),
        (
            "In PEEL 2023-25 Kent Police was rated good at developing a positive workplace.",
            "2023-25/building-supporting-and-protecting-the-workforce",
        ),
    ],
)
def test_a_theme_is_filed_under_the_rounds_own_area(text, area):
    assert {a for _, a, *_ in own_areas(text)} == {area}


def test_a_wording_only_one_round_used_tells_the_round():
    found = own_areas("Kent Police was rated good at reducing crime and preventing offending, the watchdog said.")
    assert found == {("kent-police", "2014/reducing-crime-and-preventing-offending", "good", "2014", True)}


@pytest.mark.parametrize(
    "text",
    [
        "In PEEL 2016 Kent Police was judged good at managing offenders.",
        "In PEEL 2016 Kent Police was judged good at investigating crime and managing offenders.",
    ],
)
def test_a_theme_an_earlier_round_graded_within_another_area_is_filed_under_that_area(text):
    assert own_areas(text) == {
        ("kent-police", "2016/investigating-crime-and-reducing-re-offending", "good", "2016", True)
    }


@pytest.mark.parametrize(
    "context, pillar",
    [
        ("Inspectors looked at how it understands demand and how it plans for the future.", "efficiency"),
        ("Inspectors looked at how it investigates crime and protects vulnerable people.", "effectiveness"),
        (
            "The report is one of three in the PEEL assessment of effectiveness, efficiency and legitimacy.",
            "effectiveness",
        ),
    ],
)
def test_keeping_people_safe_is_the_pillar_the_articles_other_areas_come_under(context, pillar):
    text = f"PEEL 2016. {context} Kent Police was judged good at keeping people safe and reducing crime."
    assert judged(text) == {("kent-police", pillar, "good", "2016", True)}


def test_a_grade_for_both_of_two_areas():
    text = "In PEEL 2015 Kent Police was rated good both for its efficiency and for its legitimacy."
    assert judged(text) == {
        ("kent-police", "efficiency", "good", "2015", True),
        ("kent-police", "legitimacy", "good", "2015", True),
    }


def test_a_wording_joining_two_areas_names_both():
    found = judged("In PEEL 2021/22 Kent Police was rated adequate at preventing and investigating crime.")
    assert {area for _, area, *_ in found} == {"preventing-crime-and-anti-social-behaviour", "investigating-crime"}


def test_an_area_no_inferred_round_graded_moves_to_a_round_that_did():
    resolved = facts("HMIC said Kent Police was good at responding to the public.")
    [judgement] = resolved.judgements
    assert judgement.area == "2021-22/responding-to-the-public" and judgement.round == "2021/22"
    assert judgement.evidence.rule.endswith("+moved-to-fitting-round") and judgement.evidence.confidence < 0.5


def test_an_area_a_stated_round_did_not_grade_is_dropped_with_a_note():
    resolved = facts("In PEEL 2015 Kent Police was rated good at responding to the public.")
    assert resolved.judgements == () and any("as the text states" in note for note in resolved.notes)


# Lists, subjects and time, as reporters write them.


def test_grade_then_a_list_of_areas_below():
    text = (
        "In PEEL 2021/22 Kent Police was rated good (one step below outstanding) for:\n\n"
        "• preventing crime\n\n• investigating crime\n\n"
        "It was rated inadequate for:\n\n• responding to the public\n\nThe chief constable said little.\n"
    )
    assert judged(text) == {
        ("kent-police", "preventing-crime-and-anti-social-behaviour", "good", "2021/22", True),
        ("kent-police", "investigating-crime", "good", "2021/22", True),
        ("kent-police", "responding-to-the-public", "inadequate", "2021/22", True),
    }


def test_a_list_joined_by_semicolons_and_the_way_it():
    text = (
        "In PEEL 2017 Kent Police was found good in areas that included planning for the future; "
        "the way it uses its resources and its understanding of demand."
    )
    assert {area for _, area, *_ in judged(text)} == {
        "planning-for-the-future",
        "use-of-resources",
        "understanding-demand",
    }


def test_the_grade_of_the_sentence_before():
    text = (
        "In PEEL 2021/22 Kent Police was rated adequate for managing offenders. "
        "This is also the grade the force was given for investigating crime and for protecting vulnerable people."
    )
    assert {(area, grade) for _, area, grade, *_ in judged(text)} == {
        ("managing-offenders", "adequate"),
        ("investigating-crime", "adequate"),
        ("protecting-vulnerable-people", "adequate"),
    }


def test_coordinated_subjects_each_get_the_grade():
    found = judged("In PEEL 2016 Kent Police and Essex Police were both rated good at investigating crime.")
    assert {force for force, *_ in found} == {"kent-police", "essex-police"}


def test_forces_named_by_their_places():
    text = "HMIC found that the Kent, Essex and Sussex police forces are all good at investigating offending."
    assert {force for force, *_ in judged(text)} == {"kent-police", "essex-police", "sussex-police"}


def test_a_place_name_as_subject_and_as_topic():
    assert {
        f
        for f, *_ in judged("In PEEL 2016, Kent Police was named. Essex did well - rated good at investigating crime.")
    } == {"essex-police"}
    assert {
        f
        for f, *_ in judged(
            "PEEL 2016 looked at Kent Police. In Essex, the force was rated good at investigating crime."
        )
    } == {"essex-police"}


def test_the_subject_not_the_last_force_named():
    assert {
        f for f, *_ in judged("In PEEL 2016, like Essex Police, Kent Police was rated good at investigating crime.")
    } == {"kent-police"}


def test_a_fire_service_in_the_inspectorates_name_is_no_fire_service_grade():
    text = (
        "In PEEL 2016 Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services rated Kent Police good at "
        "investigating crime."
    )
    assert {f for f, *_ in judged(text)} == {"kent-police"}


def test_areas_after_apart_from_are_not_that_grade():
    text = (
        "In PEEL 2021/22 Kent Police was graded good in every area apart from investigating crime, "
        "which requires improvement."
    )
    assert judged(text) == {("kent-police", "investigating-crime", "requires-improvement", "2021/22", True)}


def test_required_improvement_as_the_inspectors_judged_it():
    text = (
        "In PEEL 2021/22 inspectors judged that Kent Police required improvement in two areas, "
        "among them investigating crime and managing offenders."
    )
    assert {area for _, area, *_ in judged(text)} == {"investigating-crime", "managing-offenders"}
    assert (
        judged(
            "PEEL 2018/19.\n\nThe report recalled that we said Kent Police required improvement in its effectiveness."
        )
        == set()
    )


def test_when_the_inspection_took_place_is_not_an_earlier_result():
    text = "PEEL 2016. The inspection, carried out in May last year, judged Kent Police good at investigating crime."
    assert judged(text) == {("kent-police", "investigating-crime", "good", "2016", True)}


@pytest.mark.parametrize(
    "text",
    [
        "In PEEL 2016 Kent Police requires improvement at investigating crime, "
        "a fall from the good rating it achieved a year earlier.",
        "In PEEL 2016 Kent Police requires improvement at investigating crime. "
        "Two years ago, inspectors rated it good at investigating crime.",
    ],
)
def test_earlier_results_by_how_long_ago(text):
    assert ("kent-police", "investigating-crime", "good", "2015", False) in judged(text)


def test_a_count_of_areas_followed_by_their_names():
    text = (
        "Kent Police was graded in PEEL 2023-25. "
        "Four areas were rated 'adequate' - preventing crime, investigating crime and managing offenders."
    )
    assert {area for _, area, *_ in judged(text)} == {
        "preventing-crime-and-anti-social-behaviour",
        "investigating-crime",
        "managing-offenders",
    }


def test_counts_of_forces_after_a_colon_take_no_area_from_before_it():
    assert (
        judged(
            "In PEEL 2016 Kent Police was named. Every force was graded on efficiency: five were judged outstanding."
        )
        == set()
    )


def test_an_area_heading_a_long_subject():
    text = "In PEEL 2016, the efficiency with which Kent Police carries out its many duties was rated good."
    assert judged(text) == {("kent-police", "efficiency", "good", "2016", True)}


def test_adequate_as_a_plain_word_is_no_grade():
    assert judged("In PEEL 2021/22 the quality of Kent Police's investigations was adequate.") == set()
    assert judged("In PEEL 2021/22 Kent Police's investigations were rated adequate.") != set()


def test_in_that_area_points_back():
    text = (
        "Kent Police's grade for investigating crime has slipped: "
        "in PEEL 2021/22 inspectors found it outstanding in that area."
    )
    assert judged(text) == {("kent-police", "investigating-crime", "outstanding", "2021/22", True)}


def test_a_list_with_a_comma_before_and_then_the_grade():
    text = (
        "In PEEL 2021/22 inspectors graded Kent Police's investigating crime, protecting vulnerable people, "
        "and managing offenders as requiring improvement."
    )
    assert {area for _, area, *_ in judged(text)} == {
        "investigating-crime",
        "protecting-vulnerable-people",
        "managing-offenders",
    }


def test_all_three_points_back_to_the_areas_just_listed():
    text = (
        "In PEEL 2021/22 inspectors looked hard at three areas of Kent Police: investigating crime, "
        "responding to the public and managing offenders. All three were rated as requiring improvement."
    )
    assert {area for _, area, *_ in judged(text)} == {
        "investigating-crime",
        "responding-to-the-public",
        "managing-offenders",
    }


def test_the_force_is_the_last_force_a_sentence_was_about():
    text = (
        "Kent Police was inspected in PEEL 2016. The report criticised the end of the partnership between "
        "Kent Police and Essex Police. The force was rated good at investigating crime."
    )
    assert {f for f, *_ in judged(text)} == {"kent-police"}
    roundup = (
        "In PEEL 2016 Kent Police was named. Neighbouring Essex Police was also inspected. "
        "The force was rated good at investigating crime."
    )
    assert {f for f, *_ in judged(roundup)} == {"essex-police"}


def test_an_earlier_word_in_another_grades_clause_is_not_this_ones():
    text = (
        "In PEEL 2017 Kent Police is good at investigating crime, a grade carried over from the previous year, "
        "but it requires improvement at protecting vulnerable people."
    )
    assert ("kent-police", "protecting-vulnerable-people", "requires-improvement", "2017", True) in judged(text)


def test_the_grammatical_subject_among_several_forces():
    text = "In PEEL 2016 the report on Kent Police said Essex Police was good at investigating crime."
    assert {f for f, *_ in judged(text)} == {"essex-police"}


def test_the_same_grades_as_the_force_before():
    text = (
        "In PEEL 2018/19 inspectors found that Kent Police:\n\n"
        "• is 'good' at reducing crime and keeping people safe;\n\n"
        "• is 'outstanding' at operating efficiently and sustainably.\n\n"
        "Essex Police received exactly the same grades.\n"
    )
    assert {(f, area, grade) for f, area, grade, *_ in judged(text)} == {
        ("kent-police", "effectiveness", "good"),
        ("kent-police", "efficiency", "outstanding"),
        ("essex-police", "effectiveness", "good"),
        ("essex-police", "efficiency", "outstanding"),
    }


def test_a_sentence_about_the_previous_report_is_history():
    text = (
        "In PEEL 2023-25 Kent Police was rated good at investigating crime. "
        "The previous report had been far worse, grading Kent Police inadequate for investigating crime."
    )
    assert ("kent-police", "investigating-crime", "inadequate", "2021/22", False) in judged(text)


def test_a_place_name_as_the_subject_is_the_force_the_next_sentence_means():
    text = (
        "In PEEL 2016 Kent Police was rated good at investigating crime. The inspector said Essex had performed well. "
        '"The force is good at investigating crime," he said.'
    )
    assert ("essex-police", "investigating-crime", "good", "2016", True) in judged(text)


def test_a_list_of_quoted_area_names():
    text = (
        "Kent Police was inspected in PEEL 2023-25. "
        "Three were rated 'adequate' - 'preventing crime', 'investigating crime' and 'managing offenders'."
    )
    assert {area for _, area, *_ in judged(text)} == {
        "preventing-crime-and-anti-social-behaviour",
        "investigating-crime",
        "managing-offenders",
    }
