"""Northmere Borough Council: a deterministic, fictional council for the demo.

The demo has to look like a real council's outcome plans, because that is
what convinces a performance team the workbook will work for them, and it
has to exercise every rule of SPEC §5–§8: all four balanced-scorecard types
and frequencies, cumulative year-to-date counts that reset in April, targets
of 0, absolute tolerances, profiled quarterly targets, baselines, neutral
contextual counts, step changes for SPC to find, and actions that slip.

Everything is drawn from ``numpy.random.default_rng`` with one seed, in
independent streams per indicator and per action, so two calls give the same
council and adding an indicator to the catalogue does not reshuffle the rest.
Targets are planned from the series rather than typed by hand, so the latest
quarter shows the believable mix a Cabinet report would (mostly Green, some
Amber and Red, a few Measured), and the planned statuses are checked with the
real rules in ``pmflib.status`` rather than a copy of them.

``generate_demo`` is pure; ``write_demo_inputs`` is the only function that
touches disk. The returns here are the *clean* values a service would enter;
``pmflib.demo_returns`` plants the imperfections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from pmflib.core import constants as C
from pmflib.rules import status
from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period, period_range, year_label

# --- the council and its calendar -------------------------------------------------------------
COUNCIL_NAME = "Northmere Borough Council"
#: How the council is written in the comparators' Authority column; must match
#: ``own_authority`` in params/council.yml so benchmarking finds its own row.
OWN_AUTHORITY = "Northmere"
DEFAULT_SEED = 2026
#: The latest quarter with returns, the same for every scale (params/council.yml).
LATEST_PERIOD = Period(2026, 2)
#: Financial years with benchmarking data (the Q2 report compares last year).
COMPARATOR_YEARS = (2023, 2024, 2025)
#: The council's "nearest neighbours" (all fictional): CIPFA-style short names.
NEIGHBOURS = (
    "Ashworth", "Brackenfield", "Calderbridge", "Dunmere", "Eastholme", "Foxley Vale",
    "Greyhaven", "Hartwell", "Kingsbrook", "Lowmoor", "Oakridge", "Pendlemere",
    "Redwater", "Stonebury", "Thornwick",
)
#: Wards and neighbourhoods of Northmere, used in action names.
PLACES = (
    "Eastfield", "Harrowby", "Kingsmoor", "Ashcombe", "Riverside", "Westbrook",
    "Millbank", "Thornley", "St Anne's", "Fenwick", "Oakhurst", "Northmere Central",
)
#: Localities used to split indicators in the large (benchmark) council.
LOCALITIES = ("North", "Central", "South")


@dataclass(frozen=True)
class DemoScale:
    """How big a council to build. ``history_quarters`` come before the
    ``return_quarters``, which end at ``LATEST_PERIOD``."""

    outcomes: int
    indicators: int
    actions: int
    services: int
    history_quarters: int
    return_quarters: int


#: tiny: fast notebook tests (every main case, few rows); standard: the demo
#: (10 outcome plans, ~150 indicators, ~370 actions like the Cheshire West
#: framework); large: benchmarks (20 quarters in all, history and returns).
DEMO_SCALES = {
    "tiny": DemoScale(outcomes=2, indicators=12, actions=6, services=2, history_quarters=19, return_quarters=3),
    "standard": DemoScale(outcomes=10, indicators=154, actions=370, services=12, history_quarters=19,
                          return_quarters=3),
    "large": DemoScale(outcomes=10, indicators=600, actions=1500, services=40, history_quarters=17,
                       return_quarters=3),
    # The benchmark's scaling runs (scripts/benchmark.py): the large council
    # with two and four times its indicators and actions, same 40 services.
    "large-2x": DemoScale(outcomes=10, indicators=1200, actions=3000, services=40, history_quarters=17,
                          return_quarters=3),
    "large-4x": DemoScale(outcomes=10, indicators=2400, actions=6000, services=40, history_quarters=17,
                          return_quarters=3),
}

# --- planning the latest quarter's mix (probabilities of each planned status) -------------------
CURRENT_YEAR_MIX = {C.GREEN: 0.56, C.AMBER: 0.2, C.RED: 0.24}
PAST_YEAR_MIX = {C.GREEN: 0.6, C.AMBER: 0.2, C.RED: 0.2}
#: How far a Green value beats its target, in the indicator's noise SDs: a
#: council collecting 97.5% of Council Tax sets 97%, not 90%.
GREEN_GAP_SDS = (0.2, 2.0)
#: How far Amber and Red values miss, as multiples of the tolerance band.
AMBER_GAP = (0.25, 0.8)
RED_GAP = (1.6, 4.0)
#: A "higher is better" % target is at most this share of the way from the value to 100.
PERCENT_HEADROOM_SHARE = 0.6
#: How much an annual measure's in-year target stretches beyond its expected value.
TARGET_STRETCH = (0.0, 0.04)
#: Share of indicators with an explicit "5%" tolerance (the rest leave it blank).
EXPLICIT_DEFAULT_TOLERANCE_SHARE = 0.3
#: Chance that an indicator's level improves over time rather than declines.
IMPROVING_TREND_SHARE = 0.65
TREND_RANGE = (0.005, 0.03)  # per year, as a share of the indicator's scale
#: Step changes for SPC: this many quarters before the latest one, this many noise SDs.
STEP_QUARTERS_AGO = (6, 8)
STEP_SIZE_SDS = (4.5, 6.0)
#: Share of indicators (beyond the catalogue's own) given a step change.
RANDOM_STEP_SHARE = 0.04
#: Who gives a year-end forecast in Q1–Q3: most cumulative counts, some others.
FORECAST_SHARE_CUMULATIVE = 0.8
FORECAST_SHARE_OTHER = 0.25
#: How often optional text is written (Red and Amber always get commentary).
COMMENTARY_SHARE_GREEN = 0.75
COMMENTARY_SHARE_MEASURED = 0.6
CORRECTIVE_SHARE_AMBER = 0.5
DATA_NOTE_SHARE = 0.05
#: Noise, as a share of the indicator's scale (sqrt(p(100-p)) for %, else its level).
NOISE_BY_UNIT = {"%": 0.025, "number": 0.05, "rate": 0.05, "days": 0.06, "£": 0.04}
NOISE_OTHER = 0.04
DECIMALS_BY_UNIT = {"%": 1, "number": 0, "rate": 1, "days": 1, "£": 0}
#: Counts below this level are drawn as Poisson counts (whole numbers, often 0).
SMALL_COUNT_LEVEL = 30
#: Benchmarking spread of other councils around Northmere's level.
COMPARATOR_SPREAD_PERCENT = 0.1   # of sqrt(p(100-p)) for %
COMPARATOR_SPREAD_OTHER = 0.15    # of the level otherwise
#: Action fates (the status each action has at the latest quarter).
ACTION_MIX = {"delivered": 0.27, "on target": 0.41, "slipped less": 0.12, "slipped more": 0.05,
              "scheduled": 0.15}
#: One action in this many is no longer viable (at least one).
ACTIONS_PER_NOT_VIABLE = 185
DELIVERED_LATE_SHARE = 0.2
SLIP_LESS_MONTHS = (1, 2)
SLIP_MORE_MONTHS = (4, 8)
#: A slip is reported up to this many months before the baseline end date.
SLIP_NOTICE_MONTHS = 6
PLAN_START = date(2024, 4, 1)
PLAN_END = date(2028, 3, 31)

# --- services, people and outcomes -------------------------------------------------------------
WASTE = "Waste & Recycling"
HOUSING = "Housing"
ASC = "Adult Social Care"
CSC = "Children's Services"
REVS = "Revenues & Benefits"
PLANNING = "Planning"
ENVH = "Environmental Health"
CUSTOMER = "Customer Services"
HIGHWAYS = "Highways & Transport"
LEISURE = "Leisure & Culture"
ECONDEV = "Economic Development"
HRFIN = "HR & Finance"

#: Head of service (the escalation owner) and the managers who own indicators.
SERVICE_PEOPLE = {
    WASTE: ("Gareth Lewis, Head of Waste and Recycling",
            ("Nadia Hussain, Collections Manager", "Paul Stevens, Recycling and Disposal Manager")),
    HOUSING: ("Angela Brooks, Head of Housing",
              ("Kwame Mensah, Housing Options Manager", "Lucy Fairbairn, Housing Standards Manager")),
    ASC: ("Deborah Ince, Head of Adult Social Care Operations",
          ("Ian Ferguson, Reablement Service Manager", "Mei Ling Chan, Safeguarding Adults Manager")),
    CSC: ("Oliver Grant, Head of Children's Social Care",
          ("Sophie Adeyemi, Early Help Manager", "Hannah Price, Education Improvement Manager")),
    REVS: ("Catherine Doyle, Head of Revenues and Benefits",
           ("Mark Jennings, Benefits Manager", "Aisha Rahman, Revenues Manager")),
    PLANNING: ("Robert Naylor, Head of Planning",
               ("Emily Carter, Development Management Manager", "Jonathan Reid, Planning Policy Manager")),
    ENVH: ("Sandeep Gill, Head of Environmental Health",
           ("Laura McKenzie, Food and Safety Manager", "Chris Dunn, Community Safety Manager")),
    CUSTOMER: ("Natalie Osei, Head of Customer Services",
               ("Ben Holloway, Contact Centre Manager", "Zoe Kerr, Digital Services Manager")),
    HIGHWAYS: ("Andrew Pike, Head of Highways and Transport",
               ("Fatima Begum, Highways Maintenance Manager", "Stuart Bell, Transport Planning Manager")),
    LEISURE: ("Claire Donnelly, Head of Leisure and Culture",
              ("Ryan Woods, Leisure Services Manager", "Eleanor Shaw, Libraries and Parks Manager")),
    ECONDEV: ("Vikram Patel, Head of Economic Development",
              ("Grace Thornton, Business Support Manager", "Liam O'Connor, Employment and Skills Manager")),
    HRFIN: ("Philippa Grey, Head of Finance (Section 151 Officer)",
            ("Tariq Aziz, HR Manager", "Jenny Walsh, Corporate Performance Manager")),
}
SERVICES = tuple(SERVICE_PEOPLE)

#: The large council's extra services, each part of one of the twelve.
SERVICE_FAMILIES = {
    WASTE: ("Street Cleansing",),
    HOUSING: ("Housing Options", "Private Sector Housing", "Housing Repairs"),
    ASC: ("Reablement", "Safeguarding Adults", "Commissioning"),
    CSC: ("Early Help", "SEND Services", "Education & Skills"),
    REVS: ("Council Tax", "Business Rates"),
    PLANNING: ("Building Control", "Planning Policy"),
    ENVH: ("Licensing", "Trading Standards", "Community Safety"),
    CUSTOMER: ("Digital Services", "Registrars"),
    HIGHWAYS: ("Parking Services", "Street Lighting"),
    LEISURE: ("Libraries", "Parks & Open Spaces"),
    ECONDEV: ("Town Centres", "Employment Support"),
    HRFIN: ("Procurement", "ICT", "Legal & Democratic Services"),
}
_FIRST_NAMES = ("Alison", "Bilal", "Carys", "Declan", "Esther", "Farid", "Gemma", "Harriet", "Imran",
                "Jessica", "Kieran", "Leah", "Mohammed", "Niamh", "Owen", "Priti", "Rhys", "Sadia",
                "Tobias", "Una", "Victor", "Wendy", "Yusuf", "Zara", "Adam", "Bronwen", "Craig", "Dionne")
_SURNAMES = ("Ahmed", "Barker", "Cole", "Dawson", "Evans", "Fletcher", "Gordon", "Hale", "Iqbal",
             "Jarvis", "Khan", "Lowe", "Morris", "Nolan", "Oduya", "Parry", "Quinn", "Rowe",
             "Saunders", "Turner", "Underwood", "Vaughan", "Wilson", "Young", "Begum", "Clarke",
             "Doherty", "Ellis")


@dataclass(frozen=True)
class _Outcome:
    code: str
    name: str
    cabinet_member: str
    lead_director: str


OUTCOMES = (
    _Outcome("ECO", "A thriving local economy with good jobs and skills",
             "Cllr Daniel Okoro, Cabinet Member for Economy and Regeneration",
             "Joanne Pryce, Director of Economy and Regeneration"),
    _Outcome("SAF", "Safe and strong communities",
             "Cllr Fiona Gallagher, Cabinet Member for Communities and Public Protection",
             "Simon Achebe, Director of Housing and Communities"),
    _Outcome("HEA", "Residents live healthy, active lives",
             "Cllr Rohan Mehta, Cabinet Member for Health and Wellbeing",
             "Dr Amir Qureshi, Director of Public Health"),
    _Outcome("CYP", "Children and young people get the best start in life",
             "Cllr Bethan Lloyd, Cabinet Member for Children and Families",
             "Caroline Beckett, Director of Children's Services"),
    _Outcome("ENV", "Clean and green neighbourhoods",
             "Cllr Priya Sharma, Cabinet Member for Environment and Climate",
             "Helen Marsh, Director of Place"),
    _Outcome("HOM", "Good quality, affordable homes for everyone",
             "Cllr Tom Hartley, Cabinet Member for Housing",
             "Simon Achebe, Director of Housing and Communities"),
    _Outcome("ASC", "Older and vulnerable adults live independent, fulfilled lives",
             "Cllr Margaret Hughes, Cabinet Member for Adult Social Care",
             "Martin Ellwood, Director of Adult Social Care"),
    _Outcome("CON", "A well-connected and accessible borough",
             "Cllr Aled Morgan, Cabinet Member for Transport and Highways",
             "Helen Marsh, Director of Place"),
    _Outcome("CLI", "Acting on the climate emergency",
             "Cllr Priya Sharma, Cabinet Member for Environment and Climate",
             "Helen Marsh, Director of Place"),
    _Outcome("COU", "A well-run council that residents trust",
             "Cllr Susan Whitaker, Leader of the Council and Cabinet Member for Resources",
             "Rachel Kimber, Director of Resources"),
)
#: The tiny council's two outcome plans.
TINY_OUTCOMES = ("ENV", "COU")


# --- the indicator catalogue ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    """One indicator as the catalogue describes it (before IDs and owners).

    ``level`` is the typical value now: for a cumulative measure the year-end
    total. ``season`` is (amplitude, peak quarter). ``forced`` fixes the
    status planned for the latest quarter (the tiny council uses it so every
    case is certain to appear).
    """

    outcome: str
    service: str
    name: str
    unit: str
    polarity: str
    type: str
    frequency: str
    level: float
    cumulative: bool = False
    shares: tuple[float, float, float, float] | None = None
    season: tuple[float, int] = (0.0, 1)
    kpi: bool = False
    headline: bool = False
    comparator: str = ""
    tolerance: str = ""
    decimals: int | None = None
    zero_target: bool = False
    no_target: bool = False
    no_target_latest: bool = False
    baseline: bool = False
    step: bool = False
    profile: bool = False
    survey_paused: bool = False
    forecast: bool | None = None
    definition: str = ""
    forced: str = ""


_POL = {"H": C.HIGHER_IS_BETTER, "L": C.LOWER_IS_BETTER, "N": C.NEUTRAL}
_TYPE = {"OUT": C.TYPE_OUTCOME, "OP": C.TYPE_OUTPUT, "IN": C.TYPE_INPUT, "PER": C.TYPE_PERCEPTION}
_FREQ = {"M": C.MONTHLY, "Q": C.QUARTERLY, "H": C.HALF_YEARLY, "A": C.ANNUAL}


def _i(outcome, service, name, unit, pol, typ, freq, level, **kw) -> _Spec:
    return _Spec(outcome, service, name, unit, _POL[pol], _TYPE[typ], _FREQ[freq], float(level), **kw)


#: Council Tax and business rates come in with the instalments: little in Q4.
_COLLECTION_SHARES = (0.3, 0.29, 0.28, 0.13)
_RESIDENTS_SURVEY = "Source: Northmere Residents' Survey (annual, about 1,800 responses)."

CATALOGUE: tuple[_Spec, ...] = (
    # --- A thriving local economy ---------------------------------------------------------------
    _i("ECO", ECONDEV, "Number of new business start-ups supported", "number", "H", "OP", "Q", 160,
       cumulative=True, kpi=True),
    _i("ECO", ECONDEV, "% of working-age residents in employment", "%", "H", "OUT", "Q", 74.5,
       kpi=True, headline=True, comparator="employment_rate",
       definition="Residents aged 16-64 in employment as a % of all residents aged 16-64 "
                  "(ONS Annual Population Survey, rolling 12 months)."),
    _i("ECO", ECONDEV, "Claimant count as % of working-age population", "%", "L", "OUT", "M", 3.6,
       kpi=True, comparator="claimant_rate"),
    _i("ECO", ECONDEV, "Number of residents supported into work through council employment programmes",
       "number", "H", "OP", "Q", 420, cumulative=True, kpi=True),
    _i("ECO", ECONDEV, "Number of apprenticeship starts in the borough", "number", "H", "OUT", "Q", 1150,
       cumulative=True, shares=(0.2, 0.35, 0.25, 0.2), kpi=True),
    _i("ECO", ECONDEV, "% of town centre retail units vacant", "%", "L", "OUT", "H", 14.2),
    _i("ECO", ECONDEV, "Footfall in Northmere town centre (weekly average)", "number", "H", "OUT", "Q",
       48000, season=(0.1, 3)),
    _i("ECO", ECONDEV, "Median gross weekly earnings of residents", "£", "H", "OUT", "A", 640),
    _i("ECO", ECONDEV, "Number of businesses receiving advice or grant support", "number", "H", "OP", "Q",
       380, cumulative=True),
    _i("ECO", PLANNING, "% of major planning applications determined within 13 weeks or agreed time",
       "%", "H", "OP", "Q", 88, kpi=True, comparator="major_planning_in_time"),
    _i("ECO", PLANNING, "% of minor planning applications determined within 8 weeks or agreed time",
       "%", "H", "OP", "Q", 84, kpi=True, comparator="minor_planning_in_time"),
    _i("ECO", PLANNING, "% of other planning applications determined within 8 weeks or agreed time",
       "%", "H", "OP", "Q", 90),
    _i("ECO", REVS, "% of business rates (NNDR) collected", "%", "H", "IN", "M", 97.8,
       cumulative=True, shares=_COLLECTION_SHARES, kpi=True, comparator="nndr_collection",
       definition="Non-domestic rates received in the year to date as a % of the net collectable "
                  "debit for the year."),
    _i("ECO", ECONDEV, "Number of jobs created or safeguarded through council investment", "number", "H",
       "OUT", "Q", 260, cumulative=True),
    _i("ECO", ENVH, "Business satisfaction with council regulatory services", "%", "H", "PER", "Q", 78,
       definition="% of businesses inspected or advised who were satisfied (post-visit survey)."),
    # --- Safe and strong communities -------------------------------------------------------------
    _i("SAF", ENVH, "Number of anti-social behaviour incidents reported to the council", "number", "L",
       "OUT", "Q", 820, season=(0.12, 2), kpi=True),
    _i("SAF", ENVH, "Total recorded crime per 1,000 population", "rate", "L", "OUT", "Q", 18.6,
       headline=True, comparator="crime_rate"),
    _i("SAF", ENVH, "% of residents who feel safe in their local area after dark", "%", "H", "PER", "A",
       61, kpi=True, headline=True, definition=_RESIDENTS_SURVEY),
    _i("SAF", ENVH, "Number of domestic abuse referrals to the council's support service", "number", "N",
       "OUT", "Q", 310, no_target=True,
       definition="Referrals received in the quarter. Contextual: more referrals can mean more "
                  "victims are seeking help, so there is no target."),
    _i("SAF", ENVH, "% of high-risk food premises inspected on time", "%", "H", "OP", "Q", 93, kpi=True),
    _i("SAF", ENVH, "% of food premises rated 4 or 5 under the Food Hygiene Rating Scheme", "%", "H",
       "OUT", "Q", 88.5, comparator="fhrs_4_5", kpi=True),
    _i("SAF", ENVH, "Number of noise complaints received", "number", "N", "OUT", "Q", 540,
       season=(0.15, 2), no_target=True),
    _i("SAF", ENVH, "% of noise complaints responded to within 2 working days", "%", "H", "OP", "M", 91),
    _i("SAF", ENVH, "Number of deaths in accidental dwelling fires", "number", "L", "OUT", "Q", 0.3,
       zero_target=True, decimals=0),
    _i("SAF", ENVH, "Number of hate incidents reported", "number", "N", "OUT", "Q", 45, no_target=True,
       definition="Hate incidents reported to the council and partners. Contextual: the "
                  "partnership encourages reporting, so there is no target."),
    _i("SAF", CSC, "Number of first-time entrants to the youth justice system", "number", "L", "OUT", "Q",
       14, kpi=True),
    _i("SAF", ASC, "% of safeguarding adults enquiries where the risk was reduced or removed", "%", "H",
       "OUT", "Q", 91, kpi=True),
    _i("SAF", ENVH, "Number of incidents where CCTV supported police action", "number", "H", "OP", "Q",
       260),
    _i("SAF", ENVH, "% of taxi licence applications processed within 10 working days", "%", "H", "OP",
       "Q", 87),
    _i("SAF", ENVH, "% of Trading Standards complaints resolved within 20 working days", "%", "H", "OP",
       "Q", 79),
    # --- Healthy, active lives -------------------------------------------------------------------
    _i("HEA", LEISURE, "% of adults who are physically active (150+ minutes a week)", "%", "H", "OUT",
       "H", 64.2, kpi=True, headline=True, comparator="physically_active_adults",
       definition="Sport England Active Lives Survey: adults doing at least 150 minutes of "
                  "moderate activity a week."),
    _i("HEA", LEISURE, "Number of visits to council leisure centres", "number", "H", "OP", "Q", 1150000,
       cumulative=True, season=(0.08, 4), kpi=True),
    _i("HEA", LEISURE, "Number of leisure memberships (direct debit)", "number", "H", "OP", "Q", 9800),
    _i("HEA", ENVH, "Smoking prevalence in adults", "%", "L", "OUT", "A", 13.1,
       comparator="smoking_prevalence"),
    _i("HEA", ENVH, "Number of smokers setting a quit date who have quit at 4 weeks", "number", "H",
       "OUT", "Q", 520, cumulative=True),
    _i("HEA", ASC, "% of eligible residents offered an NHS Health Check who took it up", "%", "H", "OP",
       "Q", 47),
    _i("HEA", LEISURE, "Number of participants in the exercise referral scheme", "number", "H", "OP", "Q",
       900, cumulative=True),
    _i("HEA", LEISURE, "Number of visits to libraries (physical and virtual)", "number", "H", "OP", "Q",
       620000, cumulative=True, season=(0.06, 2)),
    _i("HEA", CSC, "% of children in Reception with excess weight", "%", "L", "OUT", "A", 21.8,
       comparator="reception_excess_weight"),
    _i("HEA", ASC, "Under-75 mortality rate from cardiovascular disease per 100,000", "rate", "L",
       "OUT", "A", 76.3),
    _i("HEA", ASC, "Alcohol-related hospital admissions per 100,000", "rate", "L", "OUT", "A", 560,
       decimals=0),
    _i("HEA", LEISURE, "Resident satisfaction with parks and open spaces", "%", "H", "PER", "A", 71,
       definition=_RESIDENTS_SURVEY),
    _i("HEA", LEISURE, "Number of volunteers active in community health programmes", "number", "H", "IN",
       "H", 340),
    _i("HEA", ASC, "% of adults in drug and alcohol treatment who complete it successfully", "%", "H",
       "OUT", "Q", 19.5, kpi=True),
    _i("HEA", LEISURE, "Attendance at council-run cultural events", "number", "H", "OP", "Q", 42000,
       season=(0.3, 2)),
    # --- Children and young people ------------------------------------------------------------------
    _i("CYP", CSC, "% of children's social care referrals that are re-referrals within 12 months", "%",
       "L", "OUT", "Q", 21, kpi=True, comparator="re_referrals"),
    _i("CYP", CSC, "% of child and family assessments completed within 45 working days", "%", "H", "OP",
       "M", 86, kpi=True, headline=True),
    _i("CYP", CSC, "Children subject to a child protection plan per 10,000 children", "rate", "N", "OUT",
       "Q", 41.5, comparator="cpp_rate", no_target=True,
       definition="Children on a child protection plan at the quarter end per 10,000 children "
                  "aged under 18. Contextual: neither a rise nor a fall is in itself good."),
    _i("CYP", CSC, "Children looked after per 10,000 children", "rate", "L", "OUT", "Q", 68,
       comparator="cla_rate"),
    _i("CYP", CSC, "% of looked after children with 3 or more placements in the year", "%", "L", "OUT",
       "Q", 9.5, kpi=True, tolerance="1"),
    _i("CYP", CSC, "% of care leavers aged 19-21 in education, employment or training", "%", "H", "OUT",
       "Q", 58, kpi=True),
    _i("CYP", CSC, "% of Education, Health and Care plans issued within 20 weeks", "%", "H", "OP", "M", 62,
       kpi=True, headline=True, step=True),
    _i("CYP", CSC, "% of pupils meeting the expected standard in reading, writing and maths at KS2", "%",
       "H", "OUT", "A", 59, comparator="ks2_rwm"),
    _i("CYP", CSC, "% of eligible 2-year-olds taking up funded early education", "%", "H", "OP", "H", 74),
    _i("CYP", CSC, "% of primary schools rated good or outstanding by Ofsted", "%", "H", "OUT", "Q", 89),
    _i("CYP", CSC, "Persistent absence rate in secondary schools", "%", "L", "OUT", "H", 24.5),
    _i("CYP", CSC, "Number of families supported by Early Help", "number", "H", "OP", "Q", 1450,
       cumulative=True, kpi=True),
    _i("CYP", CSC, "% of 16-17 year olds not in education, employment or training (or not known)", "%",
       "L", "OUT", "M", 5.2, season=(0.2, 2), comparator="neet_16_17"),
    _i("CYP", CSC, "Average days between a child entering care and moving in with an adoptive family",
       "days", "L", "OUT", "Q", 410, decimals=0, tolerance="30"),
    _i("CYP", LEISURE, "Number of young people attending council youth sessions", "number", "H", "OP",
       "Q", 3600, cumulative=True),
    _i("CYP", CSC, "% of children and young people satisfied with their social worker", "%", "H", "PER",
       "H", 81),
    # --- Clean and green -------------------------------------------------------------------------------
    _i("ENV", WASTE, "% of household waste sent for reuse, recycling and composting", "%", "H", "OUT",
       "Q", 44.0, season=(0.07, 2), profile=True, kpi=True, headline=True, comparator="recycling_rate",
       forced=C.GREEN,
       definition="Household waste sent for reuse, recycling or composting as a % of all household "
                  "waste collected (former NI 192; source: WasteDataFlow)."),
    _i("ENV", WASTE, "Residual household waste per household", "kg", "L", "OUT", "Q", 480,
       cumulative=True, kpi=True, comparator="residual_waste_kg", decimals=0,
       definition="Kilograms of household waste not reused, recycled or composted, per household, "
                  "year to date (former NI 191)."),
    _i("ENV", WASTE, "Number of missed bin collections per 100,000 collections", "rate", "L", "OP", "M",
       52, season=(0.1, 4), kpi=True, step=True, forced=C.RED),
    _i("ENV", WASTE, "Number of fly-tipping incidents reported", "number", "L", "OUT", "Q", 2400,
       cumulative=True, kpi=True, comparator="fly_tipping", forecast=True, forced=C.AMBER),
    _i("ENV", WASTE, "% of fly-tipping incidents removed within 2 working days", "%", "H", "OP", "M", 90, kpi=True),
    _i("ENV", WASTE, "% of relevant land with unacceptable levels of litter", "%", "L", "OUT", "H", 6.5,
       tolerance="1"),
    _i("ENV", WASTE, "Resident satisfaction with street cleanliness", "%", "H", "PER", "A", 58, kpi=True,
       definition=_RESIDENTS_SURVEY),
    _i("ENV", WASTE, "Resident satisfaction with waste collection", "%", "H", "PER", "A", 79,
       definition=_RESIDENTS_SURVEY),
    _i("ENV", WASTE, "Number of garden waste subscriptions", "number", "H", "OP", "Q", 21500),
    _i("ENV", WASTE, "Number of RIDDOR-reportable injuries to waste and street cleansing staff", "number",
       "L", "IN", "Q", 0.7, zero_target=True, kpi=True,
       definition="Injuries reportable to the Health and Safety Executive under RIDDOR in the quarter."),
    _i("ENV", WASTE, "Cost of waste collection per household", "£", "L", "IN", "H", 68.4, decimals=2),
    _i("ENV", LEISURE, "% of residents within a 10-minute walk of a good-quality green space", "%", "H",
       "OUT", "A", 82),
    _i("ENV", LEISURE, "% of parks inspections completed on schedule", "%", "H", "OP", "Q", 94),
    _i("ENV", LEISURE, "Number of trees planted on council land", "number", "H", "OP", "Q", 3200,
       cumulative=True, shares=(0.03, 0.02, 0.45, 0.5),
       definition="Trees planted in the year to date; planting happens from November to March."),
    _i("ENV", ENVH, "Number of abandoned vehicles investigated", "number", "N", "OP", "Q", 180,
       no_target=True),
    _i("ENV", WASTE, "% of dog fouling reports responded to within 3 working days", "%", "H", "OP", "Q",
       88),
    # --- Good homes ------------------------------------------------------------------------------------
    _i("HOM", HOUSING, "Number of households in temporary accommodation", "number", "L", "OUT", "Q", 212,
       kpi=True, headline=True,
       definition="Households in temporary accommodation arranged by the council at the quarter end "
                  "(H-CLIC snapshot)."),
    _i("HOM", HOUSING, "Households in temporary accommodation per 1,000 households", "rate", "L", "OUT",
       "Q", 2.9, decimals=2, comparator="ta_per_1000"),
    _i("HOM", HOUSING, "Number of families with children in bed and breakfast for more than 6 weeks",
       "number", "L", "OUT", "Q", 0.8, zero_target=True, kpi=True,
       definition="Households with children or a pregnant member in B&B accommodation for more than "
                  "6 weeks at the quarter end (unlawful under the Suitability Order)."),
    _i("HOM", HOUSING, "% of homelessness cases where homelessness was prevented or relieved", "%", "H",
       "OUT", "Q", 61, kpi=True),
    _i("HOM", PLANNING, "Number of affordable homes delivered", "number", "H", "OUT", "Q", 310,
       cumulative=True, shares=(0.2, 0.2, 0.25, 0.35), kpi=True, headline=True),
    _i("HOM", PLANNING, "Net additional homes provided", "number", "H", "OUT", "A", 780),
    _i("HOM", HOUSING, "Number of people sleeping rough (snapshot count)", "number", "L", "OUT", "Q", 11,
       kpi=True),
    _i("HOM", HOUSING, "Number of empty homes brought back into use", "number", "H", "OP", "Q", 140,
       cumulative=True),
    _i("HOM", HOUSING, "Average days to approve Disabled Facilities Grant applications", "days", "L",
       "OP", "Q", 128, decimals=0, tolerance="10"),
    _i("HOM", HOUSING, "Number of private rented homes improved through enforcement", "number", "H", "OP",
       "Q", 260, cumulative=True),
    _i("HOM", HOUSING, "% of council housing repairs completed within target time", "%", "H", "OP", "M",
       92, kpi=True),
    _i("HOM", HOUSING, "Average days to re-let council homes (general needs)", "days", "L", "OP", "M", 31,
       tolerance="2", comparator="relet_days", kpi=True),
    _i("HOM", HOUSING, "% of tenants satisfied with the overall repairs service", "%", "H", "PER", "H", 73,
       definition="Tenant Satisfaction Measure TP02 (perception survey of council tenants)."),
    _i("HOM", HOUSING, "% of council homes meeting the Decent Homes Standard", "%", "H", "OUT", "Q", 96.5),
    _i("HOM", HOUSING, "% of rent collected from council tenants", "%", "H", "IN", "M", 98.1),
    # --- Independent adults ------------------------------------------------------------------------------
    _i("ASC", ASC, "Permanent admissions of people aged 65+ to residential and nursing care per 100,000",
       "rate", "L", "OUT", "Q", 590, cumulative=True, kpi=True, headline=True,
       comparator="asc_admissions_65",
       definition="ASCOF 2A(2): permanent admissions in the year to date per 100,000 population "
                  "aged 65 and over."),
    _i("ASC", ASC, "% of older people still at home 91 days after discharge into reablement", "%", "H",
       "OUT", "Q", 83, kpi=True, comparator="reablement_91_days"),
    _i("ASC", ASC, "% of people receiving long-term support who receive a direct payment", "%", "H",
       "OUT", "Q", 27.5, comparator="direct_payments", kpi=True),
    _i("ASC", ASC, "% of adult social care assessments completed within 28 days", "%", "H", "OP", "M", 71,
       kpi=True, step=True),
    _i("ASC", ASC, "Number of people waiting for a Care Act assessment", "number", "L", "OP", "M", 340,
       kpi=True),
    _i("ASC", ASC, "Average days from referral to the start of a care package", "days", "L", "OP", "Q",
       24, tolerance="3", kpi=True),
    _i("ASC", ASC, "% of carers' assessments completed within 28 days", "%", "H", "OP", "Q", 68, kpi=True),
    _i("ASC", ASC, "Number of people supported by technology enabled care", "number", "H", "OP", "Q",
       2300),
    _i("ASC", ASC, "% of adult social care users satisfied with their care and support", "%", "H", "PER",
       "A", 63, comparator="asc_satisfaction",
       definition="ASCOF 3A: Adult Social Care Survey, extremely or very satisfied."),
    _i("ASC", ASC, "% of adults with learning disabilities in paid employment", "%", "H", "OUT", "Q", 5.4),
    _i("ASC", ASC, "Delayed hospital discharges attributable to social care (average per day)", "number",
       "L", "OUT", "M", 6.8, decimals=1, season=(0.15, 4)),
    _i("ASC", ASC, "% of safeguarding concerns progressed to enquiry within 2 working days", "%", "H",
       "OP", "M", 88),
    _i("ASC", ASC, "Number of residents receiving a reablement service", "number", "H", "OP", "Q", 1250,
       cumulative=True),
    _i("ASC", ASC, "% of care plan reviews completed on time", "%", "H", "OP", "Q", 64, kpi=True),
    _i("ASC", ASC, "Number of Deprivation of Liberty Safeguards applications awaiting assessment",
       "number", "L", "IN", "Q", 410),
    # --- A well-connected borough -----------------------------------------------------------------------
    _i("CON", HIGHWAYS, "% of principal roads where maintenance should be considered", "%", "L", "OUT",
       "A", 4.0, tolerance="1", comparator="principal_roads_condition"),
    _i("CON", HIGHWAYS, "% of non-principal classified roads where maintenance should be considered", "%",
       "L", "OUT", "A", 6.0),
    _i("CON", HIGHWAYS, "% of category 1 (dangerous) potholes repaired within 24 hours", "%", "H", "OP",
       "M", 95, kpi=True),
    _i("CON", HIGHWAYS, "Number of potholes repaired", "number", "H", "OP", "Q", 6800, cumulative=True,
       season=(0.25, 4)),
    _i("CON", HIGHWAYS, "Number of people killed or seriously injured in road collisions", "number", "L",
       "OUT", "Q", 64, cumulative=True, kpi=True, headline=True),
    _i("CON", HIGHWAYS, "Number of road deaths on borough roads", "number", "L", "OUT", "A", 2.5,
       zero_target=True),
    _i("CON", HIGHWAYS, "% of street lights working", "%", "H", "OP", "M", 98.6),
    _i("CON", HIGHWAYS, "Bus passenger journeys originating in the borough", "number", "H", "OUT", "Q",
       2100000, season=(0.04, 2)),
    _i("CON", ECONDEV, "% of premises with access to gigabit-capable broadband", "%", "H", "OUT", "H", 78,
       no_target_latest=True),
    _i("CON", HIGHWAYS, "% of street works permit applications processed within statutory timescales",
       "%", "H", "OP", "Q", 97),
    _i("CON", CUSTOMER, "% of customer calls answered within 60 seconds", "%", "H", "OP", "M", 72,
       season=(0.08, 2), kpi=True),
    _i("CON", CUSTOMER, "Average call waiting time", "seconds", "L", "OP", "M", 145, decimals=0,
       tolerance="30"),
    _i("CON", CUSTOMER, "% of council transactions completed online", "%", "H", "OUT", "Q", 64, kpi=True),
    _i("CON", HIGHWAYS, "Resident satisfaction with local bus services", "%", "H", "PER", "A", 52,
       definition=_RESIDENTS_SURVEY),
    # --- Climate emergency --------------------------------------------------------------------------------
    _i("CLI", HRFIN, "Council's own greenhouse gas emissions", "tonnes CO2e", "L", "OUT", "A", 9800,
       kpi=True, headline=True,
       definition="Scope 1 and 2 emissions from council buildings, street lighting and fleet."),
    _i("CLI", ECONDEV, "Per capita CO2 emissions in the borough", "tonnes", "L", "OUT", "A", 4.6,
       comparator="co2_per_capita"),
    _i("CLI", WASTE, "% of council fleet that is ultra-low or zero emission", "%", "H", "IN", "Q", 18, kpi=True),
    _i("CLI", HIGHWAYS, "Number of public electric vehicle charge points", "number", "H", "OP", "Q", 310,
       kpi=True),
    _i("CLI", HRFIN, "Electricity generated by council-owned renewables", "MWh", "H", "OP", "Q", 1450,
       cumulative=True, season=(0.35, 2), decimals=0),
    _i("CLI", HOUSING, "Number of homes receiving energy-efficiency improvements", "number", "H", "OP",
       "Q", 520, cumulative=True, kpi=True),
    _i("CLI", HOUSING, "% of council homes with an EPC rating of C or above", "%", "H", "OUT", "H", 57),
    _i("CLI", HRFIN, "Energy used in council buildings", "MWh", "L", "IN", "Q", 4100, season=(0.25, 4),
       decimals=0),
    _i("CLI", PLANNING, "% of major planning permissions meeting the sustainable design standard", "%",
       "H", "OP", "Q", 76, baseline=True,
       definition="New measure from 2026-27: the first year's results set the baseline."),
    _i("CLI", ECONDEV, "Number of businesses signed up to the Northmere Climate Pledge", "number", "H",
       "OP", "Q", 140, no_target_latest=True),
    _i("CLI", CUSTOMER, "% of residents fairly or very concerned about climate change", "%", "N", "PER",
       "A", 76, no_target=True, definition=_RESIDENTS_SURVEY),
    _i("CLI", LEISURE, "Area of council land managed for nature", "hectares", "H", "OUT", "H", 210),
    _i("CLI", HRFIN, "% of staff business mileage in electric or hybrid vehicles", "%", "H", "IN", "Q", 34),
    # --- A well-run council ------------------------------------------------------------------------------------
    _i("COU", REVS, "% of Council Tax collected", "%", "H", "IN", "M", 96.6, cumulative=True,
       shares=_COLLECTION_SHARES, kpi=True, headline=True, comparator="council_tax_collection",
       forecast=True, forced=C.GREEN,
       definition="Council Tax received in the year to date as a % of the net collectable debit "
                  "for the year (QRC4)."),
    _i("COU", REVS, "Average days to process new Housing Benefit claims", "days", "L", "OP", "M", 19.5,
       tolerance="2", kpi=True, comparator="hb_new_claims_days", forced=C.AMBER,
       definition="Average calendar days from receipt of a new claim to the decision (DWP SHBE)."),
    _i("COU", REVS, "Average days to process Housing Benefit changes of circumstances", "days", "L", "OP",
       "M", 7.2, tolerance="2", comparator="hb_change_days", kpi=True),
    _i("COU", REVS, "Average days to process Council Tax Reduction claims", "days", "L", "OP", "Q", 18),
    _i("COU", REVS, "Number of working-age Council Tax Reduction claimants", "number", "N", "OUT", "Q",
       9400, no_target=True,
       definition="Working-age households receiving Council Tax Reduction at the quarter end. "
                  "Contextual: it reflects need and take-up, so there is no target."),
    _i("COU", REVS, "% of Council Tax accounts registered for e-billing", "%", "H", "OP", "Q", 18,
       baseline=True, definition="New measure from 2026-27 after the e-billing launch; the first "
                                 "year's results set the baseline."),
    _i("COU", HRFIN, "Staff sickness days per FTE (rolling 12 months)", "days", "L", "IN", "Q", 9.8,
       kpi=True, headline=True, comparator="sickness_days_fte",
       definition="Working days lost to sickness in the last 12 months per full-time equivalent "
                  "employee (excluding schools)."),
    _i("COU", HRFIN, "Staff turnover (rolling 12 months)", "%", "L", "IN", "Q", 12.5),
    _i("COU", HRFIN, "% of undisputed invoices paid within 30 days", "%", "H", "IN", "M", 93, kpi=True),
    _i("COU", HRFIN, "Savings delivered against the Medium Term Financial Strategy", "£", "H", "IN", "Q",
       6500000, cumulative=True, kpi=True),
    _i("COU", HRFIN, "Forecast revenue overspend against budget", "£", "L", "IN", "Q", 1800000,
       tolerance="250000", kpi=True,
       definition="Forecast outturn minus the approved net revenue budget, in pounds (an "
                  "underspend is below zero)."),
    _i("COU", CUSTOMER, "% of complaints responded to within 10 working days", "%", "H", "OP", "Q", 82,
       kpi=True),
    _i("COU", HRFIN, "% of Freedom of Information requests answered within 20 working days", "%", "H",
       "OP", "Q", 89, tolerance="10%"),
    _i("COU", HRFIN, "Number of data breaches reported to the Information Commissioner", "number", "L",
       "IN", "Q", 0.4, zero_target=True),
    _i("COU", CUSTOMER, "Resident satisfaction with the way the council runs things", "%", "H", "PER",
       "A", 59, kpi=True, headline=True, comparator="resident_satisfaction_council",
       definition=_RESIDENTS_SURVEY),
    _i("COU", CUSTOMER, "Resident satisfaction with the local area as a place to live", "%", "H", "PER",
       "A", 77, comparator="satisfaction_local_area", definition=_RESIDENTS_SURVEY),
    _i("COU", CUSTOMER, "Customer satisfaction with contact centre calls", "%", "H", "PER", "Q", 86,
       survey_paused=True,
       definition="% of callers rating the call good or very good in the post-call survey."),
    _i("COU", HRFIN, "% of staff who have completed mandatory training", "%", "H", "IN", "Q", 84),
    _i("COU", HRFIN, "Number of agency staff (FTE)", "number", "L", "IN", "Q", 95, kpi=True),
    _i("COU", HRFIN, "% of staff appraisals completed", "%", "H", "IN", "H", 88),
)

#: The tiny council: these catalogue entries (by name) cover every main case.
#: Revenues & Benefits has six due in Q2 because the demo's planted
#: imperfections (pmflib.demo_returns) leave one service's return missing
#: and need enough rows in the other to plant one of each kind.
TINY_INDICATORS = (
    "% of household waste sent for reuse, recycling and composting",  # profiled, seasonal, Green
    "Number of missed bin collections per 100,000 collections",       # monthly, step change, Red
    "Number of fly-tipping incidents reported",                       # cumulative, forecast, Amber
    "Resident satisfaction with street cleanliness",                  # perception, annual
    "Number of RIDDOR-reportable injuries to waste and street cleansing staff",  # target 0
    "Cost of waste collection per household",                         # half-yearly, £
    "% of Council Tax collected",                                     # cumulative %, Green
    "Average days to process new Housing Benefit claims",             # absolute tolerance, Amber
    "Number of working-age Council Tax Reduction claimants",          # neutral
    "Average days to process Housing Benefit changes of circumstances",
    "Average days to process Council Tax Reduction claims",
    "% of Council Tax accounts registered for e-billing",             # baseline
)

# --- what services write ------------------------------------------------------------------------------------
#: (why it went well, what is holding it back, what is being done) per service.
SERVICE_TEXT = {
    WASTE: (
        ("Participation in the food waste collection continues to grow after the leaflet campaign.",
         "Re-planned rounds have reduced the number of late-running crews.",
         "Crew and vehicle availability was good throughout the quarter."),
        ("Breakdowns in the ageing fleet took up to four rounds out of service for several days.",
         "Contamination of recycling bins has risen and loads were rejected at the sorting facility.",
         "A shortage of agency drivers affected collection rounds over the holiday period."),
        ("Two replacement vehicles are on short-term hire until the new fleet arrives; the Collections "
         "Manager reviews performance weekly.",
         "A contamination campaign is running on the twenty worst rounds, with bin tags and follow-up "
         "letters.",
         "Recruitment to permanent driver posts is approved and a standby crew covers peak weeks."),
    ),
    HOUSING: (
        ("Early prevention work through Housing Options triage has kept more households in their homes.",
         "Additional move-on homes secured with housing associations have shortened stays.",
         "The repairs contractor has cleared the backlog of routine jobs."),
        ("Demand from households served with no-fault eviction notices continues to rise.",
         "Few private rented homes are affordable at Local Housing Allowance rates, limiting move-on.",
         "Damp and mould cases have increased demand on the repairs service."),
        ("A landlord incentive scheme has been launched to secure 40 more private rented lets this year.",
         "Every household in temporary accommodation for more than 6 weeks is reviewed weekly.",
         "A second repairs contractor has been appointed to clear the backlog by the end of next quarter."),
    ),
    ASC: (
        ("The expanded reablement team is supporting more people home from hospital.",
         "The 'three conversations' approach is resolving more needs at first contact.",
         "Joint working with the hospital discharge team is reducing delays."),
        ("Demand for home care has risen while provider capacity remains tight.",
         "Vacancies in the social work teams have lengthened waiting times for assessments.",
         "Winter pressures at Northmere General Hospital increased referrals."),
        ("Agency social workers have been engaged for six months to clear the assessment waiting list.",
         "A new home care framework with two more providers starts next quarter.",
         "A daily discharge hub with health partners is now in place to unblock delays."),
    ),
    CSC: (
        ("Stable staffing in the assessment teams has improved timeliness.",
         "The Early Help offer is reaching families sooner.",
         "Partnership working with schools is improving attendance and outcomes."),
        ("Referrals to children's social care remain higher than last year.",
         "Caseloads are high because of vacancies among experienced social workers.",
         "Requests for EHC needs assessments have risen by a fifth while educational psychologist "
         "capacity is limited."),
        ("Cabinet has agreed a recruitment and retention package for social workers, now being "
         "implemented.",
         "Additional educational psychology capacity has been commissioned to clear the assessment "
         "backlog.",
         "Weekly performance clinics chaired by the Head of Service track every overdue case."),
    ),
    REVS: (
        ("Automated processing of DWP change notifications has cut processing times.",
         "More residents pay by direct debit following the e-billing campaign.",
         "Recovery action was issued promptly throughout the quarter."),
        ("Cost-of-living pressures are affecting residents' ability to pay.",
         "A backlog built up during the move to the new revenues and benefits system.",
         "Staff absence in the benefits team reduced processing capacity."),
        ("Overtime and a temporary processing team are clearing the backlog, monitored weekly.",
         "Residents falling into arrears are contacted early and offered affordable arrangements.",
         "The system supplier has fixed the workflow fault and the oldest claims are being prioritised."),
    ),
    PLANNING: (
        ("All major applications were decided within agreed timescales.",
         "The pre-application advice service is improving the quality of submissions.",
         "Housing sites at Kingsmoor and Riverside have progressed faster than forecast."),
        ("Vacant planning officer posts have increased caseloads.",
         "Several large, complex applications needed extended negotiation.",
         "Build-out on allocated sites has slowed as developers respond to market conditions."),
        ("Two agency planning officers have been appointed and extensions of time are agreed where "
         "appropriate.",
         "Monthly meetings with the developers of stalled sites are in place to unblock delivery.",
         "Planning performance agreements have been introduced for major schemes."),
    ),
    ENVH: (
        ("Joint patrols with the police in the town centre have been effective.",
         "The inspection programme is on schedule after vacant posts were filled.",
         "Businesses are responding well to advisory visits."),
        ("Reactive work following complaints diverted officers from the planned programme.",
         "Reports rose with the usual seasonal increase in noise and anti-social behaviour.",
         "Two vacant Environmental Health Officer posts have reduced capacity."),
        ("The inspection programme has been re-prioritised by risk, with contractor support for "
         "lower-risk premises.",
         "A summer anti-social behaviour plan with the police and youth service covers the hotspot wards.",
         "Recruitment to the vacant posts is under way with a market supplement approved."),
    ),
    CUSTOMER: (
        ("New online forms have moved routine requests away from the telephone lines.",
         "Call volumes were lower than forecast and staffing was at full strength.",
         "Residents' feedback on the new website has been positive."),
        ("Call volumes peaked when annual Council Tax bills were issued.",
         "Staff turnover in the contact centre has left several posts vacant.",
         "The telephony upgrade caused several days of disruption."),
        ("Call-back technology has been introduced and rotas realigned to peak times.",
         "Six new advisers have been recruited and will be trained by the end of next month.",
         "Online self-service is being promoted alongside the billing cycle."),
    ),
    HIGHWAYS: (
        ("Dry weather allowed the resurfacing programme to run ahead of schedule.",
         "The new pothole repair vehicle is completing more permanent first-time repairs.",
         "Working with the bus operator has improved service reliability."),
        ("Severe winter weather caused a sharp rise in road defects.",
         "Contractor resources were diverted to emergency flood works.",
         "Rising material costs have reduced the volume of work the budget can buy."),
        ("Additional gangs have been deployed through the term contract to clear outstanding defects.",
         "The resurfacing programme has been re-sequenced to treat the worst roads first.",
         "Road safety schemes at the three highest-risk junctions have been brought forward."),
    ),
    LEISURE: (
        ("The refurbished Riverside Leisure Centre has attracted new members.",
         "The summer events programme drew strong attendance.",
         "Referrals from GP practices have increased."),
        ("The pool at Eastfield closed for essential repairs, reducing capacity.",
         "Poor weather affected attendance at outdoor events.",
         "Rising energy costs forced shorter opening hours at two sites."),
        ("Swimming sessions have moved to Riverside while Eastfield is closed, with free transfers for "
         "members.",
         "A membership campaign is running in the wards with the lowest participation.",
         "Opening hours are being reviewed against usage to protect the busiest sessions."),
    ),
    ECONDEV: (
        ("The business support programme funded by the UK Shared Prosperity Fund is fully operational.",
         "Take-up of the employment support programme in Eastfield and Harrowby has been strong.",
         "New occupiers have moved into the refurbished town centre units."),
        ("Economic uncertainty has slowed business investment decisions.",
         "Several town centre shops closed following national chain restructures.",
         "The programme started late while grant funding was confirmed."),
        ("More outreach events with local business networks are planned for next quarter.",
         "The meanwhile-use scheme offers vacant units to start-ups at reduced rent.",
         "Delivery partners have agreed a recovery plan with monthly milestones."),
    ),
    HRFIN: (
        ("The invoice automation project has reduced manual processing.",
         "Wellbeing support and early occupational health referrals are reducing long-term absence.",
         "Savings plans are being delivered as agreed in the budget."),
        ("Long-term sickness absence for stress-related conditions has increased.",
         "Demand-led pressures in social care and temporary accommodation are driving costs up.",
         "Delays in the approval workflow have slowed payments to suppliers."),
        ("Every long-term absence case is now reviewed monthly by the manager with HR.",
         "A spending control panel reviews all non-essential spending above £5,000.",
         "Overdue invoices are escalated weekly to budget holders and the approval workflow has been "
         "simplified."),
    ),
}
DATA_NOTES = (
    "Provisional figure: validated data is due next quarter.",
    "The last month of the quarter is estimated; the final figure will be confirmed next quarter.",
    "The source system changed in April; figures remain comparable with previous years.",
    "Includes cases reported late from the previous quarter.",
)
SURVEY_PAUSED_COMMENTARY = ("No result this quarter: the post-call survey was paused while the new "
                            "telephony system was installed. It restarts next quarter.")

# --- actions -----------------------------------------------------------------------------------------------
#: Action stems per outcome plan; {place}, {phase} and {year} make variants.
ACTION_STEMS = {
    "ECO": (
        ("Deliver the Northmere Town Centre Masterplan (phase {phase})", ECONDEV),
        ("Run a business start-up support programme in {place}", ECONDEV),
        ("Open a Northmere Works employment hub in {place}", ECONDEV),
        ("Adopt the Local Plan review", PLANNING),
        ("Complete infrastructure works at Kingsmoor Enterprise Park", ECONDEV),
        ("Deliver the UK Shared Prosperity Fund programme for {year}", ECONDEV),
        ("Set up a construction skills partnership with Northmere College", ECONDEV),
        ("Introduce planning performance agreements for major developers", PLANNING),
        ("Deliver a digital skills programme for small businesses", ECONDEV),
        ("Refresh the Economic Growth Strategy", ECONDEV),
        ("Publish a Supplementary Planning Document on town centre uses", PLANNING),
        ("Support the Business Improvement District renewal ballot", ECONDEV),
        ("Administer business rates reliefs for {year}", REVS),
    ),
    "SAF": (
        ("Install upgraded CCTV cameras in {place}", ENVH),
        ("Deliver the Community Safety Partnership plan for {year}", ENVH),
        ("Introduce a Public Spaces Protection Order in {place}", ENVH),
        ("Commission a domestic abuse safe accommodation service", HOUSING),
        ("Run a rogue trader awareness campaign with older residents", ENVH),
        ("Implement the new taxi and private hire licensing policy", ENVH),
        ("Deliver Safer Streets improvements in {place}", ENVH),
        ("Roll out the youth diversion programme with the police (phase {phase})", CSC),
        ("Review the food safety service plan", ENVH),
        ("Launch a neighbour mediation service for anti-social behaviour", HOUSING),
        ("Deliver Prevent duty training to frontline staff", ENVH),
        ("Prepare council venues for the Terrorism (Protection of Premises) Act", LEISURE),
    ),
    "HEA": (
        ("Refurbish the changing rooms at {place} Leisure Centre", LEISURE),
        ("Deliver the Active Northmere physical activity programme in {place}", LEISURE),
        ("Recommission the stop smoking service", ENVH),
        ("Launch a healthy weight programme for families", CSC),
        ("Deliver the health inequalities action plan for {year}", ASC),
        ("Open a community wellbeing hub in {place}", ASC),
        ("Extend exercise on referral to every GP practice", LEISURE),
        ("Deliver the library service transformation plan (phase {phase})", LEISURE),
        ("Recommission drug and alcohol treatment services", ASC),
        ("Introduce free holiday swimming for under-16s", LEISURE),
        ("Develop a cultural strategy for Northmere", LEISURE),
        ("Install outdoor gym equipment in {place}", LEISURE),
    ),
    "CYP": (
        ("Open a Family Hub in {place}", CSC),
        ("Deliver the SEND improvement plan (phase {phase})", CSC),
        ("Recruit and retain social workers through the Northmere Social Work Academy", CSC),
        ("Open a council-run children's home in the borough", CSC),
        ("Create additional specialist school places at {place}", CSC),
        ("Run a foster carer recruitment campaign for {year}", CSC),
        ("Implement the Early Help strategy", CSC),
        ("Introduce the Mockingbird model of foster care", CSC),
        ("Deliver the Holiday Activities and Food programme for {year}", LEISURE),
        ("Review the home-to-school transport policy", CSC),
        ("Improve attendance support in secondary schools (phase {phase})", CSC),
        ("Run youth club sessions in {place}", LEISURE),
    ),
    "ENV": (
        ("Introduce weekly food waste collections in {place}", WASTE),
        ("Replace the refuse collection fleet (phase {phase})", WASTE),
        ("Install on-street recycling bins in {place}", WASTE),
        ("Refurbish the household waste recycling centre at Millbank", WASTE),
        ("Run an anti-fly-tipping enforcement campaign in {place}", WASTE),
        ("Deliver the tree planting programme for {year}", LEISURE),
        ("Achieve a Green Flag award for {place} Park", LEISURE),
        ("Procure a new waste disposal contract", WASTE),
        ("Review street cleansing schedules and frequencies", WASTE),
        ("Launch a garden waste subscription app", WASTE),
        ("Develop a Parks and Open Spaces Strategy", LEISURE),
        ("Install solar compacting litter bins in {place}", WASTE),
    ),
    "HOM": (
        ("Deliver affordable homes at {place} (phase {phase})", PLANNING),
        ("Adopt a new Housing Strategy", HOUSING),
        ("Deliver the Homelessness and Rough Sleeping Strategy action plan for {year}", HOUSING),
        ("Introduce selective licensing of private rented homes in {place}", HOUSING),
        ("Open a supported housing scheme for young people", HOUSING),
        ("Bring empty homes back into use in {place}", HOUSING),
        ("Procure a new council housing repairs contract", HOUSING),
        ("Deliver the damp and mould action plan", HOUSING),
        ("Buy homes for use as temporary accommodation (phase {phase})", HOUSING),
        ("Review the housing allocations policy", HOUSING),
        ("Adopt a Supplementary Planning Document on affordable housing", PLANNING),
        ("Deliver the tenant satisfaction improvement plan", HOUSING),
    ),
    "ASC": (
        ("Expand the reablement service in {place}", ASC),
        ("Recommission home care under a new framework", ASC),
        ("Open an extra care housing scheme at {place}", HOUSING),
        ("Review the adult social care charging policy", ASC),
        ("Offer technology enabled care to every new referral (phase {phase})", ASC),
        ("Deliver the Carers' Strategy action plan for {year}", ASC),
        ("Set up an integrated discharge hub with Northmere General Hospital", ASC),
        ("Prepare for the CQC assessment of adult social care", ASC),
        ("Review day opportunities for adults with learning disabilities", ASC),
        ("Implement the Liberty Protection Safeguards readiness plan", ASC),
        ("Publish a market sustainability plan for care homes", ASC),
        ("Open a community-led support hub in {place}", ASC),
    ),
    "CON": (
        ("Resurface priority roads in {place}", HIGHWAYS),
        ("Deliver the highways maintenance programme for {year}", HIGHWAYS),
        ("Build the Local Cycling and Walking Infrastructure Plan routes (phase {phase})", HIGHWAYS),
        ("Introduce a 20 mph zone in {place}", HIGHWAYS),
        ("Convert street lighting to LED in {place}", HIGHWAYS),
        ("Deliver the Bus Service Improvement Plan", HIGHWAYS),
        ("Redevelop Northmere bus station", HIGHWAYS),
        ("Launch the new council website", CUSTOMER),
        ("Introduce online booking for bulky waste collections", CUSTOMER),
        ("Implement a new customer relationship management system (phase {phase})", CUSTOMER),
        ("Review parking charges and controlled parking zones", HIGHWAYS),
        ("Deliver road safety schemes at high-risk junctions in {place}", HIGHWAYS),
    ),
    "CLI": (
        ("Install solar panels on council buildings (phase {phase})", HRFIN),
        ("Install public electric vehicle charge points in {place}", HIGHWAYS),
        ("Deliver home energy retrofit grants in {place}", HOUSING),
        ("Replace council pool cars with electric vehicles", HRFIN),
        ("Publish the Climate Emergency Action Plan update for {year}", HRFIN),
        ("Decarbonise the heating at the Civic Centre", HRFIN),
        ("Develop a Local Nature Recovery plan", LEISURE),
        ("Adopt a sustainable design Supplementary Planning Document", PLANNING),
        ("Launch the Northmere Climate Pledge for businesses", ECONDEV),
        ("Convert refuse vehicles to hydrotreated vegetable oil", WASTE),
        ("Deliver carbon literacy training to council staff", HRFIN),
        ("Create wildflower meadows in {place}", LEISURE),
    ),
    "COU": (
        ("Implement the new revenues and benefits system (phase {phase})", REVS),
        ("Set a balanced budget and Medium Term Financial Strategy for {year}", HRFIN),
        ("Deliver the Workforce Strategy action plan for {year}", HRFIN),
        ("Introduce e-billing for Council Tax", REVS),
        ("Replace the finance and HR system (phase {phase})", HRFIN),
        ("Run the Northmere Residents' Survey for {year}", CUSTOMER),
        ("Rationalise the council's office accommodation", HRFIN),
        ("Deliver the corporate complaints improvement plan", CUSTOMER),
        ("Implement the Council Tax Reduction scheme for {year}", REVS),
        ("Introduce a corporate performance dashboard", HRFIN),
        ("Deliver the apprenticeship plan for council staff", HRFIN),
        ("Open a customer access point in {place}", CUSTOMER),
    ),
}
#: The tiny council's actions: (outcome, stem index, fate), one of each status.
TINY_ACTIONS = (
    ("ENV", 3, "delivered"), ("ENV", 7, "slipped more"), ("ENV", 9, "not viable"),
    ("ENV", 4, "scheduled"), ("COU", 3, "on target"), ("COU", 0, "slipped less"),
)
ACTION_PHASES = ("1", "2", "3")
ACTION_YEARS = (2024, 2025, 2026, 2027)

DELIVERED_NOTES = (
    "Formally closed by the project board.",
    "Benefits will be reviewed in six months' time.",
    "Outcomes are now monitored through the outcome plan indicators.",
    "Delivered within budget.",
)
ON_TRACK_NOTES = (
    "the quarter's project plan milestones were met.",
    "procurement has concluded and the contractor has mobilised.",
    "consultation has closed and the responses are being analysed.",
    "design work is complete and delivery has started.",
    "the project board reviewed progress this quarter and confirmed the timetable.",
)
DELAY_REASONS = (
    "Contractor availability: the appointed contractor could not start on the planned date.",
    "Procurement took longer than planned after the first tender attracted no compliant bids.",
    "Awaiting confirmation of government grant funding.",
    "The consultation period was extended following strong public response.",
    "A key officer post has been vacant for several months.",
    "Planning consent took longer than expected to secure.",
    "Utility diversions found on site needed redesign work.",
    "Dependent on a partner organisation whose own programme has slipped.",
)
DELAY_ACTIONS = (
    "A revised project plan has been agreed by the project board, with monthly highlight reports.",
    "Interim project management resource has been brought in to recover the timetable.",
    "Phasing has been changed so that the most important elements are delivered first.",
    "The Director has escalated the dependency to the partner's board and agreed a recovery date.",
    "A direct award under an existing framework has been approved to avoid re-tendering.",
)
NOT_VIABLE_REASONS = (
    "Government funding for the scheme was withdrawn in the spending review.",
    "Superseded by the combined authority's regional programme, which now delivers this work.",
    "The site owner sold the land, so the scheme cannot proceed.",
)


# --- the result ---------------------------------------------------------------------------------------------
@dataclass
class DemoCouncil:
    """The fictional council: its register, history, benchmarks and the clean
    returns its services would send for each return period."""

    name: str
    register_sheets: dict[str, pd.DataFrame]
    history: pd.DataFrame
    comparators: pd.DataFrame
    return_periods: list[Period]
    indicator_returns: dict[str, pd.DataFrame]
    action_returns: dict[str, pd.DataFrame]
    latest_period: Period
    scale: str = "standard"
    seed: int = DEFAULT_SEED
    #: The status planned for each indicator at the latest period (for tests and notebooks).
    planned_status: dict[str, str] = field(default_factory=dict)


# --- small helpers ------------------------------------------------------------------------------------------
def _rng(seed: int, stream: int, *keys: int) -> np.random.Generator:
    """An independent random stream per (stream, keys), so items do not disturb each other."""
    return np.random.default_rng([seed, stream, *keys])


_STREAM_INDICATOR, _STREAM_FORECAST, _STREAM_TARGET, _STREAM_TEXT = 1, 2, 3, 4
_STREAM_ACTION, _STREAM_COMPARATOR, _STREAM_REGISTER, _STREAM_ACTION_TEXT = 5, 6, 7, 8
_STREAM_ACTION_PLAN = 9


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_end_at(index: int) -> date:
    return _month_end(index // 12, index % 12 + 1)


def _month_start_at(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _random_month(rng: np.random.Generator, first: date, last: date) -> int:
    """A month index between two dates' months, inclusive."""
    low, high = _month_index(first), _month_index(last)
    return int(rng.integers(low, max(low, high) + 1))


