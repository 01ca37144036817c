"""The typed values that flow between stages: an article, the evidence for a fact, the facts.

Every fact is a frozen dataclass that carries its evidence, so any triple in the graph can be
traced to the sentence and the rule that produced it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date


def normalise_text(text: str) -> str:
    """The form of an article's text that its identity is computed from.

    >>> normalise_text("A  b\\r\\n\\r\\nc ") == normalise_text("A b\\n\\nc")
    True
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class Article:
    """One article: its text and what is known about where it came from."""

    text: str
    source: str  # the file name it was read from ("-" for standard input)
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)  # e.g. read as Windows-1252

    @property
    def id(self) -> str:
        """SHA-256 of the normalised text: the same article read twice is one article."""
        return hashlib.sha256(normalise_text(self.text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: a span of the article's text and the rule that read it."""

    start: int
    end: int
    text: str  # exactly article.text[start:end]
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True)
class ForceMention:
    force: str  # gazetteer slug
    evidence: Evidence
    topic: bool = False  # the first force its sentence names, as its subject, not "between X and Y"


@dataclass(frozen=True)
class InspectorateMention:
    inspectorate: str  # gazetteer slug
    evidence: Evidence


@dataclass(frozen=True)
class RoundCue:
    """A piece of text that tells which inspection round the article is about."""

    rounds: frozenset[str]  # round notations this cue allows, e.g. {"2018/19"}
    weight: float
    evidence: Evidence


@dataclass(frozen=True)
class Judgement:
    """A graded judgement: force, round, PEEL area, grade, and whether it is the latest."""

    force: str
    area: str  # area concept slug: a cross-round theme as read, the round's own area once resolved
    grade: str  # grade concept slug
    current: bool
    evidence: Evidence
    round: str | None = None  # None: the article's round (set by resolve)
    candidates: tuple[str, ...] = ()  # every area concept the wording can name (resolve picks the round's)
    years_before: int = 0  # an earlier result "two years ago": that many years before the article


@dataclass(frozen=True)
class Post:
    """A person holding a post (role) in an organisation."""

    person: str  # full name
    role: str | None  # role concept slug
    organisation: str | None  # force or organisation slug, or a name as written
    evidence: Evidence


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None  # full name, organisation slug, or None when unknown
    evidence: Evidence


@dataclass(frozen=True)
class Finding:
    kind: str  # finding-kind concept slug
    text: str
    force: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Statistic:
    value: str  # a decimal, as text
    unit: str
    measure: str  # a few words naming what is counted
    evidence: Evidence
    force: str | None = None  # gazetteer slug of the force it is about; None: the article's (set by resolve)


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article."""

    article: Article
    forces: tuple[ForceMention, ...] = ()
    inspectorates: tuple[InspectorateMention, ...] = ()
    round_cues: tuple[RoundCue, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    posts: tuple[Post, ...] = ()
    quotes: tuple[Quote, ...] = ()
    findings: tuple[Finding, ...] = ()
    statistics: tuple[Statistic, ...] = ()


@dataclass(frozen=True)
class Resolved:
    """An extraction with its entities made canonical: the input of to_rdf."""

    article: Article
    main_force: str | None
    inspectorate: str | None
    round: str | None
    round_evidence: Evidence | None
    forces: tuple[ForceMention, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    posts: tuple[Post, ...] = ()
    quotes: tuple[Quote, ...] = ()
    findings: tuple[Finding, ...] = ()
    statistics: tuple[Statistic, ...] = ()
    notes: tuple[str, ...] = field(default=())
