from tests.conftest import facts


def kinds(text):
    return [f.kind for f in facts(text).findings]


def test_finding_kinds():
    assert kinds("The handling of domestic abuse by Kent Police is a cause of concern to inspectors.") == [
        "cause-of-concern"
    ]
    assert kinds("Inspectors recommended that Kent Police review its vetting within six months.") == ["recommendation"]
    assert kinds("Inspectors highlighted the victim hub of Kent Police as good practice for others.") == [
        "good-practice"
    ]
    assert kinds("Inspectors said the force should evaluate its problem-solving plans routinely.") == [
        "area-for-improvement"
    ]


def test_advice_to_the_public_is_not_a_finding():
    assert kinds("Residents should report crimes to Kent Police online or by phone.") == []


def test_statistics_value_and_unit():
    found = {
        (s.value, s.unit)
        for s in facts(
            "Response took 13 minutes on average and over three hours at worst, with 50 officers and 12.5% more calls."
        ).statistics
    }
    assert found == {("13", "minutes"), ("3", "hours"), ("50", "officers"), ("12.5", "per cent")}


def found(text):
    return [(f.kind, f.text) for f in facts(text).findings]


def test_a_count_of_areas_for_improvement_is_not_a_finding():
    assert found("The inspectors listed 12 areas for improvement for Kent Police this year.") == []
    assert found("The inspection of Kent Police also found two causes of concern.") == []


def test_areas_for_improvement_name_their_items():
    got = found(
        "Inspectors pointed to areas for improvement in respect of missing children, "
        "case files and vetting backlogs at Kent Police."
    )
    assert [k for k, _ in got] == ["area-for-improvement"] * 3
    assert got[0][1] == "missing children" and got[2][1].startswith("vetting backlogs")


def test_a_list_after_chief_among_the_concerns_gives_one_finding_an_item():
    got = found(
        "Kent Police was graded. "
        "Chief among the concerns were supervising burglary cases, answering calls faster and training new detectives."
    )
    assert [t for _, t in got] == ["supervising burglary cases", "answering calls faster", "training new detectives"]


def test_told_it_must_is_an_area_for_improvement_with_its_evidence():
    text = (
        "Kent Police serves its towns well, although it was told it must cut the delays in forensic testing of phones."
    )
    (finding,) = facts(text).findings
    assert finding.kind == "area-for-improvement"
    assert finding.text == "it was told it must cut the delays in forensic testing of phones"
    assert text[finding.evidence.start : finding.evidence.end] == finding.text
    assert finding.evidence.rule.startswith("finding.area-for-improvement")


def test_serious_concerns_are_a_cause_of_concern_but_plain_concern_is_not():
    assert [
        k
        for k, _ in found(
            "Inspectors said they had very serious concerns about how Kent Police handles stalking reports."
        )
    ] == ["cause-of-concern"]
    assert found("Inspectors were concerned about how Kent Police handles stalking reports.") == []


def test_a_bulleted_list_after_should_gives_one_finding_a_bullet():
    text = (
        "Kent Police was rated good.\n\nInspectors said the force should:\n\n"
        "- review its handling of hate crime reports;\n- train more staff in digital evidence.\n"
    )
    assert [t for _, t in found(text)] == [
        "review its handling of hate crime reports",
        "train more staff in digital evidence",
    ]


def test_a_force_being_as_good_as_it_should_be_is_not_a_finding():
    assert found("Kent Police is still not giving victims the service it should, the report said.") == []


def statistics_of(text):
    return {(s.value, s.unit) for s in facts(text).statistics}


def test_phone_numbers_are_not_counts_of_calls():
    assert statistics_of("Kent Police now answers 999 calls and 101 calls faster than before.") == set()


def test_a_rate_keeps_its_base_and_a_compared_number_takes_it():
    assert statistics_of(
        "Kent Police received 512 calls per 1000 population, compared with 430 for the average force."
    ) == {
        ("512", "calls per 1,000 population"),
        ("430", "calls per 1,000 population"),
    }
    assert statistics_of("Stalking lay behind 12.5 in every 1000 calls for service to Kent Police.") == {
        ("12.5", "per 1,000 calls for service")
    }


def test_national_counts_of_forces_are_statistics():
    assert statistics_of("Kent Police was one of only five forces rated outstanding.") == {("5", "forces")}
    assert statistics_of("Kent Police is one of three (the others are Essex and Surrey) to be inspected early.") == {
        ("3", "forces")
    }
    assert statistics_of("Kent Police became the fourth force to reach the grade.") == {("4", "forces")}


def test_time_idioms_periods_and_years_are_not_statistics():
    assert (
        statistics_of(
            "Kent Police is on duty 24 hours a day and seven days a week, over the past six months, "
            "after its 2019 recommendations."
        )
        == set()
    )
    assert statistics_of("Calls for Kent Police should be answered within an hour, nine years on from the review.") == {
        ("1", "hours"),
        ("9", "years"),
    }