def _decimals(spec: _Spec) -> int:
    if spec.decimals is not None:
        return spec.decimals
    if spec.zero_target or (spec.unit == "number" and spec.level < SMALL_COUNT_LEVEL):
        return 0
    return DECIMALS_BY_UNIT.get(spec.unit, 1)


def _is_count(spec: _Spec) -> bool:
    """Whole-number counts of events, drawn as Poisson counts when small."""
    return spec.unit == "number" and _decimals(spec) == 0


def _tolerance(spec: _Spec, explicit_default: bool) -> tuple[str, float, bool]:
    """(register text, band, relative) for the indicator's Tolerance."""
    if spec.tolerance.endswith("%"):
        return spec.tolerance, float(spec.tolerance[:-1]) / 100, True
    if spec.tolerance:
        return spec.tolerance, float(spec.tolerance), False
    return (C.DEFAULT_TOLERANCE if explicit_default else ""), C.DEFAULT_TOLERANCE_FRACTION, True


def format_value(value: float, unit: str, decimals: int) -> str:
    """A value as commentary quotes it: ``44.2%``, ``£1,250``, ``19.5 days``, ``1,234``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    number = f"{abs(value):,.{decimals}f}"
    sign = "-" if value < 0 else ""
    if unit == "%":
        return f"{sign}{number}%"
    if unit == "£":
        return f"{sign}£{number}"
    if unit in ("number", "rate", ""):
        return f"{sign}{number}"
    return f"{sign}{number} {unit}"


# --- choosing the council's indicators for a scale ---------------------------------------------------------
@dataclass(frozen=True)
class _Indicator:
    """A catalogue entry placed in this council: ID, service and people."""

    id: str
    spec: _Spec
    outcome_id: str
    service: str
    owner: str
    escalation_owner: str
    tolerance: tuple[str, float, bool]
    comparator: str
    headline: bool


def _scale(scale: str) -> DemoScale:
    if scale not in DEMO_SCALES:
        raise ConfigError(f"Unknown demo scale '{scale}': choose one of {', '.join(DEMO_SCALES)}")
    return DEMO_SCALES[scale]


def _outcomes_for(scale: str) -> tuple[_Outcome, ...]:
    if scale == "tiny":
        return tuple(o for o in OUTCOMES if o.code in TINY_OUTCOMES)
    return OUTCOMES[: DEMO_SCALES[scale].outcomes]


def _outcome_ids(outcomes: tuple[_Outcome, ...]) -> dict[str, str]:
    return {o.code: f"O{n:02d}" for n, o in enumerate(outcomes, start=1)}


def _extra_people(service: str, index: int) -> tuple[str, tuple[str, ...]]:
    """A manager and an officer for one of the large council's extra services."""
    first = _FIRST_NAMES[index % len(_FIRST_NAMES)]
    surname = _SURNAMES[(index * 7 + 3) % len(_SURNAMES)]
    second = _FIRST_NAMES[(index * 5 + 11) % len(_FIRST_NAMES)]
    surname2 = _SURNAMES[(index * 11 + 1) % len(_SURNAMES)]
    return (f"{first} {surname}, {service} Manager",
            (f"{first} {surname}, {service} Manager", f"{second} {surname2}, {service} Team Leader"))


