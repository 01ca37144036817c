"""People and their posts: "Chief Constable Nick Dean", "Ray Bisby, the acting PCC",
"Zoe Billingham, of Her Majesty's Inspectorate of Constabulary".

Posts come from the ontology's posts scheme (via the entity ruler), names from the statistical NER
(or, where it misses one, the capitalised words right after a post).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from peelgraph.extraction.context import Context, clean_name, entities, is_full_name, text_of
from peelgraph.model import Post
from peelgraph.reading.nlp import FORCE, INSPECTORATE, ORGANISATION, POST, entity_kind

ORGANISATION_LABELS = (FORCE, INSPECTORATE, ORGANISATION)
# The default post of someone introduced only as "X, of <organisation kind>".
DEFAULT_POST_FOR = {"inspectorate": "hm-inspector-of-constabulary"}
# a name stays on one line: a headline's last words are not followed by the next paragraph's first
_WORD = r"[A-Z][a-zà-ÿ'’]+(?:-[A-Z]?[a-zà-ÿ'’]+)*"  # "Harrington", "Ben-Julian", "Smith-jones"
_CAPITALISED = re.compile(rf"^[ \t]*,?[ \t]*({_WORD}(?:[ \t]+{_WORD}){{1,2}})")
_FILLER = {",", "the", "a", "an", "its", "their", "'s", "’s", "s", "one", "of"}
# between a post and its holder's name: nothing, a comma, where the post is ("for Gwent, ") or a
# headline noun ("HMI chief Zoe Billingham")
POST_TO_NAME_GAP = (
    r"\s*(?:(?:for|of|in|at)\s+(?:the\s+)?[A-Z][\w&'’-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w&'’-]*){0,3}\s*)?,?\s*"
    r"(?:(?:chief|boss|head|lead)\s+)?"
)
# "Jane Mudd, who was elected Police and Crime Commissioner", "Mark Hobrough became chief constable"
BECAME = re.compile(
    r"^,?\s*(?:who\s+)?(?:has\s+|had\s+)?(?:became|become|took over as|was elected(?: as)?|was appointed(?: as)?|"
    r"been appointed(?: as)?|was named(?: as)?|served as|is)\s+(?:the\s+|its\s+|their\s+)?$",
    re.I,
)


def posts(ctx: Context) -> tuple[Post, ...]:
    found: list[Post] = []
    for sentence in ctx.sentences:
        named = entities(sentence)
        for index, entity in enumerate(named):
            if entity.label_ == POST:
                found.extend(_post_then_name(ctx, sentence, named, index))
            elif entity.label_ == "PERSON":
                found.extend(_name_then_post(ctx, sentence, named, index))
    return tuple(found)


def _organisation_near(ctx: Context, sentence: Span, post: Span) -> str | None:
    """The organisation a post phrase names: "Kent Police's chief constable", "PCC for Cambridgeshire"."""
    doc = sentence.doc
    before = [e for e in entities(sentence) if e.label_ in ORGANISATION_LABELS and e.end <= post.start]
    if before and all(t.lower_ in _FILLER for t in doc[before[-1].end : post.start]):
        return entity_kind(before[-1])[1]
    after = [e for e in entities(sentence) if e.label_ in ORGANISATION_LABELS and e.start >= post.end]
    if (
        after
        and all(t.lower_ in {"of", "for", "at", "the", "in"} for t in doc[post.end : after[0].start])
        and after[0].start - post.end <= 3
    ):
        return entity_kind(after[0])[1]
    place = re.match(
        r"\s*(?:of|for)\s+([A-Z][\w&-]*(?:\s(?:and\s|&\s)?[A-Z][\w&-]*){0,2})",
        text_of(doc)[post.end_char : post.end_char + 40],
    )
    if place:
        return _force_by_area(ctx, place.group(1).strip())
    possessive = re.search(
        r"((?:[A-Z][\w&-]*\s?){1,3})['’]s\s*$",
        text_of(doc)[max(sentence.start_char, post.start_char - 40) : post.start_char],
    )
    if possessive:
        return _force_by_area(ctx, possessive.group(1).strip())
    return None


def _force_by_area(ctx: Context, place: str) -> str | None:
    for force in ctx.gazetteer.forces.values():
        if place in (force.short_name, force.short_name.replace("&", "and")):
            return force.slug
    return None


def _post_then_name(ctx: Context, sentence: Span, named: list[Span], index: int) -> list[Post]:
    post = named[index]
    doc = sentence.doc
    name = None
    for following in named[index + 1 : index + 4]:  # "PCC for Gwent, Jeff Cuthbert"
        gap = text_of(doc)[post.end_char : following.start_char]
        if (
            following.label_ == "PERSON"
            and is_full_name(clean_name(following.text))
            and re.fullmatch(POST_TO_NAME_GAP, gap)
        ):
            name = clean_name(following.text)
            break
    if name is None:
        match = _CAPITALISED.match(text_of(doc)[post.end_char : post.end_char + 60])
        if match and not any(
            e.start_char < post.end_char + match.end(1)
            and e.end_char > post.end_char
            and e.label_ in ORGANISATION_LABELS + (POST,)
            for e in named
        ):
            name = clean_name(match.group(1))
    if not name or not is_full_name(name):
        return []
    role = entity_kind(post)[1]
    evidence = ctx.sentence_evidence(sentence, "person.post-then-name", 0.9)
    return [Post(person=name, role=role, organisation=_organisation_near(ctx, sentence, post), evidence=evidence)]


def _name_then_post(ctx: Context, sentence: Span, named: list[Span], index: int) -> list[Post]:
    person = named[index]
    name = clean_name(person.text)
    if not is_full_name(name):
        return []
    doc = sentence.doc
    rest = named[index + 1 :]
    if not rest:
        return []
    if doc[person.end].text != ",":
        post = rest[0] if rest[0].label_ == POST else None
        if post is None or not BECAME.match(text_of(doc)[person.end_char : post.start_char]):
            return []
    nearest = rest[0]
    gap = [t.lower_ for t in doc[person.end : nearest.start]]
    if nearest.label_ in ORGANISATION_LABELS and gap in ([",", "of"], [",", "of", "the"]):
        kind, slug = entity_kind(nearest)
        role = DEFAULT_POST_FOR.get(kind)
        if role is None:
            return []
        evidence = ctx.sentence_evidence(sentence, "person.name-of-organisation", 0.8)
        return [Post(person=name, role=role, organisation=slug, evidence=evidence)]
    post = next((e for e in rest[:2] if e.label_ == POST), None)
    if post is None:
        return []
    if BECAME.match(text_of(doc)[person.end_char : post.start_char]):
        evidence = ctx.sentence_evidence(sentence, "person.name-became-post", 0.85)
        return [
            Post(
                person=name,
                role=entity_kind(post)[1],
                organisation=_organisation_near(ctx, sentence, post),
                evidence=evidence,
            )
        ]
    place = re.fullmatch(
        rf",\s*(?P<place>{ctx.gazetteer.place_names})['’]s\s*", text_of(doc)[person.end_char : post.start_char]
    )
    if place:  # "Clive Grunshaw, Lancashire's Police and Crime Commissioner"
        evidence = ctx.sentence_evidence(sentence, "person.name-then-post", 0.9)
        force = ctx.gazetteer.forces_by_place[place.group("place")]
        return [Post(person=name, role=entity_kind(post)[1], organisation=force, evidence=evidence)]
    between = [t.lower_ for t in doc[person.end : post.start]]
    organisation_between = [e for e in rest if e.end <= post.start]
    allowed = set(_FILLER) | {"acting", "interim", "temporary", "deputy", "new", "former"}
    words_ok = all(
        w in allowed or any(e.start <= t.i < e.end for e in organisation_between)
        for t, w in zip(doc[person.end : post.start], between, strict=True)
    )
    if not words_ok or len(between) > 8:
        return []
    role = entity_kind(post)[1]
    evidence = ctx.sentence_evidence(sentence, "person.name-then-post", 0.9)
    return [Post(person=name, role=role, organisation=_organisation_near(ctx, sentence, post), evidence=evidence)]