def test_a_statistic_has_a_short_measure_and_the_force_it_is_about():
    (statistic,) = facts("Kent Police said Essex Police recorded 4,200 crimes against businesses last year.").statistics
    assert statistic.force == "essex-police"
    assert statistic.measure == "crimes against businesses last year"
    (statistic,) = facts("Kent Police was inspected. The report counted 310 arrests in the spring.").statistics
    assert statistic.force == "kent-police"


def test_sums_of_money_are_kept_in_pounds_with_their_words_as_digits():
    assert statistics_of("Kent Police will lose £2.5m a year, out of a £1 billion regional budget.") == {
        ("2500000", "£"),
        ("1000000000", "£"),
    }


def test_a_rate_without_its_own_noun_takes_the_sentence_rate_and_people_means_population():
    assert statistics_of(
        "Kent Police handled 140 burglary reports per 1,000 people, against a regional figure of 95 per 1,000 overall."
    ) == {("140", "burglary reports per 1,000 population"), ("95", "burglary reports per 1,000 population")}


def test_counts_of_forces_by_grade_and_counts_whose_unit_is_left_out():
    assert statistics_of(
        "Across the country every force was graded: four were outstanding, 29 were good and ten required improvement."
    ) == {
        ("4", "forces"),
        ("29", "forces"),
        ("10", "forces"),
    }
    assert statistics_of("Nationally, forty-one forces were rated good and two were not.") == {
        ("41", "forces"),
        ("2", "forces"),
    }
    assert statistics_of("Inspectors read 80 cases at Kent Police and found errors in 17.") == {
        ("80", "cases"),
        ("17", "cases"),
    }


def test_a_part_of_a_whole_and_a_range_share_the_unit_written_once():
    assert statistics_of("Only 31 of 40 cases at Kent Police met the standard.") == {("31", "cases"), ("40", "cases")}
    assert statistics_of("Each Kent Police detective carried between 20 and 45 crimes.") == {
        ("20", "crimes"),
        ("45", "crimes"),
    }


def test_a_duration_in_minutes_and_seconds_is_one_number_of_seconds():
    assert statistics_of("Callers to Kent Police waited two minutes 15 seconds on average.") == {("135", "seconds")}


def test_a_count_may_say_how_it_compares_before_its_unit():
    assert statistics_of("Kent Police has 300 more officers and 40 fewer PCSOs than before.") == {
        ("300", "officers"),
        ("40", "PCSOs"),
    }


def test_times_that_say_when_are_not_statistics():
    assert (
        statistics_of(
            "Three years ago Kent Police was praised; "
            "six years into the cuts it drew on its previous 12 months of data."
        )
        == set()
    )


def test_a_lead_in_ending_in_a_colon_gives_one_finding_a_bullet_whatever_its_wording():
    text = (
        "Kent Police was inspected in the spring.\n\nThe causes of concern were that the force:\n\n"
        "  • was slow to reach people who called about domestic violence;\n"
        "  • kept too few detectives on its burglary teams.\n"
    )
    assert found(text) == [
        ("cause-of-concern", "was slow to reach people who called about domestic violence"),
        ("cause-of-concern", "kept too few detectives on its burglary teams"),
    ]


def test_a_force_named_by_its_short_name_is_a_subject_of_must():
    assert [
        k for k, _ in found("Inspectors said Hampshire must speed up how it returns seized phones to their owners.")
    ] == [
        "area-for-improvement",
    ]
    assert [
        k for k, _ in found("The report said GMP should publish clearer data about its stop and search encounters.")
    ] == [
        "area-for-improvement",
    ]


def test_failings_the_inspectors_found_in_something_are_an_area_for_improvement():
    assert found("At Kent Police the inspectors found failings in the way hate crimes were logged.") == [
        ("area-for-improvement", "the way hate crimes were logged"),
    ]


def test_a_second_verb_phrase_with_must_is_read_with_the_force_as_its_subject():
    (finding,) = facts(
        "Kent Police answers most calls quickly, and must now cut the backlog of unread witness statements."
    ).findings
    assert finding.kind == "area-for-improvement"
    assert finding.text.startswith("Kent Police answers most calls quickly") and finding.text.endswith(
        "witness statements"
    )


def test_more_work_also_needed_on_something_is_an_area_for_improvement():
    assert [
        k for k, _ in found("Kent Police was graded good. More work is also needed on reviewing cold rape cases.")
    ] == [
        "area-for-improvement",
    ]


def test_when_an_inspection_happened_is_not_what_a_count_of_causes_of_concern_is_about():
    assert (
        found(
            "Kent Police has improved since inspectors raised two causes of concern about the force during a visit "
            "last year."
        )
        == []
    )


def test_what_a_chief_constable_warned_the_force_must_do_is_not_a_finding():
    assert (
        found(
            "Kent Police was graded good. "
            "Its chief constable warned that the force must make savings in custody staffing."
        )
        == []
    )


def test_areas_requiring_improvement_named_as_areas_are_grades_not_findings():
    graded = (
        "In PEEL 2021/22 Kent Police was inspected. "
        "The areas requiring improvement were responding to the public and investigating crime."
    )
    assert found(graded) == []
    told = (
        "In PEEL 2021/22 Kent Police was inspected. "
        "Inspectors named areas for improvement in respect of responding to the public."
    )
    assert found(told) != []