def _all_people() -> dict[str, tuple[str, tuple[str, ...]]]:
    people = dict(SERVICE_PEOPLE)
    extras = [s for family in SERVICE_FAMILIES.values() for s in family]
    for index, service in enumerate(extras):
        people[service] = _extra_people(service, index)
    return people


def _family_of(service: str) -> str:
    for base, family in SERVICE_FAMILIES.items():
        if service == base or service in family:
            return base
    return service


def _chosen_specs(scale: str, outcomes: tuple[_Outcome, ...]) -> list[tuple[_Spec, int]]:
    """(catalogue entry, copy number) for each indicator of the scale, in outcome order.

    The large council repeats the catalogue split by locality (copies 1-3),
    each copy reported by one of its service's sub-services.
    """
    codes = [o.code for o in outcomes]
    if scale == "tiny":
        by_name = {spec.name: spec for spec in CATALOGUE}
        chosen = [(by_name[name], 0) for name in TINY_INDICATORS]
    else:
        wanted = DEMO_SCALES[scale].indicators
        base = [spec for spec in CATALOGUE if spec.outcome in codes]
        chosen = [(spec, copy) for copy in range(math.ceil(wanted / len(base))) for spec in base][:wanted]
    return sorted(chosen, key=lambda item: (codes.index(item[0].outcome), item[1]))


