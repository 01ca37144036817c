from tests.conftest import facts


def kinds(text):
    return [f.kind for f in facts(text).findings]


def test_finding_kinds():
    assert kinds("The handling of domestic abuse by Kent Police is a cause of concern to inspectors.") == ["cause-of-concern"]
    assert kinds("Inspectors recommended that Kent Police review its vetting within six months.") == ["recommendation"]
    assert kinds("Inspectors highlighted the victim hub of Kent Police as good practice for others.") == ["good-practice"]
    assert kinds("Inspectors said the force should evaluate its problem-solving plans routinely.") == ["area-for-improvement"]


def test_advice_to_the_public_is_not_a_finding():
    assert kinds("Residents should report crimes to Kent Police online or by phone.") == []


def test_statistics_value_and_unit():
    found = {(s.value, s.unit) for s in facts("Response took 13 minutes on average and over three hours at worst, with 50 officers and 12.5% more calls.").statistics}
    assert found == {("13", "minutes"), ("3", "hours"), ("50", "officers"), ("12.5", "per cent")}


def found(text):
    return [(f.kind, f.text) for f in facts(text).findings]


def test_a_count_of_areas_for_improvement_is_not_a_finding():
    assert found("The inspectors listed 12 areas for improvement for Kent Police this year.") == []
    assert found("The inspection of Kent Police also found two causes of concern.") == []


def test_areas_for_improvement_name_their_items():
    got = found("Inspectors pointed to areas for improvement in respect of missing children, case files and vetting backlogs at Kent Police.")
    assert [k for k, _ in got] == ["area-for-improvement"] * 3
    assert got[0][1] == "missing children" and got[2][1].startswith("vetting backlogs")


def test_a_list_after_chief_among_the_concerns_gives_one_finding_an_item():
    got = found("Kent Police was graded. Chief among the concerns were supervising burglary cases, answering calls faster and training new detectives.")
    assert [t for _, t in got] == ["supervising burglary cases", "answering calls faster", "training new detectives"]


def test_told_it_must_is_an_area_for_improvement_with_its_evidence():
    text = "Kent Police serves its towns well, although it was told it must cut the delays in forensic testing of phones."
    (finding,) = facts(text).findings
    assert finding.kind == "area-for-improvement"
    assert finding.text == "it was told it must cut the delays in forensic testing of phones"
    assert text[finding.evidence.start:finding.evidence.end] == finding.text
    assert finding.evidence.rule.startswith("finding.area-for-improvement")


def test_serious_concerns_are_a_cause_of_concern_but_plain_concern_is_not():
    assert [k for k, _ in found("Inspectors said they had very serious concerns about how Kent Police handles stalking reports.")] == ["cause-of-concern"]
    assert found("Inspectors were concerned about how Kent Police handles stalking reports.") == []


def test_a_bulleted_list_after_should_gives_one_finding_a_bullet():
    text = "Kent Police was rated good.\n\nInspectors said the force should:\n\n- review its handling of hate crime reports;\n- train more staff in digital evidence.\n"
    assert [t for _, t in found(text)] == ["review its handling of hate crime reports", "train more staff in digital evidence"]


def test_a_force_being_as_good_as_it_should_be_is_not_a_finding():
    assert found("Kent Police is still not giving victims the service it should, the report said.") == []


def statistics_of(text):
    return {(s.value, s.unit) for s in facts(text).statistics}


def test_phone_numbers_are_not_counts_of_calls():
    assert statistics_of("Kent Police now answers 999 calls and 101 calls faster than before.") == set()


def test_a_rate_keeps_its_base_and_a_compared_number_takes_it():
    assert statistics_of("Kent Police received 512 calls per 1000 population, compared with 430 for the average force.") == {
        ("512", "calls per 1,000 population"), ("430", "calls per 1,000 population"),
    }
    assert statistics_of("Stalking lay behind 12.5 in every 1000 calls for service to Kent Police.") == {("12.5", "per 1,000 calls for service")}


def test_national_counts_of_forces_are_statistics():
    assert statistics_of("Kent Police was one of only five forces rated outstanding.") == {("5", "forces")}
    assert statistics_of("Kent Police is one of three (the others are Essex and Surrey) to be inspected early.") == {("3", "forces")}
    assert statistics_of("Kent Police became the fourth force to reach the grade.") == {("4", "forces")}


def test_time_idioms_periods_and_years_are_not_statistics():
    assert statistics_of("Kent Police is on duty 24 hours a day and seven days a week, over the past six months, after its 2019 recommendations.") == set()
    assert statistics_of("Calls for Kent Police should be answered within an hour, nine years on from the review.") == {("1", "hours"), ("9", "years")}


def test_a_statistic_has_a_short_measure_and_the_force_it_is_about():
    (statistic,) = facts("Kent Police said Essex Police recorded 4,200 crimes against businesses last year.").statistics
    assert statistic.force == "essex-police"
    assert statistic.measure == "crimes against businesses last year"
    (statistic,) = facts("Kent Police was inspected. The report counted 310 arrests in the spring.").statistics
    assert statistic.force == "kent-police"
