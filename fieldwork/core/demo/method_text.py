"""Invented words for the method demos: the 2016 quality and impact inspection shaped like
the Durham report, and a 2018 standards framework inspection of one CRC.

The shape of the 2016 demo follows the published Durham findings (NPS work mostly good
but "on the day" pre-sentence reports not good enough; CRC assessment, planning,
delivery and reviewing weaker than before; healthy NPS-CRC relationships; eleven
recommendations: three joint, one to NOMS, two to the NPS, five to the CRC). The area,
people and every sentence are invented.
"""

from __future__ import annotations

AREA = "Glanmor and Tresaith"

# --- quality and impact, 2016 -------------------------------------------------------------

QI_NAME = "Quality and impact inspection: Glanmor and Tresaith (demo)"
QI_ORGS = ("NPS", "CRC")
# The share of cases in which each key question is met, per organisation: the NPS good,
# the CRC weaker across assessment, planning, delivery and reviewing.
QI_TARGETS = {
    "NPS": {"QI1": 0.84, "QI2": 0.86, "QI3": 0.8, "QI4": 0.78},
    "CRC": {"QI1": 0.58, "QI2": 0.6, "QI3": 0.52, "QI4": 0.64},
}
# Pre-sentence reports: standard reports good, "on the day" reports (oral, short format) not.
PSR_TARGETS = {"standard": 0.86, "oral": 0.42, "short_format": 0.5}

QI_RECOMMENDATIONS = (
    (
        "The NPS and the CRC",
        "Give each service user a record of their sentence plan goals, the work to reach "
        "them and how progress will be measured.",
    ),
    (
        "The NPS and the CRC",
        "Make sure responsible officers understand the case allocation form and what to do "
        "when the risk of harm assessment was not completed before allocation.",
    ),
    (
        "The NPS and the CRC",
        "Share information on domestic abuse and child safeguarding promptly when a case "
        "moves between them.",
    ),
    (
        "NOMS",
        "Make sure the CRC's case management system gives responsible officers the risk "
        "information the NPS recorded at court.",
    ),
    (
        "The NPS",
        "Improve the quality of 'on the day' pre-sentence reports, so that advice to court "
        "is analytical and personalised and rests on completed safeguarding checks.",
    ),
    (
        "The NPS",
        "Make sure domestic abuse enquiries with the police are made, and their results "
        "used, before advice is given to court.",
    ),
    ("The CRC", "Improve management oversight of assessment, planning and reviewing."),
    (
        "The CRC",
        "Make sure assessments analyse the factors linked to offending and the risk of harm, "
        "using information from other agencies.",
    ),
    (
        "The CRC",
        "Start interventions promptly and deliver the work set out in the sentence plan.",
    ),
    (
        "The CRC",
        "Review cases when circumstances or the risk of harm change, and record the review.",
    ),
    (
        "The CRC",
        "Follow up absences promptly and take enforcement action when it is due.",
    ),
)
QI_TEXTS = {
    "foreword": (
        "This inspection looked at the quality and impact of probation work in Glanmor and "
        "Tresaith: the work of the National Probation Service and of the Community "
        "Rehabilitation Company, side by side, two years after the two were separated. "
        "We found much to commend in the NPS, whose work was mostly good, though its "
        "'on the day' reports to court were not good enough. In the CRC we found that "
        "assessment, planning, delivery and reviewing had become weaker than before, as "
        "staff carried high caseloads through a period of change. Relationships between "
        "the two organisations were healthy, and that is a strength to build on. (Demo text.)"
    ),
    "overall_findings": (
        "The NPS's work to reduce reoffending and protect the public was good in most "
        "cases we inspected. Its court work was uneven: reports written after an "
        "adjournment were thorough, but oral and short format reports given on the day often "
        "lacked analysis and were written before safeguarding checks were back. The CRC's "
        "work had deteriorated: assessments did not always analyse the risk of harm, plans "
        "were not always agreed with service users, interventions started late and reviews "
        "were often missing. Managers of both organisations knew the problems and worked "
        "well together to tackle them."
    ),
    "background": (
        "Glanmor and Tresaith is a mixed urban and rural area with a population of about "
        "600,000. At the time of the inspection the NPS supervised about 1,100 service users "
        "assessed as high risk of serious harm; the CRC supervised about 2,900. Both had "
        "been through the Transforming Rehabilitation reforms in the previous two years. "
        "(Invented figures for the demo.)"
    ),
}
QI_FINDINGS = {
    "reducing-reoffending": (
        "NPS service users made progress on the factors linked to their offending in most cases.",
        "In the CRC too few service users made progress on accommodation and employment.",
    ),
    "protecting-the-public": (
        "The NPS did everything reasonable to protect the public in most high risk cases.",
        "In the CRC, known victims were not always considered in risk management.",
    ),
    "abiding-by-the-sentence": (
        "Most service users of both organisations complied with their sentence.",
        "Absences in the CRC were not always followed up, and enforcement was sometimes late.",
    ),
    "court-work": (
        "Standard written reports were thorough, analytical and well received by sentencers.",
        "'On the day' reports were too often given before domestic abuse and safeguarding "
        "checks were back, and lacked analysis.",
    ),
    "assessment-and-planning": (
        "NPS assessments were well informed and analysed the risk of harm.",
        "CRC assessments were often copied forward and plans were not agreed with service users.",
    ),
    "delivery": (
        "Relationships between the NPS and the CRC were healthy, and cases moved between "
        "them smoothly.",
        "CRC interventions often started late, and the work in the plan was not always delivered.",
    ),
    "reviewing": (
        "NPS reviews picked up changes in risk and led to new plans.",
        "Reviews in the CRC were often missing or did not reflect changes in circumstances.",
    ),
}
QI_EVIDENCE = (
    ("meeting", "Meeting with the NPS and CRC senior leaders", "Heads of the NPS local "
     "delivery unit and of the CRC; their operational managers", ("delivery",)),
    ("focus_group", "Focus group with CRC responsible officers", "Eight responsible officers "
     "from two CRC hubs", ("assessment-and-planning", "reviewing")),
    ("partner", "Meeting with the police domestic abuse unit", "Detective inspector; "
     "two domestic abuse officers", ("protecting-the-public", "court-work")),
    ("document", "CRC performance report, quarter 3", "", ("abiding-by-the-sentence",)),
    ("manager", "Interview with the NPS court team manager", "Court team manager",
     ("court-work",)),
)  # fmt: skip

