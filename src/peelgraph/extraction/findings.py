"""Findings: causes of concern, areas for improvement, recommendations and good practice.

A finding is what the inspectorate says the force must or should do, or what it is gravely
concerned about. It is read from a cue and the clause the cue governs, never from the cue word
alone, so a count ("19 areas for improvement", "three causes of concern") or a passing mention
("there is room for improvement") is not a finding. Cues are of three sorts, each a row of RULES:

* a finding's own name, a noun ("cause of concern", "area for improvement", "good practice"):
  the finding is what follows when a linking word introduces it ("areas for improvement in X, Y
  and Z", "a cause of concern - namely that ...") or the subject the name is predicated of
  ("X is a cause of concern", "highlighting X as good practice");
* a modal or a telling verb with the force as its subject ("the force must ...", "it should ...",
  "Kent Police was told to ...", "advised the force to ..."): the clause holding it;
* a second verb phrase with a modal whose subject is the force ("Kent answers calls quickly, and
  must ..."): the clause from that subject; failings the inspectors found in something ("found
  failings in the way X is done"): what they are in;
* a need for improvement said of something specific ("crime recording still needs to improve",
  "improvement was required in ..."), or a grave concern ("serious concerns about ..."): the
  clause holding it, or what follows.

A cue whose clause ends in a colon introduces a list: each item that follows (a bullet line) is
one finding. Lists written inline ("Chief among the concerns were A, B and C") give one finding
an item. Kinds are tried gravest first and a stretch of text is one finding of one kind. Evidence
spans exactly the text of the finding.
"""

from __future__ import annotations

import re
from functools import cache

from peelgraph.extraction.context import Context, span_text
from peelgraph.gazetteer import Gazetteer
from peelgraph.model import Finding

KIND_ORDER = ("cause-of-concern", "recommendation", "good-practice", "area-for-improvement")

# Words that never make a finding's content: function words, the parties, reporting verbs and
# words that only point at a finding without saying what it is ("some areas", "the work").
NOT_CONTENT = set(
    """the a an of to and in on for its it is be that with by at as are was were their this these
    those from or has have had been being not but also still further more most much some any all
    every each many several certain other others few number areas area parts part aspects aspect
    things thing elements work improvement improvements improve improving better get do does done
    must should need needs needed needing has have ought required requires require told asked
    urged advised instructed ordered force forces police constabulary service they them there
    inspectors inspectorate inspection report hmic hmicfrs said says found find concluded noted
    which who what where when how very so such than then now will would can could may might
    room scope cause causes concern concerns recommendation recommendations practice practices
    good best identified highlighted flagged raised named listed set out make made within months
    weeks days years year six nine twelve urgent during last ago earlier previous recent recently latest
    today yesterday month week include includes included including""".split()
)

NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|several|a number of|a few|many|"
    "numerous|further|a further|more|some|no"
)
# "19 areas for improvement", "a further three causes of concern": counts, not findings.
COUNT_BEFORE = re.compile(r"(?:\b(?:" + NUMBER_WORDS + r")|\d+)\s+(?:\w+\s+)?$", re.I)

