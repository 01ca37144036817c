"""What every extraction rule sees: the article, its parsed Doc and the gazetteer."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span

from peelgraph.extraction import rule_confidence
from peelgraph.gazetteer import Gazetteer
from peelgraph.model import Article, Evidence

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Lord", "Lady", "Baroness", "Prof", "Professor")
_TITLE = re.compile(r"^(?:(?:" + "|".join(TITLES) + r")\.?\s+)+")


@dataclass(frozen=True)
class Context:
    article: Article
    doc: Doc
    gazetteer: Gazetteer

    def evidence(self, start: int, end: int, rule: str, confidence: float = 1.0) -> Evidence:
        """The span's evidence; its confidence is the rule's measured precision where measured."""
        confidence = rule_confidence.confidence(rule, confidence)
        text = self.article.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Evidence(start=start, end=end, text=text[start:end], rule=rule, confidence=confidence)

    def sentence_evidence(self, sentence: Span, rule: str, confidence: float = 1.0) -> Evidence:
        return self.evidence(sentence.start_char, sentence.end_char, rule, confidence)

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        return tuple(self.doc.sents)

    def sentence_at(self, char: int) -> Span | None:
        for sentence in self.sentences:
            if sentence.start_char <= char < sentence.end_char:
                return sentence
        return None


def text_of(doc: Doc) -> str:
    """The document's text. spaCy's Doc.text joins every token on each call; this is made once."""
    text = doc.user_data.get("peelgraph_text")
    if text is None:
        text = doc.user_data["peelgraph_text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """A sentence's or span's text, sliced from the text made once (Span.text joins its tokens)."""
    return text_of(span.doc)[span.start_char : span.end_char]


def entities(span: Span) -> list[Span]:
    """The entities inside a span. spaCy's Span.ents walks the whole document on every call; this
    looks them up in a list made once per document."""
    doc = span.doc
    everything = doc.user_data.get("peelgraph_ents")
    if everything is None:
        everything = doc.user_data["peelgraph_ents"] = list(doc.ents)
    starts = doc.user_data.get("peelgraph_ent_starts")
    if starts is None:
        starts = doc.user_data["peelgraph_ent_starts"] = [e.start for e in everything]
    first = bisect.bisect_left(starts, span.start)
    found = []
    for entity in everything[first:]:
        if entity.start >= span.end:
            break
        if entity.end <= span.end:
            found.append(entity)
    return found


def clean_name(text: str) -> str:
    """A person's name without titles, possessive or stray punctuation: "Ms Zoë Smith's" -> "Zoë Smith"."""
    text = re.sub(r"['’]s$", "", text.strip().strip(",.;:"))
    return _TITLE.sub("", text).strip()


def is_full_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and not any(ch.isdigit() for ch in name)


def title_of(text: str) -> str | None:
    match = _TITLE.match(text.strip())
    return match.group(0).strip().rstrip(".") if match else None
