"""The demo council's catalogue: its scales, services, people, outcomes and the
indicators it measures, as data.

Kept apart from the generator so a reader can see (and a council adapting the
demo can change) *what* Northmere measures without reading *how* its figures
are drawn. Nothing here computes anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pmflib.core import constants as C
from pmflib.core.periods import Period

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
