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
