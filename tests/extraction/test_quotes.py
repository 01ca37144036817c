"""Quotes and their speakers."""

from tests.conftest import facts


def quotes(text):
    return [(q.speaker, q.text.split()[0]) for q in facts(text).quotes]


def test_said_colon_and_continuing_paragraphs():
    text = (
        'Chief Constable Alan Pughsley, of Kent Police, said: "First we will act on all of it.\n\n'
        '"Second we will keep going with the plan.\n\n'
        '"Third we thank every officer for their work."\n'
    )
    assert quotes(text) == [("Alan Pughsley", "First"), ("Alan Pughsley", "Second"), ("Alan Pughsley", "Third")]


def test_said_after_and_surname_only():
    text = (
        "Chief Constable Alan Pughsley leads Kent Police.\n\n"
        "“We are pleased with what the inspectors found here,” said Mr Pughsley.\n"
    )
    assert quotes(text) == [("Alan Pughsley", "We")]


def test_pronoun_speaker_is_the_last_woman_named():
    text = (
        "Ms Zoe Billingham, of HMIC, published the report on Kent Police.\n\n"
        "“The force has much to be proud of in this area,” she said.\n"
    )
    assert quotes(text) == [("Zoe Billingham", "The")]


def test_organisation_spokesperson():
    text = 'An NSPCC spokesman said: "Children must be protected by every force in the country."\n'
    assert quotes(text) == [("organisation:national-society-for-the-prevention-of-cruelty-to-children", "Children")]


def test_report_quotes_and_reported_speech_are_not_quotes():
    text = (
        'The report said: "The force should monitor its neighbourhood strategy closely."\n\n'
        "Chief Constable Alan Pughsley said the force would study the findings with care.\n"
    )
    assert quotes(text) == []


def test_scare_quotes_are_not_quotes():
    assert quotes("Kent Police staff are 'highly skilled' and “very experienced indeed” in this work.") == []


def test_pronoun_finds_a_name_only_the_post_rule_knows():
    text = (
        "Deputy Chief Constable Gareth Morgan welcomed the findings for Avon and Somerset Police.\n\n"
        "“The past eighteen months have been difficult for us,” he said.\n"
    )
    assert quotes(text) == [("Gareth Morgan", "The")]


def test_the_chief_constable_as_speaker():
    text = (
        "Chief Constable Pam Kelly leads Gwent Police.\n\n"
        "“Our officers have worked very hard this year,” the chief constable said.\n"
    )
    assert quotes(text) == [("Pam Kelly", "Our")]


def test_union_spokesperson():
    text = 'A Police Federation spokesman said: "Officers are stretched thinner than ever before."\n'
    assert quotes(text) == [("organisation:police-federation-of-england-and-wales", "Officers")]
