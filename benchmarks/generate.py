"""Deterministic generator of synthetic news articles about PEEL inspections, for benchmarks.

    python benchmarks/generate.py N DIR [--seed S]

writes N files DIR/article-00000.txt ... of about 600 words each. Article i depends only on the
seed and i, so the first 1,000 articles of a 10,000-article corpus are the 1,000-article corpus.

The articles are built from templates written for this generator (not copied from the project's
samples or seeds). Facts are plausible and internally consistent: real forces and their aliases
(from data/gazetteer/forces.csv), the real rounds 2015 ... 2023-25 with the areas each round graded
and its grade scale ("adequate" only from 2021/22), HMIC before HMICFRS, invented people in real
posts. A force's grade for a round and area is a function of (force, round, area), so articles
about the same inspection agree; about one article in a hundred misreports one grade, as the press
sometimes does, so the store has a few conflicts to find.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORCES_CSV = ROOT / "data" / "gazetteer" / "forces.csv"
DEFAULT_SEED = 20240601
TARGET_WORDS = 600
MISREPORT_RATE = 0.01

# ------------------------------------------------------------------------------------- domain
FOUR = ("outstanding", "good", "requires improvement", "inadequate")
FIVE = ("outstanding", "good", "adequate", "requires improvement", "inadequate")
# How often each grade is given (outstanding is rare, inadequate uncommon).
WEIGHTS4 = (0.05, 0.58, 0.30, 0.07)
WEIGHTS5 = (0.04, 0.27, 0.33, 0.27, 0.09)


@dataclass(frozen=True)
class Round:
    notation: str
    names: tuple[str, ...]  # how articles name the round
    first: date  # reports published from
    last: date  # ... until
    integrated: bool  # one report covering everything
    scale: tuple[str, ...]
    weights: tuple[float, ...]


ROUNDS = (
    Round("2015", ("PEEL 2015", "2015 PEEL"), date(2015, 10, 1), date(2016, 3, 15), False, FOUR, WEIGHTS4),
    Round("2016", ("PEEL 2016", "2016 PEEL"), date(2016, 11, 1), date(2017, 4, 30), False, FOUR, WEIGHTS4),
    Round("2017", ("PEEL 2017", "2017 PEEL"), date(2017, 11, 1), date(2018, 3, 31), False, FOUR, WEIGHTS4),
    Round("2018/19", ("PEEL 2018/19", "2018/19 PEEL"), date(2019, 5, 1), date(2020, 2, 28), True, FOUR, WEIGHTS4),
    Round("2021/22", ("PEEL 2021/22", "2021/22 PEEL"), date(2021, 9, 1), date(2023, 5, 31), True, FIVE, WEIGHTS5),
    Round(
        "2023-25",
        ("PEEL 2023-25", "2023-25 PEEL", "PEEL 2023–25"),
        date(2023, 8, 1),
        date(2025, 6, 30),
        True,
        FIVE,
        WEIGHTS5,
    ),
)
ROUND_BY_NOTATION = {r.notation: r for r in ROUNDS}

PILLARS = ("effectiveness", "efficiency", "legitimacy")
# Questions of each pillar graded in each separate-pillar round, and in the integrated 2018/19.
PILLAR_QUESTIONS = {
    "2015": {
        "effectiveness": (
            "preventing crime and anti-social behaviour",
            "investigating crime",
            "protecting vulnerable people",
            "tackling serious and organised crime",
        ),
        "efficiency": ("use of resources", "planning for the future"),
        "legitimacy": ("fair treatment of the public", "ethical and lawful workforce behaviour"),
    },
    "2016": {
        "effectiveness": (
            "preventing crime and anti-social behaviour",
            "investigating crime",
            "protecting vulnerable people",
            "tackling serious and organised crime",
        ),
        "efficiency": ("understanding demand", "use of resources", "planning for the future"),
        "legitimacy": (
            "fair treatment of the public",
            "ethical and lawful workforce behaviour",
            "fair treatment of the workforce",
        ),
    },
    "2017": {
        "effectiveness": (
            "preventing crime and anti-social behaviour",
            "investigating crime",
            "protecting vulnerable people",
            "tackling serious and organised crime",
        ),
        "efficiency": ("understanding demand", "use of resources", "planning for the future"),
        "legitimacy": (
            "fair treatment of the public",
            "ethical and lawful workforce behaviour",
            "fair treatment of the workforce",
        ),
    },
    "2018/19": {
        "effectiveness": (
            "preventing crime and anti-social behaviour",
            "investigating crime",
            "protecting vulnerable people",
        ),
        "efficiency": ("understanding demand", "use of resources", "planning for the future"),
        "legitimacy": (
            "fair treatment of the public",
            "ethical and lawful workforce behaviour",
            "fair treatment of the workforce",
        ),
    },
}
AREA_ROUNDS = {
    "2021/22": (
        "responding to the public",
        "investigating crime",
        "protecting vulnerable people",
        "managing offenders",
        "preventing crime and anti-social behaviour",
        "treatment of the public",
        "developing a positive workplace",
        "good use of resources",
        "recording data about crime",
        "disrupting serious organised crime",
    ),
    "2023-25": (
        "responding to the public",
        "investigating crime",
        "protecting vulnerable people",
        "managing offenders",
        "preventing crime and anti-social behaviour",
        "treatment of the public",
        "developing a positive workplace",
        "leadership and force management",
        "recording data about crime",
        "disrupting serious organised crime",
    ),
}
# Other ways an article names an area, used after "at"/"in"/"for" (all are labels the ontology knows).
AREA_PHRASES = {
    "preventing crime and anti-social behaviour": (
        "preventing crime and anti-social behaviour",
        "preventing crime",
        "preventing crime and antisocial behaviour",
    ),
    "investigating crime": ("investigating crime", "investigating crime", "the investigation of crime"),
    "protecting vulnerable people": (
        "protecting vulnerable people",
        "protecting vulnerable people",
        "protecting those who are vulnerable",
    ),
    "tackling serious and organised crime": ("tackling serious and organised crime",),
    "understanding demand": ("understanding demand", "understanding the demand for its services"),
    "use of resources": ("use of resources", "using its resources"),
    "planning for the future": ("planning for the future", "planning for future demand"),
    "fair treatment of the public": ("fair treatment of the public", "treating people fairly and with respect"),
    "ethical and lawful workforce behaviour": (
        "ethical and lawful workforce behaviour",
        "ensuring its workforce behaves ethically and lawfully",
    ),
    "fair treatment of the workforce": ("fair treatment of the workforce", "treating its workforce fairly"),
    "responding to the public": ("responding to the public", "responding to calls from the public"),
    "managing offenders": ("managing offenders", "managing offenders and suspects"),
    "treatment of the public": ("treatment of the public", "police powers and public treatment"),
    "developing a positive workplace": (
        "developing a positive workplace",
        "building, supporting and protecting the workforce",
    ),
    "good use of resources": ("good use of resources", "making good use of resources"),
    "recording data about crime": ("recording data about crime", "crime recording"),
    "disrupting serious organised crime": ("disrupting serious organised crime",),
    "leadership and force management": ("leadership and force management",),
    "effectiveness": ("effectiveness",),
    "efficiency": ("efficiency",),
    "legitimacy": ("legitimacy",),
}

FIRST_NAMES_F = (
    "Alison",
    "Bethan",
    "Catherine",
    "Deborah",
    "Eleanor",
    "Fiona",
    "Gillian",
    "Hannah",
    "Imogen",
    "Joanne",
    "Karen",
    "Lorna",
    "Miriam",
    "Nadia",
    "Olivia",
    "Priya",
    "Rachel",
    "Sian",
    "Tamsin",
    "Vanessa",
    "Yvonne",
    "Zara",
    "Helen",
    "Ruth",
    "Amanda",
)
FIRST_NAMES_M = (
    "Adrian",
    "Bernard",
    "Callum",
    "Declan",
    "Edward",
    "Francis",
    "Gareth",
    "Howard",
    "Iain",
    "Jonathan",
    "Keith",
    "Leon",
    "Malcolm",
    "Nathan",
    "Owen",
    "Patrick",
    "Rhys",
    "Simon",
    "Timothy",
    "Vikram",
    "William",
    "Graham",
    "Stuart",
    "Martin",
    "Darren",
)
SURNAMES = (
    "Ashworth",
    "Blackmore",
    "Carrington",
    "Dalby",
    "Ellison",
    "Fairbairn",
    "Greenhalgh",
    "Hartley",
    "Ingram",
    "Jessop",
    "Kendrick",
    "Lockwood",
    "Marsden",
    "Northcott",
    "Oakley",
    "Pendleton",
    "Quarmby",
    "Radcliffe",
    "Sowerby",
    "Thwaite",
    "Underwood",
    "Varley",
    "Whitfield",
    "Yardley",
    "Holroyd",
    "Brennan",
    "Chaudhry",
    "Okafor",
    "Mackintosh",
    "Llewellyn",
    "Pritchard",
    "Kowalski",
    "Fairweather",
    "Oduya",
    "Sandhu",
    "Trevelyan",
    "Rowntree",
    "Gillespie",
)
OUTLETS = (
    "Evening Courier",
    "Weekly Herald",
    "Gazette",
    "Echo",
    "Argus",
    "Chronicle",
    "Advertiser",
    "Mercury",
    "Express & Star",
    "Post",
)

# ------------------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    short: str
    nation: str
    aliases: tuple[str, ...]


def load_forces(path: Path = FORCES_CSV) -> list[Force]:
    """The 43 territorial forces of England and Wales (the forces PEEL grades)."""
    forces = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != "territorial":
                continue
            aliases = tuple(a for a in row["aliases"].split("|") if a and "police force" not in a)
            forces.append(Force(row["slug"], row["official_name"], row["short_name"], row["nation"], aliases))
    return forces


def _stable(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def true_grade(force: Force, round_: Round, area: str) -> str:
    """The grade a force 'really' got: the same in every article that reports it."""
    rng = _stable("grade", force.slug, round_.notation, area)
    return rng.choices(round_.scale, round_.weights)[0]


def graded_areas(round_: Round, pillar: str | None) -> list[str]:
    """The areas an article reports: one pillar and its questions, or all areas of an integrated round."""
    if round_.notation in AREA_ROUNDS:
        return list(AREA_ROUNDS[round_.notation])
    questions = PILLAR_QUESTIONS[round_.notation]
    if pillar:
        return [pillar, *questions[pillar]]
    return [*PILLARS, *(q for p in PILLARS for q in questions[p])]


def fmt_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def inspectorate(round_: Round, long: bool, rng: random.Random) -> str:
    if round_.first < date(2017, 7, 19):
        return (
            rng.choice(("Her Majesty's Inspectorate of Constabulary (HMIC)", "HM Inspectorate of Constabulary"))
            if long
            else "HMIC"
        )
    if long:
        return rng.choice(
            (
                "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)"
                if round_.first >= date(2022, 9, 8)
                else "Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)",
                "the inspectorate, HMICFRS",
            )
        )
    return "HMICFRS"


def hmi_title(round_: Round) -> str:
    return (
        "His Majesty's Inspector of Constabulary"
        if round_.first >= date(2022, 9, 8)
        else "Her Majesty's Inspector of Constabulary"
    )


@dataclass
class Person:
    first: str
    last: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def honorific(self) -> str:
        return ("Ms " if self.female else "Mr ") + self.last

    @property
    def pronoun(self) -> str:
        return "she" if self.female else "he"


def person(rng: random.Random, *key: str) -> Person:
    """A person whose name is fixed by key (the same chief constable in every article about that force and year)."""
    r = _stable("person", *key) if key else rng
    female = r.random() < 0.45
    first = r.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    return Person(first, r.choice(SURNAMES), female)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def article_grade_phrase(grade: str) -> str:
    return ("an " if grade[0] in "aeiou" else "a ") + grade


# ------------------------------------------------------------------------------------- templates
# Sentences stating one grade: {force} {the_force} {grade} {area} {a_grade}
ONE_GRADE = (
    "{force} was rated {grade} for {area}.",
    "Inspectors judged the force {grade} at {area}.",
    "The force was graded {grade} in {area}.",
    "On {area}, {the_force} was judged {grade}.",
    "It was assessed as {grade} at {area}.",
    "{force} received {a_grade} grading for {area}.",
    "The inspectorate found the force {grade} at {area}.",
    "Its work on {area} was rated {grade}.",
    "{area_cap} was graded {grade}.",
    "For {area}, the force was rated {grade}.",
)
LIST_INTROS = (
    "The grades in full were:",
    "How the force was graded:",
    "The inspectorate's judgements were as follows:",
    "Its grades were:",
)
LIST_ITEMS = ("- {area_cap}: {grade}", "* {area_cap} - {grade}", "{area_cap}: {grade}")

LEDES_ROUND_PILLAR = (
    "{force} has been rated {grade} at keeping people safe and reducing crime, according to a report by {insp_long}.",
    "{force} has been judged {grade} for {pillar} by {insp_long}, in its {round_name} inspection of the force.",
    "The police watchdog has graded {force} {grade} for {pillar} in a report published on {day}.",
    "{force} was rated {grade} for {pillar} in the {round_name} report from {insp_long}, published this week.",
)
LEDES_INTEGRATED = (
    "{force} has been rated {grade} for {area} in its latest inspection by {insp_long}.",
    "{force} must improve the way it handles {concern_topic}, "
    "the police inspectorate has said after rating the force {grade} at {area}.",
    "A report from {insp_long} has judged {force} {grade} at {area} in its {round_name} assessment, "
    "published on {day}.",
    "Inspectors have graded {force} {grade} in {area}, the headline finding of a report published on {day}.",
)
ROUND_CONTEXT = {
    "2015": (
        "It was the first time legitimacy was graded in a PEEL inspection, "
        "and the inspectorate published its reports on each pillar separately.",
        "The {round_name} inspections looked at each pillar of policing in turn, with a separate report for each.",
    ),
    "2016": (
        "The {round_name} programme published a separate report for each of the three pillars of effectiveness, "
        "efficiency and legitimacy.",
        "Under the {round_name} programme the inspectorate reported on each pillar separately over the course of the "
        "year.",
    ),
    "2017": (
        "The {round_name} reports on effectiveness, efficiency and legitimacy were published separately over several "
        "months.",
        "This was the last year in which the three pillars were reported on separately; "
        "the {round_name} reports came out over the winter.",
    ),
    "2018/19": (
        "The {round_name} assessment was the first to bring the three pillars into a single integrated inspection.",
        "For the first time the inspectorate brought the three pillars into one inspection, "
        "the integrated {round_name} assessment.",
    ),
    "2021/22": (
        "The {round_name} inspections replaced the old pillar grades with graded questions on a five-point scale, "
        "adding adequate between good and requires improvement.",
        "Under the new five-point scale introduced for {round_name}, forces are graded outstanding, good, adequate, "
        "requires improvement or inadequate.",
    ),
    "2023-25": (
        "The {round_name} programme grades forces on a five-point scale, "
        "and for the first time includes a graded question on leadership and force management.",
        "Forces in the {round_name} round are graded on a five-point scale across a range of areas, "
        "from answering calls to managing offenders.",
    ),
}
CONCERN_TOPICS = (
    "calls from the public",
    "domestic abuse cases",
    "the supervision of investigations",
    "the management of registered sex offenders",
    "missing children",
    "stop and search records",
    "the vetting of new recruits",
    "the wellbeing of its officers",
    "crime recording",
    "digital evidence",
)
CAUSE_OF_CONCERN = (
    "The inspectorate identified a cause of concern about the way the force deals with {topic}.",
    "Inspectors raised a cause of concern over {topic}, and made recommendations for the force to act on within six "
    "months.",
    "A cause of concern was found in relation to {topic}.",
)
AREAS_FOR_IMPROVEMENT = (
    "The report also set out areas for improvement, including {topic} and {topic2}.",
    "Among the areas for improvement, inspectors said the force should improve how it handles {topic}.",
    "The force needs to improve its approach to {topic}, the report said.",
)
RECOMMENDATIONS = (
    "HMICFRS recommended that the force reviews its approach to {topic} within six months.",
    "The inspectorate recommends that the force improves its oversight of {topic}.",
)
GOOD_PRACTICE = (
    "Inspectors highlighted good practice in the force's work with partners on {topic}.",
    "The report singled out innovative practice in how the force handles {topic}.",
)
STATISTICS = (
    "The force answered {pct} per cent of 999 calls within ten seconds over the period inspectors examined.",
    "Inspectors found that callers to the non-emergency 101 number waited an average of {mins} minutes.",
    "The force has {officers} officers and {staff} staff and a budget of £{budget}m this year.",
    "In the year to March, the force recorded {crimes} crimes, "
    "of which {pct2} per cent resulted in a charge or summons.",
    "A sample of {cases} cases reviewed by inspectors showed that {pct} per cent had been handled appropriately.",
    "Around {victims} victims of domestic abuse were referred to support services in the period examined.",
    "Response officers took an average of {mins} minutes to reach emergency calls in rural areas.",
    "The force has recruited {recruits} new officers in the past two years.",
)
QUOTES_CHIEF = (
    "I welcome the report and I am pleased that inspectors have recognised the hard work of our officers and staff.",
    "We accept the findings in full. There is work to do, and we have already started on it.",
    "Our officers and staff work incredibly hard every day to keep people safe, "
    "and this report reflects that commitment.",
    "We know we have not always got this right, and the people we serve deserve better than that.",
    "I have set up a dedicated improvement team which reports to me every week.",
    "We have invested heavily in our control room and we are already seeing the benefits in the time it takes to "
    "answer calls.",
    "Protecting vulnerable people remains my highest priority, "
    "and I am determined that we will get it right every time.",
    "The report is a fair reflection of where we are, and it gives us a clear plan for where we need to be.",
)
QUOTES_PCC = (
    "I will be holding the chief constable to account for delivering the improvements the inspectorate has asked for.",
    "Residents rightly expect a police service that answers their calls and investigates crime properly.",
    "This report shows real progress, but there is no room for complacency.",
    "I have asked for a detailed plan setting out how each of the recommendations will be met, and I will publish it.",
    "The extra investment that council tax payers have made is starting to pay off.",
)
QUOTES_HMI = (
    "The force has made progress since our last inspection, "
    "but it needs to do more to make sure victims get the service they deserve.",
    "I was pleased to find a workforce that is committed to doing the right thing for the public.",
    "The force needs to improve how it identifies and responds to vulnerable people when they first make contact.",
    "We will continue to monitor the force's progress closely.",
    "There is much to commend, but the force should not lose sight of the basics of good investigation.",
)
QUOTES_OTHER = (
    "Our members have been working under enormous pressure, with fewer officers and rising demand.",
    "Officers are going above and beyond every day, often at the expense of their own wellbeing.",
)
ATTRIBUTIONS = (
    '{post_title} {name} said: "{q}"',
    '{name}, {post_lower} of {org}, said: "{q}"',
    '"{q}" said {name}, the {post_lower}.',
    '"{q}" {name} said.',
    'Responding to the report, {name}, {org}\'s {post_lower}, said: "{q}"',
)
FILLER = (
    "PEEL stands for police effectiveness, efficiency and legitimacy, "
    "and the inspections are carried out by the inspectorate across the 43 forces in England and Wales.",
    "The inspectorate gathers evidence through interviews with officers and staff, focus groups, "
    "surveys of the public and reviews of case files.",
    "Forces that cause serious concern can be placed in an enhanced monitoring process, known as Engage, "
    "under which inspectors work closely with the force and its oversight bodies.",
    "The report will be discussed at the next meeting of the police and crime panel, "
    "which scrutinises the commissioner's work.",
    "Like other forces, it has faced rising demand in recent years, "
    "with more calls about mental health and missing people taking up officers' time.",
    "The inspection took place over several weeks, with inspectors visiting police stations, "
    "custody suites and the force control room.",
    "Community groups said they would study the findings closely and welcomed the inspectorate's focus on how the "
    "public are treated.",
    "The force covers a mix of busy town centres and remote rural communities, "
    "which inspectors said made its job more complicated.",
    "Local councillors said they would press for regular updates on the force's progress.",
    "Neighbourhood teams were praised for their visibility and their knowledge of the areas they serve.",
    "The force said it had already acted on several of the findings before the report was published.",
    "Inspectors will return to check on progress as part of the next round of inspections.",
    "Victims' groups have long argued that too many cases are closed without a suspect being identified.",
    "The police and crime plan sets out the commissioner's priorities for the force over the next four years.",
    "Staff sickness and the loss of experienced detectives were highlighted as pressures on the force.",
    "A spokesperson for the Home Office said the inspection regime gave the public an independent view of how well "
    "their force performs.",
    "Inspectors spoke to frontline officers, supervisors and senior leaders, "
    "as well as to partner organisations such as councils and health services.",
    "The report is one of a series published by the inspectorate as it works through every force in England and Wales.",
)
GOOD_REASONS = (
    "Inspectors said the force had a clear understanding of the problems facing its communities.",
    "The report praised the quality of supervision and the support given to victims.",
    "Inspectors found that officers had the skills and equipment they needed.",
    "The force was commended for working closely with councils, schools and health services.",
)
POOR_REASONS = (
    "Inspectors found that too many investigations were not properly supervised and that victims were not always kept "
    "informed.",
    "The report said the force did not always understand the risks faced by the people who contacted it.",
    "Inspectors found delays in answering calls and in sending officers to incidents.",
    "Officers told inspectors they were stretched and that training had been cancelled to cover shifts.",
    "The report found that crimes reported to the force were too often recorded late or not at all.",
)
PEOPLE_BACKGROUND = (
    "{chief}, who became {chief_post} of {force} in {year}, "
    "has made improving the force's response to the public a priority.",
    "The force is led by {chief_post} {chief}, who was appointed in {year}. "
    "The {pcc_post}, {pcc}, sets the force's budget and priorities.",
    "{pcc}, the {pcc_post}, said in a statement that the force had made progress but that {pronoun} expected faster "
    "change.",
)
CLOSERS = (
    "The full report is available on the inspectorate's website.",
    "The force will publish an action plan in response to the report.",
    "Inspectors will revisit the force to assess its progress.",
    "The commissioner is expected to respond formally within 56 days.",
)


# ------------------------------------------------------------------------------------- article


def _fill(template: str, **values: str) -> str:
    return template.format(**values)


def _grade_sentence(rng: random.Random, force: Force, the_force: str, area: str, grade: str) -> str:
    phrase = rng.choice(AREA_PHRASES.get(area, (area,)))
    template = rng.choice(ONE_GRADE)
    return cap(
        _fill(
            template,
            force=force.name,
            the_force=the_force,
            grade=grade,
            area=phrase,
            area_cap=cap(phrase),
            a_grade=article_grade_phrase(grade),
        )
    )


def _quote_block(rng: random.Random, speaker: Person, post_title: str, org: str, pool: tuple[str, ...]) -> list[str]:
    """One to three paragraphs of one speaker's quote, news style."""
    lines = rng.sample(pool, k=min(len(pool), rng.randint(2, 4)))
    paragraphs_n = rng.randint(1, 3)
    first = " ".join(lines[:2]) if paragraphs_n == 1 else lines[0]
    template = rng.choice(ATTRIBUTIONS)
    if post_title.startswith(("HM", "His", "Her")) and "{org}" in template:
        template = '{name}, {post_title}, said: "{q}"'
    post_lower = post_title.lower() if not post_title.startswith(("HM", "His", "Her")) else post_title
    if template.startswith('"{q}"'):
        first = first[:-1] + ","  # news style: "... the public," said X.
    paragraphs = [_fill(template, post_title=post_title, post_lower=post_lower, name=speaker.full, org=org, q=first)]
    rest = lines[1:] if paragraphs_n > 1 else lines[2:]
    for extra in rest[: paragraphs_n - 1]:
        paragraphs.append(f'"{extra}"')
    if paragraphs_n == 3 and len(rest) < 2:
        paragraphs.append(f'"{rng.choice(pool)[:-1]}," {speaker.pronoun} added.')
    return paragraphs