def _place_indicators(scale: str, seed: int, outcomes: tuple[_Outcome, ...]) -> list[_Indicator]:
    """Give each chosen catalogue entry its ID, service, owners and register flags."""
    outcome_ids = _outcome_ids(outcomes)
    people = _all_people()
    counters: dict[str, int] = {}
    placed = []
    for index, (spec, copy) in enumerate(_chosen_specs(scale, outcomes)):
        rng = _rng(seed, _STREAM_REGISTER, index)
        counters[spec.outcome] = counters.get(spec.outcome, 0) + 1
        service = spec.service
        if copy:
            family = SERVICE_FAMILIES[spec.service]
            service = family[(copy - 1 + counters[spec.outcome]) % len(family)]
            area = f" {(copy - 1) // len(LOCALITIES) + 1}" if copy > len(LOCALITIES) else ""
            spec = replace(spec, name=f"{spec.name} - {LOCALITIES[(copy - 1) % len(LOCALITIES)]} locality{area}",
                           forced="")
        head, managers = people[service]
        owner = managers[int(rng.integers(len(managers)))]
        escalation = head if head != owner else SERVICE_PEOPLE[_family_of(service)][0]
        explicit_default = bool(rng.random() < EXPLICIT_DEFAULT_TOLERANCE_SHARE)
        placed.append(_Indicator(
            id=f"{spec.outcome}-{counters[spec.outcome]:02d}",
            spec=spec,
            outcome_id=outcome_ids[spec.outcome],
            service=service,
            owner=owner,
            escalation_owner=escalation,
            tolerance=_tolerance(spec, explicit_default),
            comparator=spec.comparator if copy == 0 else "",
            headline=spec.headline and copy == 0,
        ))
    return placed