# Where a clause stops inside a sentence.
CLAUSE_END = re.compile(
    r"\s*(?:;|\s[–—-]\s|\s[–—]|[–—]\s|,\s*(?:but|although|though|while|whereas|according to|"
    r"(?:the )?(?:report|inspectors?|inspectorate|HMICF?R?S?) (?:said|says|found|added|noted))\b)",
    re.I,
)
# Where a clause starts inside a sentence (the latest such point before a cue).
CLAUSE_START = re.compile(
    r"(?:;|:|\s[–—-]\s|,\s*(?:but|although|though|while|whereas)\b|\b(?:but|although|though|whereas)\b)\s*",
    re.I,
)
# The words that introduce what a named finding is about.
INTRODUCER = re.compile(
    r"""\s*[“"'‘’”]?\s*(?:[:–—-]\s*|,\s*)?(?:(?:which|this|that) (?:is|was|are|were) )?
    (?:namely\s+(?:that\s+)?|(?:is|was|are|were)\s+(?:that\s+)?(?=\w)|included?\s*:?\s*|including\s+|such\s+as\s+|
    in\s+respect\s+of\s+|relating\s+to\s+|related\s+to\s+|in\s+relation\s+to\s+|about\s+|over\s+|regarding\s+|
    concerning\s+|around\s+|into\s+|on\s+|in\s+|for\s+(?:the\s+force|it|them)\s+to\s+|that\s+|:\s*)""",
    re.I | re.X,
)
# A named finding predicated of what precedes it: "X is a cause of concern", "X as good practice".
PREDICATE_BEFORE = re.compile(
    r"""(?:\b(?:is|was|are|were|remains?|remained|been|become|became)\s+(?:(?:also|still|now|identified|
    named|raised|highlighted|listed|singled\s+out|seen|regarded|described)\s+)*(?:as\s+)?|\bas\s+)
    (?:(?:an?|the|one|another|a\s+further|an\s+example\s+of|examples\s+of|a\s+key|key|serious|major|
    particular|specific)\s+)*[“"'‘]?$""",
    re.I | re.X,
)
# Verbs after which the subject of a predicated finding starts ("highlighting X as good practice").
SUBJECT_START = re.compile(
    r"\b(?:that|said|says|found|finds|concluded|noted|highlighting|highlighted|praising|praised|singled out|"
    r"singling out|identifying|identified|commending|commended|describing|named|naming)\b|[,:“\"]",
    re.I,
)