def _reason(rng: random.Random, grade: str) -> str | None:
    if grade in ("outstanding", "good"):
        return rng.choice(GOOD_REASONS)
    if grade in ("requires improvement", "inadequate"):
        return rng.choice(POOR_REASONS)
    return None


def _statistic(rng: random.Random, template: str) -> str:
    return template.format(
        pct=rng.randint(55, 96),
        pct2=rng.randint(4, 18),
        mins=rng.randint(3, 45),
        officers=f"{rng.randint(900, 6500):,}",
        staff=f"{rng.randint(500, 4000):,}",
        budget=f"{rng.randint(90, 700)}.{rng.randint(0, 9)}",
        crimes=f"{rng.randint(30000, 250000):,}",
        cases=rng.randint(40, 200),
        victims=f"{rng.randint(800, 9000):,}",
        recruits=rng.randint(120, 900),
    )


def article(index: int, seed: int = DEFAULT_SEED, forces: list[Force] | None = None) -> str:
    forces = forces or load_forces()
    rng = _stable("article", str(seed), str(index))
    force = rng.choice(forces)
    round_ = rng.choice(ROUNDS)
    published = round_.first + timedelta(days=rng.randint(0, (round_.last - round_.first).days))
    pillar = None if round_.integrated else rng.choice(PILLARS)
    areas = graded_areas(round_, pillar)
    grades = {area: true_grade(force, round_, area) for area in areas}
    if rng.random() < MISREPORT_RATE:  # a reporter's slip: one grade misreported
        slipped = rng.choice(areas)
        grades[slipped] = rng.choice([g for g in round_.scale if g != grades[slipped]])
    round_name = rng.choice(round_.names)
    the_force = rng.choice(
        ("the force", "the force", force.short if force.short != force.name else "the force", *force.aliases[:2])
    )
    chief = person(rng, force.slug, "chief", str(published.year))
    pcc = person(rng, force.slug, "pcc", str(published.year))
    hmi = person(rng, "hmi", str(round_.first.year), str(rng.randint(0, 5)))
    chief_post = (
        "Commissioner"
        if force.slug == "metropolitan-police-service"
        else rng.choice(
            (
                "Chief Constable",
                "Chief Constable",
                "Chief Constable",
                "Acting Chief Constable",
                "Temporary Chief Constable",
            )
        )
    )
    pcc_post = (
        "Mayor"
        if force.slug in ("metropolitan-police-service", "greater-manchester-police", "west-yorkshire-police")
        else "Police and Crime Commissioner"
    )
    pcc_org = f"{force.short}" if pcc_post == "Police and Crime Commissioner" else force.short
    headline_area = areas[0] if pillar else rng.choice(areas)
    headline_grade = grades[headline_area]
    values = dict(
        force=force.name,
        insp_long=inspectorate(round_, True, rng),
        insp=inspectorate(round_, False, rng),
        round_name=round_name,
        day=fmt_date(published),
        pillar=pillar or "",
        grade=headline_grade,
        area=rng.choice(AREA_PHRASES.get(headline_area, (headline_area,))),
        concern_topic=rng.choice(CONCERN_TOPICS),
    )

    head: list[str] = []
    blocks: list[list[str]] = []
    paragraphs = head
    # headline and dateline
    paragraphs.append(
        rng.choice(
            (
                f"{force.short} police rated {headline_grade} in {round_name} inspection",
                f"Watchdog grades {force.name} {headline_grade} for {values['area']}",
                f"{force.name}: inspectors publish {round_name} report",
                f"Inspection report on {force.short} police published",
            )
        )
    )
    paragraphs.append(f"{rng.choice(OUTLETS)}, {fmt_date(published)}")
    if pillar:
        lede = rng.choice(LEDES_ROUND_PILLAR)
        if "keeping people safe" in lede and pillar != "effectiveness":
            lede = LEDES_ROUND_PILLAR[1]
        paragraphs.append(_fill(lede, **values))
    else:
        paragraphs.append(_fill(rng.choice(LEDES_INTEGRATED), **values))
    paragraphs.append(_fill(rng.choice(ROUND_CONTEXT[round_.notation]), **values))
    reason = _reason(rng, headline_grade)
    if reason:
        paragraphs.append(reason)

    # the grades: some as sentences, the rest as a list (or all as sentences)
    rest = [a for a in areas if a != headline_area]
    rng.shuffle(rest)
    as_list = rest[: rng.randint(0, len(rest))] if rng.random() < 0.6 else []
    as_sentences = [a for a in rest if a not in as_list]
    sentences = []
    for area in as_sentences:
        sentence = _grade_sentence(rng, force, the_force, area, grades[area])
        if rng.random() < 0.5:
            sentence = f"{sentence} {_reason(rng, grades[area]) or ''}".strip()
        sentences.append(sentence)
    while sentences:
        take = rng.randint(1, 2)
        blocks.append([" ".join(sentences[:take])])
        sentences = sentences[take:]
    if as_list:
        item = rng.choice(LIST_ITEMS)
        blocks.append(
            [rng.choice(LIST_INTROS), *(item.format(area_cap=cap(area), grade=grades[area]) for area in as_list)]
        )

    # the previous round, reported as history
    earlier = [r for r in ROUNDS if r.first < round_.first]
    if earlier and rng.random() < 0.5:
        previous = earlier[-1]
        prev_areas = graded_areas(
            previous,
            pillar if not previous.integrated and pillar else (None if previous.integrated else rng.choice(PILLARS)),
        )
        shared = [a for a in prev_areas if a in areas] or prev_areas[:1]
        area = rng.choice(shared)
        blocks.append(
            [
                f"In the previous inspection, in {previous.names[0]}, the force had been rated "
                f"{true_grade(force, previous, area)} for {area}."
            ]
        )

    # findings
    topics = rng.sample(CONCERN_TOPICS, 4)
    findings = []
    if any(g in ("inadequate", "requires improvement") for g in grades.values()) and rng.random() < 0.7:
        findings.append(rng.choice(CAUSE_OF_CONCERN).format(topic=topics[0]))
    findings.append(rng.choice(AREAS_FOR_IMPROVEMENT).format(topic=topics[1], topic2=topics[2]))
    if round_.first.year >= 2018 and rng.random() < 0.5:
        findings.append(rng.choice(RECOMMENDATIONS).format(topic=topics[0]))
    if rng.random() < 0.4:
        findings.append(rng.choice(GOOD_PRACTICE).format(topic=topics[3]))
    blocks.append([" ".join(findings[:2])])
    if findings[2:]:
        blocks.append([" ".join(findings[2:])])

    # people and quotes
    hmi_title_text = hmi_title(round_) if round_.first.year >= 2017 else "HM Inspector of Constabulary"
    quotes = [
        _quote_block(rng, hmi, hmi_title_text, values["insp"], QUOTES_HMI),
        _quote_block(rng, chief, chief_post, force.name, QUOTES_CHIEF),
    ]
    if rng.random() < 0.8:
        quotes.append(_quote_block(rng, pcc, pcc_post, pcc_org, QUOTES_PCC))
    if rng.random() < 0.2:
        fed = person(rng, force.slug, "federation", str(published.year))
        quotes.append(_quote_block(rng, fed, "Chair", f"{force.short} Police Federation", QUOTES_OTHER))
    stats = [_statistic(rng, template) for template in rng.sample(STATISTICS, rng.randint(2, 4))]
    for block in quotes:
        if stats:
            block.append(stats.pop())
        blocks.append(block)
    blocks.extend([s] for s in stats)
    blocks.append(
        [
            _fill(
                rng.choice(PEOPLE_BACKGROUND),
                chief=chief.full,
                chief_post=chief_post.lower(),
                force=force.name,
                year=str(published.year - rng.randint(1, 4)),
                pcc=pcc.full,
                pcc_post=pcc_post.lower(),
                pronoun=pcc.pronoun,
            )
        ]
    )
    # filler paragraphs between blocks (never inside a list or a quote) until about TARGET_WORDS words
    fillers = rng.sample(FILLER, len(FILLER))
    target = TARGET_WORDS + rng.randint(-50, 50)
    words = sum(len(p.split()) for block in [head, *blocks] for p in block)
    while fillers and words < target - 15:
        filler = fillers.pop()
        blocks.insert(rng.randint(1, len(blocks)), [filler])
        words += len(filler.split())
    blocks.append([rng.choice(CLOSERS)])
    paragraphs = [p for block in [head, *blocks] for p in block]
    return "\n\n".join(paragraphs) + "\n"


def generate(n: int, directory: str | Path, seed: int = DEFAULT_SEED, start: int = 0) -> list[Path]:
    """Write articles start..n-1 to directory; returns all n paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    forces = load_forces()
    paths = []
    for index in range(n):
        path = directory / f"article-{index:06d}.txt"
        if index >= start or not path.exists():
            path.write_text(article(index, seed, forces), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("directory", help="where to write them")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.directory, args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(
        f"wrote {len(paths)} articles, {words} words ({words / max(1, len(paths)):.0f} per article) to {args.directory}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