def _definition(spec: _Spec) -> str:
    """The register's Definition: what is counted, how often, and how it accumulates."""
    text = spec.definition or f"{spec.name}."
    when = {
        C.MONTHLY: "Collected monthly and reported each quarter.",
        C.QUARTERLY: "Reported each quarter.",
        C.HALF_YEARLY: "Reported at mid-year (Q2) and year end (Q4).",
        C.ANNUAL: "Reported once a year, at year end (Q4).",
    }[spec.frequency]
    parts = [text, when]
    if spec.cumulative:
        parts.append("Year to date: accumulates from April and resets at the start of each financial year.")
    if spec.zero_target:
        parts.append("The target is zero.")
    return " ".join(parts)


# --- series ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Model:
    """How one indicator's values are drawn: level, trend, season, step and noise."""

    level: float
    scale: float        # the size one unit of trend or noise is measured in
    trend: float        # per year, in units of ``scale`` (positive = numbers rise)
    noise: float        # standard deviation, in units of ``scale``
    season: tuple[float, float, float, float]
    shares: tuple[float, float, float, float]
    step_index: int | None
    step: float         # in units of ``scale``
    poisson: bool


def _scale_of(spec: _Spec) -> float:
    if spec.unit == "%":
        return math.sqrt(max(spec.level * (100 - spec.level), 1.0))
    return max(abs(spec.level), 1.0)