# The force as the subject of a modal or a telling verb.
# NAMED_FORCES stands for the gazetteer's short names and aliases of forces ("Kent", "GMP", "the Met"),
# filled in when the rules are compiled for a gazetteer.
FORCE_SUBJECT = (
    r"(?:\b(?:the|this|that) (?:force|constabulary|service|organisation)|\b(?:it|they)|"
    r"\b(?-i:(?:[A-Z][\w'’&-]*\s+){0,3}(?:Police|Constabulary|Service|Force))|\bthe Met|NAMED_FORCES)"
)
MODAL = (
    r"(?:must|should|ought to|needs? to|needed to|has to|have to|had to|will need to|will have to|"
    r"(?:is|was|were|are|has been|had been) (?:being )?"
    r"(?:required|told|asked|urged|ordered|instructed|expected|advised) to|"
    r"(?:requires?|required|needs?|needed) (?:more|better|greater|improved|stronger|clearer|further) (?=\w))"
)
# Telling verbs with the force as object: "advised the force to", "told it that it must".
TELLING = (
    r"\b(?:advised|urged|asked|told|instructed|ordered|called on|called upon|wants?|wanted|expects?|expected|"
    r"recommended|recommends|recommend)\s+(?:that\s+)?" + FORCE_SUBJECT + r"\s+(?:to|should|must)\b"
)
# A need for improvement said of whatever is the subject.
IMPROVE = (
    r"\b(?:(?:still|also|further)\s+)?(?:needs?|needed)\s+(?:to\s+)?(?:be\s+)?(?:further\s+)?"
    r"(?:improvement|improving|improved|updating|updated|attention|strengthening)\b|"
    # "requires improvement" is a grade; only other needs count after "require"
    r"\b(?:(?:still|also|further)\s+)?(?:requires?|required)\s+(?:to\s+be\s+)?(?:further\s+improvement|"
    r"improving|improved|updating|updated|attention|strengthening)\b|"
    r"\b(?:must|should)\s+(?:still\s+|also\s+)?(?:improve|get better|do better|be improved)\b|"
    r"\bneeds?\s+to\s+(?:improve|get better|do better)\b|\bneeded\s+to\s+(?:improve|get better|do better)\b|"
    r"\b(?:more|further)\s+(?:work\s+)?"
    r"(?:needs|need|needed|is needed|was needed|is required|was required|has)\s+to\s+be\s+done\b|"
    r"\b(?:more|further)\s+work\s+(?:is|was)\s+(?:also\s+|still\s+)?(?:needed|required)\b|"
    r"\b(?:urgent\s+)?improvements?\s+(?:as\s+a\s+matter\s+of\s+urgency\s*)?[”\"'’]?\s*"
    r"(?:is|was|are|were)\s+(?:urgently\s+)?(?:needed|required|necessary)\b|"
    r"\b(?:urgent\s+)?improvements?\s+(?:need|needed|needs)\s+to\s+be\s+made\b|"
    r"\b(?:need|needs)\s+for\s+improvement\b|"
    r"\b(?:has|have|had)\s*(?:not|n[’']t)\s+(?:yet\s+)?made\s+enough\s+progress\s+(?:to|in|on)\b|"
    r"\bwork\s+(?:should|must|needs\s+to)\s+be\s+done\s+(?:to|on|in)\b|"
    r"\bimprovements?\s+(?:needed|required|to\s+be\s+made)\s+(?:in|on|to|around)\b"
)
DEADLINE = (
    r"\b(?:within\s+(?:\w+\s+)?(?:days|weeks|months)|by\s+(?:the\s+end\s+of\s+)?(?:January|February|March|April|May|"
    r"June|July|August|September|October|November|December|\d{4}))\b"
)
# "Other improvements include ...", "improvements to be made, ..., including ...".
IMPROVEMENTS_INCLUDE = (
    r"\bimprovements?\s+(?:(?:to\s+be\s+made|needed|required|(?:are|were)\s+needed)\s*,?[^.;:]{0,60}?\s)?"
    r"(?:include|included|including|such\s+as)\b:?"
)
# Shortcomings the inspectors found in something: "found failings in the way X is done".
FAILINGS = (
    r"\b(?:found|find|finds|identified|identifies|highlighted|highlights|pointed\s+(?:out|to)|noted|uncovered|revealed|"
    r"flagged|exposed|saw)\s+(?:(?:a|some|several|serious|significant|clear|persistent|many|a\s+number\s+of)\s+)*"
    r"(?:failings|failures|weaknesses|shortcomings|flaws|deficiencies|gaps|problems|errors)\s+(?:in|with|around)\b"
)
# A need the force is told of in a second verb phrase whose subject is the sentence's own: "the force
# answers calls quickly, but must improve ...", "X has done A and needs to do B".
COORDINATED_MODAL = (
    r"(?:,\s*|\s)(?:and|but|yet)\s+(?:(?:also|still|now|further)\s+)?"
    r"(?P<need>must|should|ought to|needs? to|needed to|has to|had to|will need to)\b"
)
# A grave concern: "very serious concerns", "serious concerns about"; a plain "concerned" is not.
GRAVE = (
    r"\b(?:(?:very|extremely|most|deeply|particularly)\s+)?(?:serious|grave|significant|major)\s+concerns?\b"
    r"(?=(?:\s+(?:on|in|from)\s+(?:my|our|its|their|the\s+\w+)\s+part)?"
    r"\s+(?:about|over|regarding|with|around|that|in\s+relation\s+to|as\s+to)\b)|"
    r"\b(?:very|extremely|deeply|particularly)\s+(?:serious|grave)\s+concerns?\b|"
    r"\bseriously\s+concerned\s+(?:about|that|by)\b"
)
# Inline lists of what must change: "Chief among the concerns were A, B and C".
CONCERN_LIST = (
    r"\b(?:(?:chief|main|principal|key|biggest|greatest)\s+"
    r"(?:among\s+(?:the|its|their)\s+)?(?:areas?\s+of\s+)?concerns?|"
    r"among\s+(?:the|its|their)\s+(?:main\s+|chief\s+|key\s+)?concerns)\s+(?:were|was|are|is|included?|including)\b:?"
)