# --- standards framework, 2018 --------------------------------------------------------------

SF_NAME = "Inspection of Glanmor and Tresaith CRC (demo)"
SF_ORG = "Glanmor and Tresaith CRC"
# Per key question, the share of cases judged sufficient: a CRC that requires improvement.
SF_TARGETS = {
    "2.1.1": 0.8, "2.1.2": 0.74, "2.1.3": 0.58,
    "2.2.1": 0.72, "2.2.2": 0.68, "2.2.3": 0.56,
    "2.3.1": 0.78, "2.3.2": 0.7, "2.3.3": 0.6,
    "2.4.1": 0.68, "2.4.2": 0.62, "2.4.3": 0.44,
    "3.1.1": 0.9, "3.1.2": 0.88, "3.1.3": 0.9,
    "3.2.1": 0.56, "3.2.2": 0.4,
}  # fmt: skip
# Domain one: the team's judgement per key question, and the standard's rating.
SF_JUDGEMENTS = {
    "1.1": ("Requires improvement", "The leadership team has a clear vision, but it has not "
            "yet reached practice: risks to the quality of case work were known and not acted on.",
            {"1.1.1": "yes", "1.1.2": "yes", "1.1.3": "no"}),
    "1.2": ("Requires improvement", "Caseloads are high and management oversight of risk of "
            "harm work is too thin, though staff feel valued and training is good.",
            {"1.2.1": "no", "1.2.2": "yes", "1.2.3": "no", "1.2.4": "yes", "1.2.5": "yes"}),
    "1.3": ("Good", "A wide range of services is in place and partnerships with housing and "
            "employment providers work well.",
            {"1.3.1": "yes", "1.3.2": "yes", "1.3.3": "yes"}),
    "1.4": ("Good", "Offices are accessible and safe; the case management system is slow but "
            "the information staff need is there.",
            {"1.4.1": "yes", "1.4.2": "yes", "1.4.3": "no", "1.4.4": "yes"}),
}  # fmt: skip
SF_OVERRIDE = (
    "2.4",
    "Requires improvement",
    "The rules give Inadequate because of keeping-safe reviews in one hub whose manager "
    "has since been replaced; reviews elsewhere were mostly sufficient, and the new "
    "manager's plan was already working when we visited.",
)
SF_EVIDENCE = (
    ("meeting", "Meeting with the chief executive and senior leadership team",
     "Chief executive; director of operations; head of quality", ("1.1", "1.1.1", "1.1.2")),
    ("document", "Business plan 2018 to 2019", "", ("1.1.1", "1.3.2")),
    ("document", "Risk register and quality assurance reports", "", ("1.1.3", "1.4.4")),
    ("focus_group", "Focus group with responsible officers", "Nine responsible officers "
     "from three hubs", ("1.2.1", "1.2.3", "1.2.5")),
    ("focus_group", "Focus group with middle managers", "Six team managers", ("1.2.3", "1.1.3")),
    ("manager", "Interview with the head of learning and development", "Head of learning "
     "and development", ("1.2.4", "1.2.2")),
    ("document", "Staff survey results", "", ("1.2.5", "1.2.1")),
    ("partner", "Meeting with the housing partnership", "Two local authority housing "
     "officers; a hostel manager", ("1.3.3", "1.3.2")),
    ("partner", "Meeting with the police and the NPS", "Police superintendent; NPS head "
     "of service", ("1.3.3", "1.1.2")),
    ("document", "Analysis of the service user profile", "", ("1.3.1",)),
    ("meeting", "Visit to the Glanmor community hub", "Hub manager; reception staff",
     ("1.4.2", "1.4")),
    ("manager", "Interview with the head of information and systems", "Head of information",
     ("1.4.3", "1.4.1")),
    ("document", "Policies and practice guidance", "", ("1.4.1",)),
)  # fmt: skip
SF_RECOMMENDATIONS = (
    ("The CRC", "Make sure assessments and reviews of the risk of harm draw on information "
     "from the police and children's services, and are reviewed when risk changes."),
    ("The CRC", "Reduce caseloads so that responsible officers can deliver the work in "
     "each sentence plan, and improve management oversight of risk of harm work."),
    ("The CRC", "Make sure resettlement plans are completed in good time before release "
     "and shared with the community responsible officer."),
    ("The CRC", "Give each service user a record of their sentence plan goals and how "
     "progress will be measured."),
    ("HM Prison and Probation Service", "Improve the speed and reliability of the case "
     "management system used by the CRC."),
)  # fmt: skip
SF_TEXTS = {
    "foreword": (
        "This inspection of Glanmor and Tresaith CRC was carried out under our standards "
        "for probation services. The CRC's leaders have a clear vision and the services "
        "they commission are good, but too little of that has yet reached the quality of "
        "case supervision, where work to keep other people safe is not good enough. Unpaid "
        "work is delivered very well; Through the Gate work is not. (Demo text.)"
    ),
    "overall_findings": (
        "Organisational delivery: leadership and staffing require improvement; services, "
        "information and facilities are good. Case supervision requires improvement in "
        "all four standards, with keeping other people safe the weakest lens throughout. "
        "Unpaid work is outstanding; Through the Gate is inadequate."
    ),
    "background": (
        "Glanmor and Tresaith CRC supervised about 3,100 service users at the time of the "
        "inspection, from five offices and two community hubs, and delivered Through the "
        "Gate services in two prisons. (Invented figures for the demo.)"
    ),
}
SF_FINDINGS = {
    "1.1": ("The chief executive's vision is understood by staff.",
            "Risks to case quality were known to leaders but not acted on."),
    "1.2": ("Staff feel valued and training is comprehensive.",
            "Caseloads are too high for responsible officers to do good work."),
    "1.3": ("Housing and employment partnerships work well.",
            "Services for women are limited outside Glanmor."),
    "1.4": ("Offices are accessible and safe.",
            "The case management system is slow and unreliable."),
    "3.1-unpaid": ("Unpaid work starts promptly and placements are well matched.",
                   "Risk information is not always shared with supervisors."),
    "3.2-ttg": ("Prison staff and the CRC meet regularly.",
                "Resettlement plans are often completed too late to help."),
}  # fmt: skip