def _model(spec: _Spec, latest: Period, rng: np.random.Generator) -> _Model:
    improving = rng.random() < IMPROVING_TREND_SHARE
    better = {C.HIGHER_IS_BETTER: 1, C.LOWER_IS_BETTER: -1}.get(spec.polarity, 1 if rng.random() < 0.5 else -1)
    trend = float(rng.uniform(*TREND_RANGE)) * better * (1 if improving else -1)
    amplitude, peak = spec.season
    season = tuple(1 + amplitude * math.cos(2 * math.pi * (q - peak) / 4) for q in (1, 2, 3, 4))
    raw = spec.shares or tuple(s / 4 for s in season)
    shares = tuple(s / sum(raw) for s in raw)
    noise = NOISE_BY_UNIT.get(spec.unit, NOISE_OTHER)
    wants_step = spec.step or (
        not spec.cumulative and spec.frequency in (C.MONTHLY, C.QUARTERLY) and not spec.zero_target
        and not spec.baseline and amplitude == 0 and spec.level >= SMALL_COUNT_LEVEL
        and rng.random() < RANDOM_STEP_SHARE)
    step_index, step = None, 0.0
    if wants_step:
        ago = int(rng.integers(STEP_QUARTERS_AGO[0], STEP_QUARTERS_AGO[1] + 1))
        step_index = latest.index - ago
        direction = better * (1 if rng.random() < 0.5 else -1)
        # Big enough to stand out from the noise and the seasonal swing alike.
        swing = 2 * amplitude * spec.level / _scale_of(spec)
        step = direction * (float(rng.uniform(*STEP_SIZE_SDS)) * noise + swing)
    poisson = _is_count(spec) and spec.level < SMALL_COUNT_LEVEL
    return _Model(spec.level, _scale_of(spec), trend, noise, season, shares, step_index, step, poisson)


def _mean(model: _Model, period: Period, latest: Period) -> float:
    """The noise-free level at ``period`` (before seasonality)."""
    years = (period.index - latest.index) / 4
    value = model.level + model.trend * model.scale * years
    if model.step_index is not None:
        # The step is already in today's level: before it, the level was different.
        if period.index < model.step_index:
            value -= model.step * model.scale
    return max(value, model.level * 0.1 if model.level > 0 else 0.0)


def _clip(spec: _Spec, value: float) -> float:
    """Keep a value possible for its unit and round it as the service would."""
    if not (spec.unit == "£" and spec.polarity == C.LOWER_IS_BETTER):  # an overspend can go negative
        value = max(value, 0.0)
    if spec.unit == "%":
        value = min(value, 100.0)
    return round(value, _decimals(spec))


def _expected(spec: _Spec, model: _Model, period: Period, latest: Period) -> float:
    """What the value would be at ``period`` without noise (for targets and forecasts)."""
    if spec.cumulative:
        year_total = _mean(model, Period(period.year, 2), latest)
        return year_total * sum(model.shares[: period.quarter])
    return _mean(model, period, latest) * model.season[period.quarter - 1]


def _draw_series(spec: _Spec, model: _Model, periods: list[Period], latest: Period,
                 rng: np.random.Generator) -> dict[Period, float]:
    """Every quarter's value; only quarters the frequency reports in are kept."""
    values: dict[Period, float] = {}
    ytd = 0.0
    for period in periods:
        if spec.cumulative:
            if period.quarter == 1:
                ytd = 0.0
            year_total = _mean(model, Period(period.year, 2), latest)
            flow = year_total * model.shares[period.quarter - 1]
            if model.poisson:
                flow = float(rng.poisson(max(flow, 0.0)))
            else:
                flow *= 1 + rng.normal(0, model.noise * model.scale / max(abs(model.level), 1e-9) / 2)
            ytd += max(flow, 0.0)
            value = ytd
        else:
            mean = _mean(model, period, latest) * model.season[period.quarter - 1]
            if model.poisson:
                value = float(rng.poisson(max(mean, 0.0)))
            else:
                value = mean + rng.normal(0, model.noise * model.scale)
        if status.is_due(spec.frequency, period.quarter):
            values[period] = _clip(spec, value)
    return values


# --- targets ------------------------------------------------------------------------------------------------
_RANK = {C.RED: 0, C.AMBER: 1, C.GREEN: 2}


def _target_step(value: float, decimals: int) -> float:
    """How finely targets are set: the display precision, or 3 significant figures."""
    step = 10.0 ** -decimals
    if abs(value) >= 1000:
        step = max(step, 10.0 ** (math.floor(math.log10(abs(value))) - 2))
    return step


def _round_to(value: float, step: float) -> float:
    """The nearest multiple of ``step``, printed without binary noise (2.2, not 2.2000000000000002)."""
    return round(round(value / step) * step, max(0, -math.floor(math.log10(step))))


def _choose(rng: np.random.Generator, mix: dict[str, float]) -> str:
    names = list(mix)
    return names[int(rng.choice(len(names), p=np.array(list(mix.values())) / sum(mix.values())))]


def _initial_target(value: float, desired: str, polarity: str, tolerance: tuple[str, float, bool],
                    spread: float, rng: np.random.Generator) -> float:
    """A target that should give ``desired`` for ``value`` (rounding is fixed up later).

    Green beats the target by a little of the indicator's own variation
    (``spread``, one noise SD); otherwise SPEC §5's gap is solved for the
    target: relative ``(v - t)/t = gap`` (mirrored for lower is better),
    absolute ``v - t = gap``.
    """
    _, band, relative = tolerance
    higher = polarity == C.HIGHER_IS_BETTER
    if desired == C.GREEN:
        margin = float(rng.uniform(*GREEN_GAP_SDS)) * spread
        return value - margin if higher else value + margin
    gap = -float(rng.uniform(*(AMBER_GAP if desired == C.AMBER else RED_GAP))) * band
    if relative:
        divisor = 1 + gap if higher else 1 - gap
        return value / divisor if divisor > 0 else value * 2
    return value - gap if higher else value + gap


def _fit_target(value: float, start: float, desired: str, polarity: str,
                tolerance: tuple[str, float, bool], step: float, multiplier: float,
                bounds: tuple[float, float]) -> tuple[float, str]:
    """Move a rounded target a step at a time until the real rules give ``desired``.

    ``multiplier`` turns the annual target into the one judged (a profiled
    quarter's share). Stops at the first overshoot, accepting the nearest
    status: with whole-number counts an Amber band can be narrower than one.
    """
    _, band, relative = tolerance
    annual = _round_to(start, step)
    last_move = 0
    for _ in range(400):
        annual = min(max(annual, bounds[0]), bounds[1])
        judged = _round_to(annual * multiplier, step) if multiplier != 1 else annual
        got, _ = status.rag_status(value, judged, polarity, band, relative)
        if got == desired:
            return annual, got
        easier = _RANK[desired] > _RANK[got]
        move = (-1 if polarity == C.HIGHER_IS_BETTER else 1) * (1 if easier else -1)
        if last_move and move != last_move:
            return annual, got
        nxt = min(max(_round_to(annual + move * step, step), bounds[0]), bounds[1])
        if nxt == annual:
            return annual, got
        annual, last_move = nxt, move
    return annual, got


def _profile(spec: _Spec, model: _Model, annual: float, step: float) -> list[float]:
    """Quarterly targets: the year-to-date share for cumulative measures, else the season."""
    if spec.cumulative:
        shares = np.cumsum(model.shares)
        return [_round_to(annual * s, step) for s in shares[:3]] + [annual]
    return [_round_to(annual * model.season[q] / model.season[3], step) for q in range(3)] + [annual]


def _has_profile(spec: _Spec) -> bool:
    return (spec.cumulative or spec.profile) and not spec.zero_target


def _multiplier(spec: _Spec, model: _Model, quarter: int) -> float:
    if quarter == 4 or not _has_profile(spec):
        return 1.0
    if spec.cumulative:
        return float(sum(model.shares[:quarter]))
    return model.season[quarter - 1] / model.season[3]


def _target_rows(ind: _Indicator, model: _Model, series: dict[Period, float],
                 forecasts: dict[Period, float], years: list[int], latest: Period, seed: int,
                 index: int) -> tuple[list[dict], str]:
    """One Targets row per financial year, planned from the series; and the
    status planned for the latest period ("" when none is judged)."""
    spec = ind.spec
    if spec.no_target or spec.polarity == C.NEUTRAL:
        return [], C.MEASURED
    if spec.baseline:
        return [_target_row(ind.id, latest.year, "Baseline", None)], C.MEASURED
    rng = _rng(seed, _STREAM_TARGET, index)
    decimals = _decimals(spec)
    rows, planned = [], ""
    for year in years:
        if spec.no_target_latest and year == latest.year:
            continue
        plan_at = latest if year == latest.year else Period(year, 4)
        mix = CURRENT_YEAR_MIX if year == latest.year else PAST_YEAR_MIX
        desired = spec.forced if (spec.forced and year == latest.year) else _choose(rng, mix)
        if spec.zero_target:
            rows.append(_target_row(ind.id, year, 0.0, None))
            continue
        expected_q4 = _expected(spec, model, Period(year, 4), latest)
        step = _target_step(expected_q4, decimals)
        upper = 100.0 if spec.unit == "%" else math.inf
        actual, forecast = series.get(plan_at, math.nan), forecasts.get(plan_at, math.nan)
        if math.isnan(actual) and math.isnan(forecast):
            # Nothing to judge yet (an annual measure in-year): a stretch on the expected value.
            stretch = float(rng.uniform(*TARGET_STRETCH))
            sign = 1 if spec.polarity == C.HIGHER_IS_BETTER else -1
            annual = min(max(_round_to(expected_q4 * (1 + sign * stretch), step), 0.0), upper)
        else:
            multiplier = _multiplier(spec, model, plan_at.quarter)
            value, _, basis = status.assessment_basis(plan_at, actual, forecast, 1.0,
                                                      1.0 if multiplier != 1 else math.nan)
            if basis != C.BASIS_ACTUAL_QUARTER.format(quarter=plan_at.quarter_name):
                multiplier = 1.0
            bounds = (0.0, upper)
            if spec.unit == "%" and spec.polarity == C.HIGHER_IS_BETTER:
                # Nobody sets a 100% Council Tax collection target: keep stretch believable.
                ceiling = value + PERCENT_HEADROOM_SHARE * (100 - value)
                bounds = (0.0, _round_to(math.floor(ceiling / step) * step, step))
            spread = math.sqrt(max(model.level, 1.0)) if model.poisson else model.noise * model.scale
            judged = _initial_target(value, desired, spec.polarity, ind.tolerance, spread, rng)
            annual, got = _fit_target(value, judged / multiplier, desired, spec.polarity, ind.tolerance,
                                      step, multiplier, bounds)
            if year == latest.year:
                planned = got
        quarters = _profile(spec, model, annual, step) if _has_profile(spec) else None
        rows.append(_target_row(ind.id, year, annual, quarters))
    if spec.zero_target:
        value = series.get(latest, math.nan)
        planned = "" if math.isnan(value) else (C.GREEN if value <= 0 else C.RED)
    if not status.is_due(spec.frequency, latest.quarter) or spec.no_target_latest:
        planned = C.MEASURED
    return rows, planned or C.MEASURED


