"""What every extraction rule sees: the article, its parsed Doc and the gazetteer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span

from peelgraph.gazetteer import Gazetteer
from peelgraph.model import Article, Evidence

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Lord", "Lady", "Baroness", "Prof", "Professor")
_TITLE = re.compile(r"^(?:(?:%s)\.?\s+)+" % "|".join(TITLES))


@dataclass(frozen=True)
class Context:
    article: Article
    doc: Doc
    gazetteer: Gazetteer

    def evidence(self, start: int, end: int, rule: str, confidence: float = 1.0) -> Evidence:
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
