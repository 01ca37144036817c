"""Which parts of a text the statistical NER reads, and what it finds there."""

import pytest

from peelgraph.reading import nlp


def ruler_doc(text: str):
    pipeline = nlp.pipeline()
    with pipeline.select_pipes(disable=["ner"]):
        return pipeline(text)


def windows(text: str) -> list[str | None]:
    doc = ruler_doc(text)
    quoted = nlp.quoted_tokens(doc)
    flagged = {t for e in doc.ents if e.label_ in nlp.RULER_LABELS_NEEDING_NAMES for t in range(e.start, e.end)}
    sentences = [s for s in doc.sents if s.text.strip()]
    return [(w.text if (w := nlp.name_window(s, quoted, flagged)) is not None else None) for s in sentences]


def test_quotation_marks_straight_and_curly_and_over_sentences():
    doc = ruler_doc('He said "we are proud. We will improve." Then \u201cmore\u201d came.\n"Open to the end')
    quoted = dict(zip((t.text for t in doc), nlp.quoted_tokens(doc), strict=True))
    assert quoted["He"] is False and quoted["proud"] is True and quoted["We"] is True
    assert quoted["Then"] is False and quoted["more"] is True and quoted["came"] is False
    assert quoted["Open"] is True


def test_a_paragraph_break_ends_an_unclosed_quotation():
    doc = ruler_doc('"An unclosed quotation runs on\nKent Police was rated good.')
    quoted = dict(zip((t.text for t in doc), nlp.quoted_tokens(doc), strict=True))
    assert quoted["runs"] is True and quoted["Kent"] is False and quoted["good"] is False


def test_quoted_speech_alone_and_plain_sentences_are_not_read_for_names():
    text = (
        "Kent Police was rated good at investigating crime.\n"
        '"We have worked hard and Sir Tom Winsor saw that," the statement went on.\n'
        '"Every officer in the county deserves credit for it."'
    )
    first, second, third = windows(text)
    assert first is None  # no post, title or speech verb
    assert third is None  # quoted speech alone
    assert second is not None and second.endswith("the statement went on.")
    assert not second.startswith('"We have worked')  # only a margin of the quotation is read


def test_a_post_or_a_speech_verb_outside_quotes_makes_the_whole_sentence_read():
    text = "The chief constable, Alan Pughsley, welcomed the report.\nJane Smith said the force had improved."
    assert windows(text) == [
        "The chief constable, Alan Pughsley, welcomed the report.",
        "Jane Smith said the force had improved.",
    ]


def test_speakers_are_found_and_names_deep_in_quoted_speech_are_not():
    doc = nlp.parse(
        '"We thank Sarah Jones and every officer and member of staff in the county for their hard work '
        'over a very long and difficult year for all of us," said Alan Pughsley.'
    )
    people = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert people == ["Alan Pughsley"]


def test_grammar_parses_a_sentence_token_for_token():
    from peelgraph.reading.nlp import clause_head, grammar, parse

    doc = parse("Kent Police was introduced. Inspectors found that Essex Police was required to improve its work.")
    sentence = list(doc.sents)[1]
    parsed = grammar(sentence)
    assert [t.text for t in parsed] == [t.text for t in sentence]
    assert grammar(sentence) is parsed  # parsed once
    found, improve = parsed[1], parsed[[t.text for t in parsed].index("improve")]
    assert clause_head(found).text == "found" and clause_head(improve).i != found.i


@pytest.mark.parametrize(
    "text, entity_id",
    [
        ("It was adequate at leadership & force management.", "area:2023-25/leadership-and-force-management"),
        ("Hampshire & Isle of Wight Police was inspected.", "force:hampshire-and-isle-of-wight-constabulary"),
    ],
)
def test_names_are_found_with_and_or_ampersand(text, entity_id):
    kind, _, slugs = entity_id.partition(":")
    found = {
        (e.ent_id_.partition(":")[0], slug) for e in ruler_doc(text).ents for slug in e.ent_id_.split(":")[1].split("|")
    }
    assert (kind, slugs) in found


@pytest.mark.parametrize(
    "text, area",
    [
        ("It treats its own workforce with fairness and respect.", "fair-treatment-of-the-workforce"),
        ("The force manages offenders well.", "managing-offenders"),
        ("Does it plan for the future?", "planning-for-the-future"),
    ],
)
def test_area_wordings_are_found_with_their_verb_in_another_form(text, area):
    found = {slug for e in ruler_doc(text).ents if e.label_ == "AREA" for slug in e.ent_id_[5:].split("|")}
    assert area in found


def test_verb_forms_of_a_wording():
    assert set(nlp.verb_forms("treating its workforce fairly")) >= {
        "treats its workforce fairly",
        "treat its workforce fairly",
    }
    assert set(nlp.verb_forms("keeps people safe")) == {"keep people safe", "keeping people safe"}
    assert nlp.verb_forms("crime recording") == ()