def _target_row(indicator_id: str, year: int, annual: object, quarters: list[float] | None) -> dict:
    row = {"Indicator ID": indicator_id, "Year": year_label(year), "Annual Target": annual}
    for q in range(4):
        row[f"Q{q + 1} Target"] = math.nan if quarters is None else float(quarters[q])
    return row


# --- forecasts --------------------------------------------------------------------------------------------
def _gives_forecast(spec: _Spec, rng: np.random.Generator) -> bool:
    if spec.forecast is not None:
        return spec.forecast
    if spec.type == C.TYPE_PERCEPTION or spec.frequency not in (C.MONTHLY, C.QUARTERLY):
        return False
    if spec.zero_target or spec.baseline or spec.polarity == C.NEUTRAL or spec.no_target:
        return False
    share = FORECAST_SHARE_CUMULATIVE if spec.cumulative else FORECAST_SHARE_OTHER
    return bool(rng.random() < share)


def _forecasts(spec: _Spec, model: _Model, series: dict[Period, float], return_periods: list[Period],
               latest: Period, rng: np.random.Generator) -> dict[Period, float]:
    """Year-end forecasts in Q1-Q3 returns: the service's projection from the year so far."""
    out: dict[Period, float] = {}
    for period in return_periods:
        if period.quarter == 4 or period not in series:
            continue
        year_end = _expected(spec, model, Period(period.year, 4), latest)
        if spec.cumulative:
            share = float(sum(model.shares[: period.quarter]))
            year_end = 0.5 * year_end + 0.5 * series[period] / share
        noisy = year_end + rng.normal(0, model.noise * model.scale / 2)
        out[period] = _clip(spec, noisy)
    return out


# --- indicator returns --------------------------------------------------------------------------------------
def _targets_for(rows: list[dict], year: int, quarter: int) -> tuple[float, float, bool]:
    for row in rows:
        if row["Year"] == year_label(year):
            annual = row["Annual Target"]
            if isinstance(annual, str):
                return math.nan, math.nan, True
            return float(annual), float(row[f"Q{quarter} Target"]), False
    return math.nan, math.nan, False


def _indicator_return_row(ind: _Indicator, period: Period, actual: float, forecast: float,
                          target_rows: list[dict], rng: np.random.Generator) -> dict:
    """What a service enters for one indicator: figures, commentary that quotes them,
    corrective action when the status calls for it."""
    spec = ind.spec
    decimals = _decimals(spec)
    annual, quarter_target, baseline = _targets_for(target_rows, period.year, period.quarter)
    value, target, basis = status.assessment_basis(period, actual, forecast, annual, quarter_target)
    rag, _ = status.indicator_status(
        period, frequency=spec.frequency, polarity=spec.polarity, indicator_type=spec.type,
        value=value, target=target, basis=basis, baseline=baseline,
        tolerance_value=ind.tolerance[1], tolerance_relative=ind.tolerance[2],
    )
    good, pressure, corrective = SERVICE_TEXT[_family_of(ind.service)]
    fmt = lambda v: format_value(v, spec.unit, decimals)  # noqa: E731 - a local shorthand
    commentary = corrective_action = ""
    if spec.survey_paused and math.isnan(actual):
        commentary = SURVEY_PAUSED_COMMENTARY
    elif rag == C.GREEN:
        if rng.random() < COMMENTARY_SHARE_GREEN:
            compared = "meets" if fmt(value) == fmt(target) else "is better than"
            lead = (f"The year-end forecast of {fmt(value)} is on track for the target of {fmt(target)}."
                    if basis == C.BASIS_FORECAST else
                    f"At {fmt(actual)}, performance {compared} the target of {fmt(target)}.")
            commentary = f"{lead} {good[int(rng.integers(len(good)))]}"
    elif rag in (C.AMBER, C.RED):
        shortfall = "just short of" if rag == C.AMBER else "off track against"
        lead = (f"The year-end forecast of {fmt(value)} is {shortfall} the target of {fmt(target)}."
                if basis == C.BASIS_FORECAST else
                f"At {fmt(actual)}, performance is {shortfall} the target of {fmt(target)}.")
        commentary = f"{lead} {pressure[int(rng.integers(len(pressure)))]}"
        if rag == C.RED or rng.random() < CORRECTIVE_SHARE_AMBER:
            corrective_action = corrective[int(rng.integers(len(corrective)))]
    elif rng.random() < COMMENTARY_SHARE_MEASURED:
        commentary = _measured_commentary(spec, period, fmt(actual))
    data_note = DATA_NOTES[int(rng.integers(len(DATA_NOTES)))] if (
        not math.isnan(actual) and rng.random() < DATA_NOTE_SHARE) else ""
    return {
        "Indicator ID": ind.id, "Service": ind.service, "Actual": actual,
        "Forecast Year-End": forecast, "Commentary": commentary,
        "Corrective Action": corrective_action, "Data Note": data_note,
    }


def _measured_commentary(spec: _Spec, period: Period, shown: str) -> str:
    if spec.baseline:
        return (f"First year of collection: {shown} this quarter. The results will set the baseline "
                "for a target next year.")
    if spec.type == C.TYPE_PERCEPTION:
        return f"Result of the {period.year_label} survey: {shown}."
    if spec.polarity == C.NEUTRAL or spec.no_target:
        return (f"Contextual measure: {shown} this quarter. There is no target because a rise or a "
                "fall is not in itself good or bad.")
    return f"{shown} this period."


# --- actions --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Action:
    id: str
    text: str
    outcome_id: str
    service: str
    owner: str
    start: date
    end: date
    fate: str
    expected: date          # the final expected end date
    revealed: date          # from this date the return shows ``expected``
    completed: date | None
    stopped: date | None    # when it was judged no longer viable
    reason: str
    corrective: str


def _action_candidates(code: str, count: int, rng: np.random.Generator, large: bool) -> list[tuple[str, str]]:
    """Action names for one outcome: every stem once, then more places, phases and years.

    ``{year}`` is left in and filled from the action's dates. The large
    council also repeats stems by locality so it can reach 150 per outcome.
    """
    stems = ACTION_STEMS[code]
    variants: list[list[tuple[str, str]]] = []
    for text, service in stems:
        places = list(rng.permutation(PLACES))
        options = [text]
        if "{place}" in text:
            options = [text.replace("{place}", p) for p in places]
        if "{phase}" in text:
            options = [o.replace("{phase}", ph) for ph in ACTION_PHASES for o in options[:4]]
        if "{year}" in text:
            options = [o.replace("{year}", f"{{year:{y}}}") for y in ACTION_YEARS for o in options[:1]]
        variants.append([(o, service) for o in options])
    chosen: list[tuple[str, str]] = []
    depth = 0
    while len(chosen) < count and depth < 64:
        for options in variants:
            if depth < len(options) and len(chosen) < count:
                chosen.append(options[depth])
        depth += 1
    singles = [(text, service) for text, service in stems if "{" not in text]
    round_ = 0
    while len(chosen) < count and large and singles:
        place = PLACES[round_ % len(PLACES)]
        stage = f" (stage {round_ // len(PLACES) + 1})" if round_ >= len(PLACES) else ""
        for text, service in singles:
            if len(chosen) < count:
                chosen.append((f"{text} in {place}{stage}", service))
        round_ += 1
    return chosen


def _fixed_year(text: str) -> int | None:
    if "{year:" in text:
        return int(text.split("{year:")[1].split("}")[0])
    return None


def _fill_year(text: str, year: int) -> str:
    start = text.index("{year:")
    end = text.index("}", start)
    return text[:start] + year_label(year) + text[end + 1:]


def _action_dates(fate: str, latest_end: date, rng: np.random.Generator, year: int | None) -> dict:
    """Start, baseline end, expected end, completion and the date a slip became known."""
    months = lambda first, last: _random_month(rng, first, last)  # noqa: E731
    latest_index = _month_index(latest_end)
    expected = completed = stopped = None
    if year is not None:
        start, end = date(year, 4, 1), date(year + 1, 3, 31)
        fate = ("delivered" if end <= latest_end else "scheduled" if start > latest_end else "on target")
        if fate == "delivered":  # a year's programme is signed off in its last weeks
            completed = end - timedelta(days=int(rng.integers(0, 21)))
    elif fate == "delivered":
        late = rng.random() < DELIVERED_LATE_SHARE
        end_index = months(date(2024, 9, 1), _month_end_at(latest_index - (2 if late else 0)))
        end = _month_end_at(end_index)
        start = _month_start_at(max(_month_index(PLAN_START), end_index - int(rng.integers(6, 25))))
        if late:
            expected = status.add_months(end, int(rng.integers(1, 3)))
            expected = min(expected, latest_end)
        else:
            expected = end
        completed = max(start + timedelta(days=30), expected - timedelta(days=int(rng.integers(0, 21))))
    elif fate == "on target":
        start = _month_start_at(months(PLAN_START, date(2026, 7, 1)))
        end = _month_end_at(months(date(2026, 10, 1), PLAN_END))
    elif fate == "slipped less":
        start = _month_start_at(months(PLAN_START, date(2026, 3, 1)))
        end = _month_end_at(months(latest_end, date(2027, 12, 1)))
        expected = status.add_months(end, int(rng.integers(SLIP_LESS_MONTHS[0], SLIP_LESS_MONTHS[1] + 1)))
    elif fate == "slipped more":
        start = _month_start_at(months(PLAN_START, date(2026, 1, 1)))
        end = _month_end_at(months(date(2026, 3, 1), date(2027, 9, 1)))
        slip = int(rng.integers(SLIP_MORE_MONTHS[0], SLIP_MORE_MONTHS[1] + 1))
        while status.add_months(end, slip) <= latest_end:
            slip += 1
        expected = status.add_months(end, slip)
    elif fate == "not viable":
        start = _month_start_at(months(PLAN_START, date(2025, 10, 1)))
        stopped = _month_end_at(months(date(2025, 12, 1), latest_end))
        end = _month_end_at(months(max(status.add_months(stopped, 1), date(2026, 6, 1)), date(2027, 12, 1)))
    else:  # scheduled
        start = _month_start_at(months(date(2026, 10, 1), date(2027, 10, 1)))
        end = min(_month_end_at(_month_index(start) + int(rng.integers(6, 19))), PLAN_END)
    expected = expected or end
    revealed = end
    if expected != end:
        # The slip becomes known in the months before the baseline end, and by the
        # latest period at the latest, so the latest returns show it.
        earliest = max(status.add_months(end, -SLIP_NOTICE_MONTHS), status.add_months(start, 1))
        earliest = min(earliest, latest_end)
        revealed = _month_end_at(months(earliest, min(end, latest_end)))
    return {"fate": fate, "start": start, "end": end, "expected": expected, "revealed": revealed,
            "completed": completed, "stopped": stopped}


def _place_actions(scale: str, seed: int, outcomes: tuple[_Outcome, ...], latest: Period) -> list[_Action]:
    """The register's actions with the fate each will have by the latest period."""
    cfg = DEMO_SCALES[scale]
    outcome_ids = _outcome_ids(outcomes)
    people = _all_people()
    latest_end = latest.end_date
    plans: list[tuple[str, str, str, str]] = []   # (outcome code, text, service, fate)
    if scale == "tiny":
        for code, stem, fate in TINY_ACTIONS:
            text, service = ACTION_STEMS[code][stem]
            text = text.replace("{place}", PLACES[stem]).replace("{phase}", "1")
            text = text.replace("{year}", f"{{year:{latest.year}}}")
            plans.append((code, text, service, fate))
    else:
        per_outcome = [cfg.actions // len(outcomes) + (n < cfg.actions % len(outcomes))
                       for n in range(len(outcomes))]
        not_viable = max(1, round(cfg.actions / ACTIONS_PER_NOT_VIABLE))
        for n, (outcome, count) in enumerate(zip(outcomes, per_outcome)):
            rng = _rng(seed, _STREAM_ACTION_PLAN, n)
            large = scale.startswith("large")
            for text, service in _action_candidates(outcome.code, count, rng, large):
                if large:
                    family = (service,) + SERVICE_FAMILIES[service]
                    service = family[len(plans) % len(family)]
                plans.append((outcome.code, text, service, _choose(rng, ACTION_MIX)))
        stride = len(plans) // not_viable
        for k in range(not_viable):
            at = k * stride + stride // 2
            while _fixed_year(plans[at][1]) is not None:
                at += 1
            code, text, service, _ = plans[at]
            plans[at] = (code, text, service, "not viable")
    counters: dict[str, int] = {}
    actions = []
    for index, (code, text, service, fate) in enumerate(plans):
        rng = _rng(seed, _STREAM_ACTION, index)
        year = _fixed_year(text)
        dates = _action_dates(fate, latest_end, rng, year)
        if year is not None:
            text = _fill_year(text, year)
        counters[code] = counters.get(code, 0) + 1
        head, managers = people[service]
        owner = (head,) + managers
        reason = corrective = ""
        if dates["fate"] == "not viable":
            reason = NOT_VIABLE_REASONS[int(rng.integers(len(NOT_VIABLE_REASONS)))]
        elif dates["expected"] > dates["end"]:
            reason = DELAY_REASONS[int(rng.integers(len(DELAY_REASONS)))]
            corrective = DELAY_ACTIONS[int(rng.integers(len(DELAY_ACTIONS)))]
        actions.append(_Action(
            id=f"{code}-A{counters[code]:03d}", text=text, outcome_id=outcome_ids[code], service=service,
            owner=owner[int(rng.integers(len(owner)))], start=dates["start"], end=dates["end"],
            fate=dates["fate"], expected=dates["expected"], revealed=dates["revealed"],
            completed=dates["completed"], stopped=dates["stopped"], reason=reason, corrective=corrective,
        ))
    return actions