# rule id -> (kind, pattern, mode, confidence). Modes: "term" (a finding's name, read with what
# follows or precedes it), "clause" (the clause holding the cue), "after" (what follows the cue),
# "list" (the items that follow the cue).
RULES: dict[str, tuple[str, str, str, float]] = {
    "cause-of-concern.term": ("cause-of-concern", r"\bcauses?\s+(?:of|for)\s+concern\b[”\"'’]?", "term", 0.8),
    "cause-of-concern.grave": ("cause-of-concern", GRAVE, "after", 0.7),
    "recommendation.term": ("recommendation", r"\brecommendations?\b", "term", 0.7),
    "good-practice.term": (
        "good-practice",
        r"\b(?:good|innovative|notable|promising|best)\s+practices?\b[”\"'’]?",
        "term",
        0.7,
    ),
    "area-for-improvement.term": (
        "area-for-improvement",
        r"\bareas?\s+(?:(?:identified|flagged|singled\s+out|highlighted)\s+)?"
        r"(?:for|of|requiring|needing|in\s+need\s+of)\s+(?:improvement|concern)\b",
        "term",
        0.7,
    ),
    "area-for-improvement.concern-list": ("area-for-improvement", CONCERN_LIST, "list", 0.7),
    # a recommendation is an action set with a deadline; without one it is an area for improvement
    "recommendation.recommended": (
        "recommendation",
        r"\brecommend(?:ed|s)?\s+that\b(?=[^.;]*" + DEADLINE + ")",
        "after",
        0.7,
    ),
    "area-for-improvement.recommended": ("area-for-improvement", r"\brecommend(?:ed|s)?\s+that\b", "after", 0.7),
    "area-for-improvement.telling": ("area-for-improvement", TELLING, "after", 0.7),
    "area-for-improvement.modal": (
        "area-for-improvement",
        FORCE_SUBJECT + r"(?:\s+[“\"‘']?|[”\"’']?\s+)(?:(?:also|still|now|further)\s+)?" + MODAL,
        "clause",
        0.7,
    ),
    "area-for-improvement.improvements-include": ("area-for-improvement", IMPROVEMENTS_INCLUDE, "after", 0.6),
    "area-for-improvement.failings": ("area-for-improvement", FAILINGS, "after", 0.6),
    "area-for-improvement.coordinated-modal": ("area-for-improvement", COORDINATED_MODAL, "from", 0.6),
    "area-for-improvement.improve": ("area-for-improvement", IMPROVE, "clause", 0.6),
}
_KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}
# Cues whose subject is the force: what follows them must say what the force is to do.
_FORCE_CUE_RULES = {"area-for-improvement.modal"}
_COMPILED_FOR: dict[int, tuple] = {}


def _named_forces(gazetteer) -> str:
    """The force names a sentence may use as its subject, case as written: "Hampshire", "GMP"."""
    names = {name for force in gazetteer.forces.values() for name in (getattr(force, "short_name", ""), *force.aliases)}
    names = sorted((n for n in names if n and not n.lower().endswith("police force")), key=len, reverse=True)
    return r"\b(?-i:" + "|".join(re.escape(n) for n in names) + r")\b" if names else r"(?!x)x"


def _compiled(gazetteer) -> tuple:
    """The rules compiled for one gazetteer: (rule, kind, pattern, mode, confidence) each."""
    key = id(gazetteer)
    if key not in _COMPILED_FOR:
        named = _named_forces(gazetteer)
        _COMPILED_FOR[key] = tuple(
            (rule, kind, re.compile(pattern.replace("NAMED_FORCES", named), re.I), mode, confidence)
            for rule, (kind, pattern, mode, confidence) in RULES.items()
        ) + (re.compile(FORCE_SUBJECT.replace("NAMED_FORCES", named), re.I),)
    return _COMPILED_FOR[key]


