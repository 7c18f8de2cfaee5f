"""Invented words for the demo inspection: names, offices, interview notes and findings.

No real person or place: names are common first and family names put together
at random (Welsh, Polish and accented ones among them).
"""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Rhys",
    "Carys",
    "Dafydd",
    "Eluned",
    "Gethin",
    "Ffion",
    "Iolo",
    "Nia",
    "Owain",
    "Seren",
    "Emma",
    "James",
    "Priya",
    "Mohammed",
    "Zofia",
    "Piotr",
    "Chloé",
    "Noémie",
    "José",
    "Amélie",
    "Siân",
    "Gwenllïan",
    "Llŷr",
    "Bethan",
    "Tomos",
    "Aled",
    "Catrin",
    "Hywel",
    "Mair",
    "Osian",
    "Grace",
    "Daniel",
    "Aisha",
    "Kwame",
    "Łucja",
    "Michał",
    "Renée",
    "Søren",
    "Ioan",
    "Elin",
)
LAST_NAMES = (
    "Jones",
    "Williams",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Owen",
    "Pritchard",
    "ap Gwilym",
    "Llewellyn",
    "Ŵyn",
    "Price",
    "Bowen",
    "Rees",
    "Vaughan",
    "Kowalski",
    "Wiśniewska",
    "Nowak",
    "Dąbrowski",
    "Fernández",
    "Müller",
    "Lefèvre",
    "Okafor",
    "Patel",
    "Hussain",
    "Begum",
    "O'Connell",
    "MacLeod",
    "Smith",
    "Taylor",
    "Brown",
    "Davies",
)
OFFICES = {
    "NPS": ("Glanmor office", "Tresaith court team", "Aberwern hub"),
    "CRC": ("Glanmor community hub", "Pont-y-gof office", "Tresaith reporting centre"),
}
THEMES = (
    "management oversight",
    "staff morale",
    "workload",
    "training",
    "partnership working",
    "case allocation",
    "domestic abuse",
    "safeguarding children",
)
OVERRIDE_REASONS = (
    "Prompts met on paper but the assessment was copied from the previous order.",
    "One prompt missed, but the overall work was sufficient given the short order.",
    "Risk information was requested late; judged insufficient overall.",
)
RECOMMENDATIONS = (
    (
        "NPS and CRC",
        "Give each person on probation a record of their sentence plan goals, the "
        "work to reach them and how progress will be measured.",
    ),
    (
        "CRC",
        "Make sure responsible officers understand the case allocation form and what to do "
        "when the risk of harm assessment was not completed before allocation.",
    ),
    (
        "NPS",
        "Improve the quality of 'on the day' pre-sentence reports so that advice to court is "
        "analytical and personalised.",
    ),
    (
        "CRC",
        "Improve management oversight of cases where domestic abuse or child safeguarding "
        "concerns are known.",
    ),
    (
        "NPS and CRC",
        "Review cases promptly when circumstances or risk change, and record the review.",
    ),
    ("CRC", "Start rehabilitation activity requirements promptly and record the work delivered."),
)

_OPENINGS = {
    "officer": "Interview with the responsible officer about the case and their caseload.",
    "person": "Conversation with the person on probation, who agreed to speak with us.",
    "manager": "Meeting with a senior manager about oversight and performance.",
    "staff_group": "Focus group with practitioners from two teams.",
    "partner": "Meeting with a partner agency that works with the service.",
}
_SAYINGS = {
    "2.1": (
        "We had the domestic abuse call-out information before I wrote the assessment, which helped.",
        "I did not have time to speak to the person properly before completing the assessment.",
        "The assessment was copied forward from the last order and nobody questioned it.",
        "We asked children's services but the reply came after the plan was done.",
        "They told me about their debts and that changed how I saw the risk.",
        "The court report said medium risk and I never went back to check why.",
    ),
    "2.2": (
        "The sentence plan was written with them and they have a copy of their goals.",
        "I never saw a plan; I just turn up and we talk about whatever has happened that week.",
        "Contingency plans are there but they are generic and not specific to the victim.",
        "We agreed three goals and I wrote them on a card for their fridge.",
        "The plan talks about drink but nothing about the partner, which is the real risk.",
        "Nobody told me what the plan was until my third appointment.",
    ),
    "2.3": (
        "Unpaid work started within a week, which kept them motivated.",
        "The accredited programme had a waiting list of four months.",
        "Home visits only happen when something has already gone wrong.",
        "The housing officer and I speak every week now, which is new.",
        "Warnings were given but nobody followed them up when they missed again.",
        "The women's centre has been the best part of the order for me.",
    ),
    "2.4": (
        "The review picked up the new relationship and the risk level was raised straight away.",
        "Reviews are done because the system prompts them, not because anything changed.",
        "My manager countersigned the review and we discussed it in supervision.",
        "Nothing was reviewed after the arrest because the police did not tell us.",
        "We looked back at the goals together and two of them are done.",
        "The review copied last time's wording even though the job had gone.",
    ),
}
_GENERIC = (
    "Caseloads have gone up since the split and people are tired.",
    "Supervision with my manager is regular and useful.",
    "Information from the police arrives quickly when we ask for it.",
    "Training on the new assessment tool was a single afternoon.",
    "The court team and the offender managers do not always talk to each other.",
)


def interview_notes(
    rng: random.Random, kind: str, standards: list[tuple[str, str]], used: set[str]
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Several paragraphs of notes, and the sentences in them to mark as quotes with tags.

    `used` holds sayings already quoted in this inspection: fresh ones are preferred,
    so the report's evidence does not repeat itself.
    """
    paragraphs = [_OPENINGS.get(kind, "Interview notes.")]
    quotes: list[tuple[str, list[str]]] = []
    for _ in range(rng.randint(3, 5)):
        sid, title = rng.choice(standards)
        key = sid if sid in _SAYINGS else rng.choice(tuple(_SAYINGS))
        fresh = [x for x in _SAYINGS[key] if x not in used] or list(_SAYINGS[key])
        said = rng.choice(fresh)
        used.add(said)
        filler = rng.choice(_GENERIC)
        paragraphs.append(
            f"{filler} They said: \u201c{said}\u201d We discussed examples from recent "
            "cases and agreed to look at the records together."
        )
        tags = [f"{sid} {title}".strip()]
        if rng.random() < 0.5:
            tags.append(rng.choice(THEMES))
        quotes.append((said, tags))
    return paragraphs, quotes


def section_note(
    rng: random.Random, title: str, strength: bool, person: str = "person on probation"
) -> str:
    topic = title.lower()
    if strength:
        return rng.choice(
            (
                f"{title}: work was personalised and involved the {person}.",
                f"Information from partner agencies was used well in {topic}.",
                f"{title} took account of diversity and personal circumstances.",
            )
        )
    return rng.choice(
        (
            f"{title}: risk of harm to specific victims was not always considered.",
            f"Too little management oversight of {topic}.",
            f"{title} did not always address domestic abuse or child safeguarding information.",
        )
    )