def _action_return_row(action: _Action, period: Period, rng: np.random.Generator) -> dict:
    """What the service reports for an action as at the period's end: consistent with its dates."""
    end = period.end_date
    row = {"Action ID": action.id, "Service": action.service, "Progress": C.PROGRESS_IN_PROGRESS,
           "Expected End Date": action.end, "Completed Date": None, "Commentary": "",
           "Reason For Delay": "", "Corrective Action": ""}
    if action.start > end:
        row["Progress"] = C.PROGRESS_NOT_STARTED
        row["Commentary"] = f"Due to start in {action.start:%B %Y}; preparatory work is under way."
        return row
    if action.stopped is not None and end >= action.stopped:
        row.update({"Progress": C.PROGRESS_NOT_VIABLE, "Expected End Date": None,
                    "Commentary": f"Recommended to the project board as no longer viable. {action.reason}",
                    "Reason For Delay": action.reason})
        return row
    if action.completed is not None and end >= action.completed:
        row.update({"Progress": C.PROGRESS_COMPLETED, "Expected End Date": action.expected,
                    "Completed Date": action.completed,
                    "Commentary": f"Completed in {action.completed:%B %Y}. "
                                  f"{DELIVERED_NOTES[int(rng.integers(len(DELIVERED_NOTES)))]}"})
        return row
    if end >= action.revealed and action.expected > action.end:
        slip = status.months_between(action.end, action.expected, 0)
        row.update({
            "Expected End Date": action.expected,
            "Commentary": f"Completion is now expected in {action.expected:%B %Y}, "
                          f"{slip:.0f} month{'s' if slip != 1 else ''} after the planned "
                          f"{action.end:%B %Y}.",
            "Reason For Delay": action.reason,
            "Corrective Action": action.corrective if slip > C.SLIPPAGE_THRESHOLD_MONTHS
            or rng.random() < 0.5 else "",
        })
        return row
    row["Commentary"] = f"On track: {ON_TRACK_NOTES[int(rng.integers(len(ON_TRACK_NOTES)))]}"
    return row


# --- comparators -------------------------------------------------------------------------------------------
def _own_year_value(spec: _Spec, series: dict[Period, float], year: int) -> float:
    """The council's published figure for a year: year-end for cumulative and
    annual measures, else the mean of the year's quarters."""
    if spec.cumulative or spec.frequency in (C.ANNUAL, C.HALF_YEARLY):
        return series.get(Period(year, 4), math.nan)
    values = [series[p] for p in series if p.year == year]
    return float(np.mean(values)) if values else math.nan


def _comparator_rows(ind: _Indicator, series: dict[Period, float], seed: int, index: int) -> list[dict]:
    spec = ind.spec
    rng = _rng(seed, _STREAM_COMPARATOR, index)
    decimals = _decimals(spec)
    own = {year: _own_year_value(spec, series, year) for year in COMPARATOR_YEARS}
    known = [v for v in own.values() if not math.isnan(v)]
    centre = float(np.mean(known)) if known else spec.level
    spread = (COMPARATOR_SPREAD_PERCENT * _scale_of(spec) if spec.unit == "%"
              else COMPARATOR_SPREAD_OTHER * abs(centre))
    effects = rng.normal(0, 1, len(NEIGHBOURS))
    rows = []
    for year in COMPARATOR_YEARS:
        drift = (year - COMPARATOR_YEARS[-1]) * 0.01 * spread
        if not math.isnan(own[year]):
            rows.append({"Comparator Metric": ind.comparator, "Year": year_label(year),
                         "Authority": OWN_AUTHORITY, "Value": round(own[year], decimals)})
        for name, effect in zip(NEIGHBOURS, effects):
            value = centre + drift + spread * (effect + rng.normal(0, 0.3))
            rows.append({"Comparator Metric": ind.comparator, "Year": year_label(year),
                         "Authority": name, "Value": _clip(spec, value)})
    return rows


# --- assembling the council ---------------------------------------------------------------------------------
def _text_frame(rows: list[dict], columns: list[str], numbers=(), dates=()) -> pd.DataFrame:
    """A table in the DESIGN.md convention: text "" for blank, floats NaN, dates NaT."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in numbers:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in dates:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].fillna("").astype("str")
    return frame


def _yes_no(flag: bool) -> str:
    return C.YES_NO[0] if flag else C.YES_NO[1]


def generate_demo(scale: str = "standard", seed: int = DEFAULT_SEED) -> DemoCouncil:
    """Build Northmere Borough Council at ``scale`` (tiny, standard or large). Pure: no I/O.

    Pipeline: place indicators → draw each series → forecasts → plan targets
    from the series → the clean returns → actions and their returns →
    comparators. Each step draws from its own seeded stream.
    """
    cfg = _scale(scale)
    latest = LATEST_PERIOD
    first_return = latest.shift(-(cfg.return_quarters - 1))
    first_history = first_return.shift(-cfg.history_quarters)
    periods = period_range(first_history, latest)
    return_periods = periods[-cfg.return_quarters:]
    years = sorted({p.year for p in periods})
    outcomes = _outcomes_for(scale)
    indicators = _place_indicators(scale, seed, outcomes)

    history_rows, target_rows, comparator_rows = [], [], []
    returns: dict[Period, list[dict]] = {p: [] for p in return_periods}
    planned: dict[str, str] = {}
    for index, ind in enumerate(indicators):
        spec = ind.spec
        rng = _rng(seed, _STREAM_INDICATOR, index)
        model = _model(spec, latest, rng)
        series = _draw_series(spec, model, periods, latest, rng)
        if spec.baseline:
            series = {p: v for p, v in series.items() if p >= first_return}
        if spec.survey_paused:
            series.pop(latest, None)
        forecast_rng = _rng(seed, _STREAM_FORECAST, index)
        forecasts = _forecasts(spec, model, series, return_periods, latest, forecast_rng) if (
            _gives_forecast(spec, forecast_rng)) else {}
        rows, planned[ind.id] = _target_rows(ind, model, series, forecasts, years, latest, seed, index)
        target_rows += rows
        history_rows += [{"Indicator ID": ind.id, "Period": p.label, "Actual": v}
                         for p, v in series.items() if p < first_return]
        text_rng = _rng(seed, _STREAM_TEXT, index)
        for period in return_periods:
            if status.is_due(spec.frequency, period.quarter):
                returns[period].append(_indicator_return_row(
                    ind, period, series.get(period, math.nan), forecasts.get(period, math.nan),
                    rows, text_rng))
        if ind.comparator:
            comparator_rows += _comparator_rows(ind, series, seed, index)

    actions = _place_actions(scale, seed, outcomes, latest)
    action_returns = {}
    for period in return_periods:
        rows = [_action_return_row(a, period, _rng(seed, _STREAM_ACTION_TEXT, n, period.index))
                for n, a in enumerate(actions)]
        action_returns[period.label] = _text_frame(
            rows, list(_ACTION_RETURN_COLUMNS), dates=("Expected End Date", "Completed Date"))

    register = {
        C.OUTCOMES_SHEET: _outcomes_frame(outcomes),
        C.INDICATORS_SHEET: _indicators_frame(indicators),
        C.TARGETS_SHEET: _targets_frame(target_rows),
        C.ACTIONS_SHEET: _text_frame(
            [{"Action ID": a.id, "Action": a.text, "Outcome ID": a.outcome_id, "Service": a.service,
              "Owner": a.owner, "Start Date": a.start, "End Date": a.end} for a in actions],
            list(C.REGISTER_ACTION_COLUMNS), dates=("Start Date", "End Date")),
    }
    return DemoCouncil(
        name=COUNCIL_NAME,
        register_sheets=register,
        history=_text_frame(history_rows, list(C.HISTORY_COLUMNS), numbers=("Actual",)),
        comparators=_text_frame(comparator_rows, list(COMPARATOR_COLUMNS), numbers=("Value",)),
        return_periods=return_periods,
        indicator_returns={
            p.label: _text_frame(returns[p], list(_INDICATOR_RETURN_COLUMNS),
                                 numbers=("Actual", "Forecast Year-End"))
            for p in return_periods
        },
        action_returns=action_returns,
        latest_period=latest,
        scale=scale,
        seed=seed,
        planned_status=planned,
    )


COMPARATOR_COLUMNS = ("Comparator Metric", "Year", "Authority", "Value")
_INDICATOR_RETURN_COLUMNS = ("Indicator ID", "Service", "Actual", "Forecast Year-End", "Commentary",
                             "Corrective Action", "Data Note")
_ACTION_RETURN_COLUMNS = ("Action ID", "Service", "Progress", "Expected End Date", "Completed Date",
                          "Commentary", "Reason For Delay", "Corrective Action")


def _outcomes_frame(outcomes: tuple[_Outcome, ...]) -> pd.DataFrame:
    ids = _outcome_ids(outcomes)
    rows = [{"Outcome ID": ids[o.code], "Outcome": o.name, "Cabinet Member": o.cabinet_member,
             "Lead Director": o.lead_director} for o in outcomes]
    return _text_frame(rows, list(C.REGISTER_OUTCOME_COLUMNS))


def _indicators_frame(indicators: list[_Indicator]) -> pd.DataFrame:
    rows = []
    for ind in indicators:
        spec = ind.spec
        rows.append({
            "Indicator ID": ind.id, "Indicator": spec.name, "Outcome ID": ind.outcome_id,
            "Service": ind.service, "Owner": ind.owner, "Escalation Owner": ind.escalation_owner,
            "Definition": _definition(spec), "Unit": spec.unit, "Decimals": _decimals(spec),
            "Polarity": spec.polarity, "Type": spec.type, "Frequency": spec.frequency,
            "Cumulative": _yes_no(spec.cumulative), "KPI": _yes_no(spec.kpi),
            "Headline": _yes_no(ind.headline), "Tolerance": ind.tolerance[0],
            "Comparator Metric": ind.comparator,
        })
    frame = _text_frame(rows, list(C.REGISTER_INDICATOR_COLUMNS))
    frame["Decimals"] = pd.Series([r["Decimals"] for r in rows], dtype="int64")
    return frame


def _targets_frame(rows: list[dict]) -> pd.DataFrame:
    """Targets: Annual Target holds numbers, or the word Baseline where a year sets one."""
    quarters = [f"Q{q} Target" for q in (1, 2, 3, 4)]
    frame = _text_frame(rows, list(C.REGISTER_TARGET_COLUMNS), numbers=quarters + ["Annual Target"])
    frame["Annual Target"] = pd.Series([r["Annual Target"] for r in rows], dtype="object")
    return frame


# --- the edge: writing the inputs ---------------------------------------------------------------------------
def write_demo_inputs(council: DemoCouncil, workbook_dir: "Path | str") -> dict[str, Path]:
    """Write the register, history and comparators into ``workbook_dir/inputs``.

    Returns the paths by name (``register``, ``history``, ``comparators``).
    The returns are not written here: they are filled from templates by
    ``pmflib.demo_returns`` so they look like what services send back.
    """
    from pmflib.inputs.register import write_history, write_register

    inputs = Path(workbook_dir) / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    paths = {
        "register": write_register(council.register_sheets, inputs / "register.xlsx"),
        "history": write_history(council.history, inputs / "history.csv"),
    }
    comparators = inputs / "comparators.csv"
    council.comparators.to_csv(comparators, index=False)
    paths["comparators"] = comparators
    reports = Path(workbook_dir) / "params" / "reports.yml"
    if reports.exists():
        text = reports.read_text(encoding="utf-8")
        if "\ncommittees: []" in text:  # the shipped default: give the demo its three committees
            block = committees_yaml(council.register_sheets["Outcomes"])
            reports.write_text(text.replace("\ncommittees: []", "\n" + block.rstrip("\n")), encoding="utf-8")
    return paths


#: The demo's scrutiny committees (seed 003 §9.2: corporate and resources,
#: people, places) and the outcome plans (by code) each covers.
DEMO_COMMITTEES = (
    ("Corporate and Resources Scrutiny Committee", ("COU", "CLI")),
    ("People Scrutiny Committee", ("CYP", "ASC", "HEA")),
    ("Places Scrutiny Committee", ("ECO", "SAF", "ENV", "HOM", "CON")),
)


def committees_yaml(outcomes: pd.DataFrame) -> str:
    """The demo's ``committees:`` block for params/reports.yml, by the register's Outcome IDs.

    A committee none of whose outcomes this scale has is left out.
    """
    by_name = {o.name: o.code for o in OUTCOMES}
    ids_by_code = {by_name.get(str(r["Outcome"])): str(r["Outcome ID"]) for r in outcomes.to_dict("records")}
    lines = ["committees:"]
    for name, codes in DEMO_COMMITTEES:
        ids = [ids_by_code[c] for c in codes if c in ids_by_code]
        if ids:
            lines.append(f"  - name: {name}")
            lines.append(f"    outcomes: [{', '.join(ids)}]")
    return "\n".join(lines) + "\n" if len(lines) > 1 else "committees: []\n"