# Not findings though they hold a cue: advice to the public, "as it should", "the service it
# should", "recommend reading".
NOT_FINDINGS = re.compile(
    r"\brecommend(?:ed|s)? (?:reading|that people|residents)\b|\b(?:as|than|what|that) (?:it|they) (?:should|ought)\b"
    r"|\b(?:it|they) (?:should|must|ought to)(?=\s*(?:[,.;:)”\"]|$))",
    re.I,
)
# What others say the force must do is their view, not the inspectorate's finding: "the
# commissioner said that the force must ..."; and what any force must do is no finding about one.
NOT_THE_INSPECTORATE = re.compile(
    r"\b(?:commissioner|pcc|chief constable|mayor|spokes(?:man|woman|person)|councillor|mp|federation)\b"
    r"[^.;:]{0,80}?\b(?:said|says|states|stated|added|believes|believed|argued|argues|insisted|insists|warned|warns|"
    r"admitted|admits|accepted|accepts|acknowledged|acknowledges|conceded|concedes)\s+(?:that\s+)?[^.;:]{0,80}$"
    r"|\b(?:if|when|where)\s+(?:a|any|every)\s+force\b[^.;]*$"
    r"|\b(?:(?:all|every|each|many|most|other|some)\s+)?"
    r"(?:forces|every\s+force|each\s+force|police\s+leaders)\s+(?:\w+\s+)?$",
    re.I,
)
GENERIC_SUBJECT = re.compile(r"(?:all|every|each|many|most|other)\s+(?:police\s+)?forces?\b", re.I)
SUBORDINATE = re.compile(r"^[\s“\"‘']*(?:while|whilst|although|though|despite|even though)\b", re.I)
FINITE = re.compile(r"\b(?:can|could|will|would|may|is|are|was|were|has|have|had)\b", re.I)
BULLET = re.compile(r"^\s*(?:[-–—•*·▪]|\d+[.)])\s+")
OPENING = re.compile(r"^[\s,;:–—\-“\"‘'”’(]*(?:and\s+|or\s+|that\s+|namely\s+)*", re.I)
CLOSING = re.compile(r"[\s,;:.–—\-“\"‘'”’]+$")


