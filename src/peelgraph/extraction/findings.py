"""Findings: causes of concern, areas for improvement, recommendations and good practice.

A sentence is a finding when it holds one of a kind's cue phrases (the kind's labels in the
ontology). Kinds are tried gravest first, so a sentence is one finding of one kind. Where the cue is
a modal ("should", "must", "needs to") the force must be its subject, so advice to the public is
not taken for a finding.
"""

from __future__ import annotations

import re
from functools import cache

from peelgraph.extraction.context import Context
from peelgraph.gazetteer import Gazetteer
from peelgraph.model import Finding

KIND_ORDER = ("cause-of-concern", "recommendation", "good-practice", "area-for-improvement")
MODALS = {"should", "must", "needs to", "need to", "needs to improve", "need to improve", "must improve", "must do better"}
FORCE_SUBJECT = r"(?:the force|the constabulary|it|they|[A-Z][\w&' ]*(?:Police|Constabulary|Service))\s*[\"“”']?\s*"
# Ways of speaking about grades or praise that hold a cue word but are not findings.
NOT_FINDINGS = re.compile(r"\brecommend(?:ed|s)? (?:reading|that people|residents)\b", re.I)


@cache
def _patterns(gazetteer: Gazetteer) -> tuple[tuple[str, re.Pattern | None, re.Pattern | None, tuple[str, ...]], ...]:
    """Per kind: the pattern of its plain cues, the pattern of its modal cues after the force as
    subject, and the modal words (the second pattern backtracks a lot, so it runs only on sentences
    that hold one of them)."""
    table = []
    for kind in KIND_ORDER:
        concept = gazetteer.finding_kinds[kind]
        cues = {label.lower() for label in (concept.label, *concept.match_labels)}
        plain = sorted((c for c in cues if c not in MODALS), key=len, reverse=True)
        modal = tuple(sorted((c for c in cues if c in MODALS), key=len, reverse=True))
        plain_pattern = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(c) for c in plain), re.I) if plain else None
        modal_pattern = re.compile(FORCE_SUBJECT + r"(?:%s)\b" % "|".join(re.escape(c) for c in modal), re.I) if modal else None
        table.append((kind, plain_pattern, modal_pattern, modal))
    return tuple(table)


def _has_cue(text: str, plain: re.Pattern | None, modal: re.Pattern | None, modal_words: tuple[str, ...]) -> bool:
    if plain is not None and plain.search(text):
        return True
    lowered = text.lower()
    return modal is not None and any(word in lowered for word in modal_words) and bool(modal.search(text))


def findings(ctx: Context) -> tuple[Finding, ...]:
    found = []
    for sentence in ctx.sentences:
        text = sentence.text
        if len(text.split()) < 5 or NOT_FINDINGS.search(text):
            continue
        for kind, *cues in _patterns(ctx.gazetteer):
            if _has_cue(text, *cues):
                evidence = ctx.sentence_evidence(sentence, f"finding.{kind}", 0.7)
                found.append(Finding(kind=kind, text=evidence.text, force=None, evidence=evidence))
                break
    return tuple(found)
