"""Quotes and their speakers."""

from tests.conftest import facts


def quotes(text):
    return [(q.speaker, q.text.split()[0]) for q in facts(text).quotes]


def test_a_quotation_running_over_paragraphs_is_one_entry():
    text = (
        'Chief Constable Alan Pughsley, of Kent Police, said: "First we will act on every part of it.\n\n'
        '"Second we will keep going with the plan we have.\n\n'
        '"Third we thank every officer for their work."\n'
    )
    found = facts(text).quotes
    assert [(q.speaker, q.text.split()[0]) for q in found] == [("Alan Pughsley", "First")]
    assert found[0].text.endswith("for their work.")


def test_a_closed_quotation_then_a_new_attribution_is_a_new_entry():
    text = (
        'Chief Constable Alan Pughsley, of Kent Police, said: "We will act on every single part of this report.\n\n'
        '"Our officers deserve the credit for all of the progress made."\n\n'
        'He added: "Next year we expect to do better again in every area."\n'
    )
    assert quotes(text) == [("Alan Pughsley", "We"), ("Alan Pughsley", "Next")]


def test_a_quotation_runs_on_past_a_mid_quote_attribution():
    text = (
        "Chief Constable Pam Kelly leads Gwent Police.\n\n"
        "\u201cThe teams here have worked very hard all year,\u201d she said. "
        "\u201cWe will keep on improving the service for every victim.\u201d\n"
    )
    assert quotes(text) == [("Pam Kelly", "The")]


def test_a_nested_quotation_does_not_end_the_quotation():
    text = (
        "Chief Constable Pam Kelly said: \u201cOur \u201cSafer Streets\u201d scheme helped a great deal this year.\n\n"
        "\u201cWe now want to build on it across the whole of Gwent.\u201d\n"
    )
    assert quotes(text) == [("Pam Kelly", "Our")]


def test_a_speaker_named_on_a_line_of_its_own():
    text = (
        "The inspection of Kent Police was published today.\n"
        "HM Inspector of Constabulary Zoe Billingham said:\n"
        "\u201cKent Police has done well to keep its communities safe this year.\u201d\n"
    )
    assert quotes(text) == [("Zoe Billingham", "Kent")]


def test_the_reports_words_are_the_inspectorates():
    text = (
        "HMIC published its PEEL 2015 report on Kent Police.\n\n"
        'The report said the force was "working well with partners to keep young people out of custody".\n\n'
        "Inspectors noted \u201ca clear focus on the victim in almost every case they looked at\u201d.\n"
    )
    assert quotes(text) == [("inspectorate:hmic", "working"), ("inspectorate:hmic", "a")]


def test_an_agent_named_with_by_and_as():
    text = (
        "HMICFRS published its PEEL 2021/22 report on Kent Police.\n\n"
        "The force is described by inspectors as \u201cgood at keeping people safe and at reducing crime\u201d.\n"
    )
    assert quotes(text) == [("inspectorate:hmicfrs", "good")]


def test_ranks_titles_and_letters_around_a_speakers_name():
    text = (
        "Acting Chief Constable Jane Rowley leads Kent Police.\n\n"
        "Acting Ch Con Rowley added: \u201cWe have listened to every concern that the inspectors raised.\u201d\n\n"
        "Dame Alice Ferrand DBE said: \u201cThe force has a long way still to go before it is good.\u201d\n"
    )
    assert quotes(text) == [("Jane Rowley", "We"), ("Alice Ferrand", "The")]


def test_fragments_under_eight_words_are_not_quotes():
    text = 'Chief Constable Pam Kelly of Gwent Police said: "We are proud of our teams."\n'
    assert quotes(text) == []


def test_a_person_named_with_their_force_is_the_speaker_not_the_force():
    text = 'Chief Constable Pam Kelly of Gwent Police said: "We are proud of every one of our teams this year."\n'
    assert quotes(text) == [("Pam Kelly", "We")]


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


def test_reported_speech_is_not_a_quote():
    text = "Chief Constable Alan Pughsley said the force would study the findings with care and act on them.\n"
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
    text = 'A Police Federation spokesman said: "Officers across the country are stretched thinner than ever before."\n'
    assert quotes(text) == [("organisation:police-federation-of-england-and-wales", "Officers")]


def test_the_next_paragraph_opening_a_quotation_goes_on_with_it():
    text = (
        "Kent Police's chief constable, Alan Pughsley, spoke after the report.\n\n"
        '"We have listened to every word the inspectors wrote about our work," he said.\n\n'
        '"We will now put each of their recommendations into practice across the county."\n\n'
        "The report was published on Thursday.\n\n"
        '"Our officers deserve the credit for every improvement that the report describes," he said later.\n'
    )
    found = [(q.speaker, q.text[:20]) for q in facts(text).quotes]
    assert found == [("Alan Pughsley", "We have listened to "), ("Alan Pughsley", "Our officers deserve")]


def test_he_said_is_the_last_person_named_who_can_be_he():
    text = (
        'Sir Tom Winsor said: "The inspection found a force that keeps improving year after year."\n\n'
        'Chief Constable Alan Pughsley said the force accepted the findings. "We will act on every part of '
        'what the inspectors have told us about our work," he said.\n'
    )
    assert quotes(text) == [("Tom Winsor", "The"), ("Alan Pughsley", "We")]


def test_a_speaker_named_before_a_post_with_commas_in_it():
    text = (
        "Essex Police was rated good in PEEL 2023-25.\n\nRoger Hirst, the Police, Fire and Crime Commissioner for "
        'Essex, said: "I welcome this report from HMICFRS, and I will keep holding the force to account."'
    )
    assert quotes(text) == [("Roger Hirst", "I")]


def test_a_hyphenated_first_name_is_kept_whole():
    text = (
        "Essex Police was rated good in PEEL 2023-25.\n\nChief Constable Ben-Julian Harrington accepted that there "
        'were areas to improve.\n\n"Continuous improvement is what we are focused on, and we will keep going," he said.'
    )
    assert quotes(text) == [("Ben-Julian Harrington", "Continuous")]
    assert {p.person for p in facts(text).posts} == {"Ben-Julian Harrington"}