def _content(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'’-]+", text.lower()) if w not in NOT_CONTENT and len(w) > 2]


def _clause_end(text: str, start: int) -> int:
    match = CLAUSE_END.search(text, start)
    return match.start() if match else len(text)


def _clause_start(text: str, before: int) -> int:
    start = 0
    for match in CLAUSE_START.finditer(text, 0, before):
        if match.end() <= before:
            start = match.end()
    return start


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading connectives and quote marks or trailing punctuation."""
    opening = OPENING.match(text, start, end)
    if opening:
        start = opening.end()
    closing = CLOSING.search(text[start:end])
    if closing:
        end = start + closing.start()
        span = text[start:end]
        if (span.count('"') % 2 or span.count("“") > span.count("”")) and text[end : end + 1] in '"”':
            end += 1  # keep the quote mark that closes a quotation the finding opens
    return start, end


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """An inline list's items: split at semicolons and commas, and at a last "and" when what follows
    begins as the first item does (with an -ing word, "to", "how", "the")."""
    body = text[start:end]
    parts, offset = [], 0
    for piece in re.split(r"(;\s*|,\s*(?:and\s+|or\s+)?)", body):
        if piece and not re.fullmatch(r";\s*|,\s*(?:and\s+|or\s+)?", piece):
            parts.append((start + offset, start + offset + len(piece)))
        offset += len(piece)
    if not parts:
        return []
    first_word = re.match(r"\s*(\w+)", text[parts[0][0] : parts[0][1]])
    shape = _shape(first_word.group(1)) if first_word else None
    items = []
    for s, e in parts:
        split = None
        if shape:
            for m in re.finditer(r"\s+and\s+(\w+)", text[s:e]):
                if _shape(m.group(1)) == shape:
                    split = s + m.start()
                    break
        if split:
            items += [(s, split), (split + len(re.match(r"\s+and\s+", text[split:e]).group(0)), e)]
        else:
            items.append((s, e))
    if SUBORDINATE.match(text):
        # "While there are areas for improvement, including A and B, the force is ...": the list
        # ends where the main clause, with its own verb, begins
        for i, (s, e) in enumerate(items[1:], 1):
            if FINITE.search(text, s, e):
                return items[:i]
    return items


def _shape(word: str) -> str | None:
    word = word.lower()
    if word.endswith("ing") and len(word) > 4:
        return "ing"
    return word if word in {"to", "how", "the", "its", "at", "in"} else None


def _bullets_after(ctx: Context, index: int) -> list[tuple[int, int]]:
    """The bullet lines that follow sentence `index` (a cue ending in a colon)."""
    found = []
    for sentence in ctx.sentences[index + 1 :]:
        if not span_text(sentence).strip():
            continue
        if not BULLET.match(span_text(sentence)):
            break
        start = sentence.start_char + BULLET.match(span_text(sentence)).end()
        found.append((start, sentence.start_char + len(span_text(sentence).rstrip())))
    return found


def _spans(
    ctx: Context, index: int, text: str, match: re.Match, rule: str, mode: str, force_subject: re.Pattern
) -> list[tuple[int, int]]:
    """The spans of the article that a cue's match states as findings."""
    at = ctx.sentences[index].start_char
    if mode == "term":
        spans = _term_spans(ctx, index, text, match)
    elif mode in ("after", "list"):
        intro = INTRODUCER.match(text, match.end()) if mode == "after" else None
        start = intro.end() if intro else match.end()
        end = _clause_end(text, start)
        if not _content(text[start:end]):
            return _colon_list(ctx, index, text, match.end())  # article offsets
        if mode == "list":
            spans = _items(text, *_trim(text, start, end))
        else:
            spans = [(match.start() if rule == "cause-of-concern.grave" else start, end)]
    elif mode == "from":  # both verb phrases of a sentence whose subject is the force
        subjects = list(force_subject.finditer(text, _clause_start(text, match.start()), match.start()))
        end = _clause_end(text, match.end())
        if not subjects or len(_content(text[match.end() : end])) < 2:
            return []
        spans = [(subjects[-1].start(), end)]
    else:  # the clause holding the cue
        start = _clause_start(text, match.start())
        end = _clause_end(text, match.end())
        subject = SUBJECT_START.split(text[start : match.start()])[-1]
        complement = _content(text[match.end() : end])
        wanted = complement if rule in _FORCE_CUE_RULES else _content(subject) + complement
        if len(wanted) < 2:
            return _colon_list(ctx, index, text, match.end())
        spans = [(start, end)]
    return [(at + s, at + e) if s >= 0 else (-s - 1, -e - 1) for s, e in spans]


def _colon_list(ctx: Context, index: int, text: str, end: int) -> list[tuple[int, int]]:
    """A cue whose sentence ends in a colon, with nothing of substance between ("The causes of
    concern were that the force:"), introduces bulleted items (given as article offsets, already
    absolute)."""
    rest = text[end:].strip()
    if rest.endswith(":") and not _content(rest[:-1]):
        return _bullets_after(ctx, index)
    return []


def _term_spans(ctx: Context, index: int, text: str, match: re.Match) -> list[tuple[int, int]]:
    """Sentence offsets (or, for bullets, article offsets encoded as -offset - 1)."""
    before = text[: match.start()]
    intro = INTRODUCER.match(text, match.end())
    if intro and intro.end() > match.end():
        start = intro.end()
        end = _clause_end(text, start)
        if _content(text[start:end]):
            listed = re.search(
                r"includ|such as|in respect of|:|(?:is|was|are|were)\s*$", text[match.end() : intro.end()], re.I
            )
            return _items(text, *_trim(text, start, end)) if listed else [(start, end)]
    if COUNT_BEFORE.search(before):
        return _encoded(_colon_list(ctx, index, text, match.end()))
    predicate = PREDICATE_BEFORE.search(before)
    if predicate:
        start = _clause_start(text, predicate.start())
        pieces = list(SUBJECT_START.finditer(text, start, predicate.start()))
        if pieces:
            start = pieces[-1].end()
        if len(_content(text[start : predicate.start()])) >= 2:
            return [(start, predicate.start())]
    return _encoded(_colon_list(ctx, index, text, match.end()))


def _encoded(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(-s - 1, -e - 1) for s, e in spans]


def _is_headline(ctx: Context, index: int) -> bool:
    """The first line of an article with no closing full stop: a headline restates the body."""
    sentence = ctx.sentences[index]
    text = ctx.article.text
    return (
        sentence.start_char == len(text) - len(text.lstrip())
        and "\n" in text[sentence.start_char : sentence.start_char + len(span_text(sentence)) + 1] + "\n"
        and not span_text(sentence).rstrip().endswith((".", "!", "?", "”", '"'))
    )


# Words without which a costly rule cannot match (its subject alternation tries every force name
# at every position): sentences without them skip it.
CUE_WORDS = {
    "area-for-improvement.modal": re.compile(
        r"\b(?:must|should|ought|needs?|needed|has|have|had|will|required|requires?|told|asked|urged|ordered|"
        r"instructed|expected|advised)\b",
        re.I,
    ),
}


@cache
def _area_names(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(label.lower() for area in gazetteer.areas.values() for label in (area.label, *area.match_labels))


def _names_an_area(gazetteer: Gazetteer, text: str) -> bool:
    words = re.sub(r"^(?:and|or|its|the|their)\s+", "", text.strip(" .,;:'\"‘’“”").lower())
    return words in _area_names(gazetteer)


def findings(ctx: Context) -> tuple[Finding, ...]:
    candidates: list[tuple[int, int, int, str, str, float]] = []
    for index, sentence in enumerate(ctx.sentences):
        text = span_text(sentence)
        if len(text.split()) < 4 or _is_headline(ctx, index):
            continue
        excluded = [m.span() for m in NOT_FINDINGS.finditer(text)]
        *rules, force_subject = _compiled(ctx.gazetteer)
        for rule, kind, pattern, mode, confidence in rules:
            if rule in CUE_WORDS and not CUE_WORDS[rule].search(text):
                continue
            for match in pattern.finditer(text):
                if any(s <= match.start() < e or s < match.end() <= e for s, e in excluded):
                    continue
                if NOT_THE_INSPECTORATE.search(text, 0, match.start()):
                    continue
                for start, end in _spans(ctx, index, text, match, rule, mode, force_subject):
                    start, end = _trim(ctx.article.text, start, end)
                    if "requir" in match.group(0).lower() and _names_an_area(
                        ctx.gazetteer, ctx.article.text[start:end]
                    ):
                        continue  # "the areas requiring improvement were A, B and C": grades, not findings
                    if len(_content(ctx.article.text[start:end])) < 2 or GENERIC_SUBJECT.match(ctx.article.text, start):
                        continue
                    candidates.append((_KIND_RANK[kind], start, end, kind, rule, confidence))
    return _without_overlaps(ctx, candidates)


def _without_overlaps(ctx: Context, candidates) -> tuple[Finding, ...]:
    """Gravest kind first, then the longer span: a stretch of text is one finding of one kind."""
    kept: list[tuple[int, int, str, str, float]] = []
    for _, start, end, kind, rule, confidence in sorted(candidates, key=lambda c: (c[0], -(c[2] - c[1]), c[1])):
        if any(start < e and s < end for s, e, *_ in kept):
            continue
        kept.append((start, end, kind, rule, confidence))
    found = []
    for start, end, kind, rule, confidence in sorted(kept):
        evidence = ctx.evidence(start, end, f"finding.{rule}", confidence)
        found.append(Finding(kind=kind, text=evidence.text, force=None, evidence=evidence))
    return tuple(found)
