"""Every label and threshold the status rules use, in one place.

The labels are published: they appear in reports, open data and councils'
own framework documents, so they are spelled exactly as SPEC.md (§3–§8, §10)
spells them. Change a rule here, never by a literal elsewhere.
"""

from __future__ import annotations

# --- Register vocabulary (SPEC §3) ------------------------------------------
HIGHER_IS_BETTER = "Higher is better"
LOWER_IS_BETTER = "Lower is better"
NEUTRAL = "Neutral"
POLARITIES = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL)

TYPE_OUTCOME = "Outcome"
TYPE_OUTPUT = "Output"
TYPE_INPUT = "Input"
TYPE_PERCEPTION = "Perception"
INDICATOR_TYPES = (TYPE_OUTCOME, TYPE_OUTPUT, TYPE_INPUT, TYPE_PERCEPTION)

MONTHLY = "Monthly"
QUARTERLY = "Quarterly"
HALF_YEARLY = "Half-yearly"
ANNUAL = "Annual"
FREQUENCIES = (MONTHLY, QUARTERLY, HALF_YEARLY, ANNUAL)

#: The quarters in which a measure of each frequency reports a value.
REPORTING_QUARTERS = {
    MONTHLY: (1, 2, 3, 4),
    QUARTERLY: (1, 2, 3, 4),
    HALF_YEARLY: (2, 4),
    ANNUAL: (4,),
}

KNOWN_UNITS = ("%", "number", "£", "days", "rate")
YES_NO = ("Y", "N")

DEFAULT_DECIMALS = 1
#: The amber band when the register leaves Tolerance blank: 5% of the target.
DEFAULT_TOLERANCE = "5%"
DEFAULT_TOLERANCE_FRACTION = 0.05

#: Relative slack for comparing gaps with tolerances, so that 95 against a
#: target of 100 is Amber even though (95 - 100) / 100 is not exactly -0.05
#: in binary floating point for every pair of numbers.
FLOAT_SLACK = 1e-9
#: Gaps (and tolerances) are rounded to this many decimal places before they
#: are compared, so 95 against 100 and 0.95 against 1.0 are both exactly 5%
#: short (Amber) whatever binary floating point makes of the division.
GAP_DECIMALS = 9

#: Y/N flags in the register (Cumulative, KPI, Headline), any case; blank is N.
YES_WORDS = ("y", "yes")
NO_WORDS = ("n", "no")
#: What people type for "no value" (SPEC §4: n/a, -, blank), any case.
NO_VALUE_WORDS = ("n/a", "na", "-", "\u2013", "\u2014")
#: Display precision allowed in the register's Decimals column.
MAX_DECIMALS = 6

# --- Register workbook layout (SPEC §3) ----------------------------------------
OUTCOMES_SHEET = "Outcomes"
INDICATORS_SHEET = "Indicators"
TARGETS_SHEET = "Targets"
ACTIONS_SHEET = "Actions"
REGISTER_SHEETS = (OUTCOMES_SHEET, INDICATORS_SHEET, TARGETS_SHEET, ACTIONS_SHEET)
REGISTER_OUTCOME_COLUMNS = ("Outcome ID", "Outcome", "Cabinet Member", "Lead Director")
REGISTER_INDICATOR_COLUMNS = (
    "Indicator ID", "Indicator", "Outcome ID", "Service", "Owner",
    "Escalation Owner", "Definition", "Unit", "Decimals", "Polarity", "Type",
    "Frequency", "Cumulative", "KPI", "Headline", "Tolerance", "Comparator Metric",
)
REGISTER_TARGET_COLUMNS = (
    "Indicator ID", "Year", "Annual Target", "Q1 Target", "Q2 Target",
    "Q3 Target", "Q4 Target",
)
REGISTER_ACTION_COLUMNS = (
    "Action ID", "Action", "Outcome ID", "Service", "Owner", "Start Date", "End Date",
)
#: The pre-adoption history long table (SPEC §3), .csv or .xlsx.
HISTORY_COLUMNS = ("Indicator ID", "Period", "Actual")
HISTORY_SHEET = "History"

# --- Indicator status (SPEC §5) ---------------------------------------------
GREEN = "Green"
AMBER = "Amber"
RED = "Red"
MEASURED = "Measured"
NOT_REPORTED = "Not reported"
STATUSES = (GREEN, AMBER, RED, MEASURED, NOT_REPORTED)
#: Short form of Measured (SPEC §5: "shown as `M`"); reports spell it out for screen readers.
MEASURED_SHORT = "M"

# Status reasons: the plain-English "why" printed beside every status.
REASON_MET = "Target met"
REASON_ON_TRACK = "Forecast year-end meets the annual target"
REASON_WITHIN_TOLERANCE = "Target missed by no more than the tolerance ({tolerance})"
REASON_BEYOND_TOLERANCE = "Target missed by more than the tolerance ({tolerance})"
REASON_ZERO_TARGET_MISSED = "Target of 0 missed (no amber band for a target of 0)"
REASON_OUT_OF_PERIOD = "{frequency} measure: reported in {quarters} only"
REASON_NO_SURVEY_RESULT = "Perception/survey measure with no result this period"
REASON_NO_TARGET = "No target set for {year}"
REASON_NO_BASELINE = "No baseline yet: the target is to be set once a baseline exists"
REASON_NEUTRAL = "Neutral polarity: no better or worse direction to judge against"
REASON_NOT_REPORTED = "No actual reported although one was due"

#: Text a register may hold instead of a numeric target, meaning the year is
#: being used to establish a baseline (SPEC §5 "no baseline yet").
BASELINE_TARGET_WORDS = ("baseline", "tbc", "to be set")

# --- What the status was assessed on ------------------------------------------
BASIS_FORECAST = "Forecast Year-End against annual target"
BASIS_ACTUAL_QUARTER = "Actual against {quarter} profiled target"
BASIS_ACTUAL_ANNUAL = "Actual against annual target"

# --- Direction of travel (SPEC §6) ----------------------------------------------
IMPROVING = "Improving"
MAINTAINED = "Maintained"
DECLINING = "Declining"
DIRECTIONS = (IMPROVING, MAINTAINED, DECLINING, MEASURED)

# --- Action status (SPEC §7) -----------------------------------------------------
PROGRESS_NOT_STARTED = "Not started"
PROGRESS_IN_PROGRESS = "In progress"
PROGRESS_COMPLETED = "Completed"
PROGRESS_NOT_VIABLE = "No longer viable"
PROGRESS_VALUES = (
    PROGRESS_NOT_STARTED,
    PROGRESS_IN_PROGRESS,
    PROGRESS_COMPLETED,
    PROGRESS_NOT_VIABLE,
)

DELIVERED = "Delivered"
NO_LONGER_VIABLE = "No longer viable"
SCHEDULED = "Scheduled for future quarters"
SLIPPED_LESS = "Slipped (less than 3 months)"
SLIPPED_MORE = "Slipped (more than 3 months)"
ON_TARGET = "On target"
ACTION_STATUSES = (
    DELIVERED,
    ON_TARGET,
    SLIPPED_LESS,
    SLIPPED_MORE,
    SCHEDULED,
    NO_LONGER_VIABLE,
)
#: Slippage up to and including this many calendar months is "less than 3 months".
SLIPPAGE_THRESHOLD_MONTHS = 3
#: Slippage is published in calendar months to this many decimal places.
SLIPPAGE_DECIMALS = 2

# --- Exceptions (SPEC §8) ----------------------------------------------------------
#: Quarters at which every Red KPI needs commentary and corrective action.
RED_KPI_COMMENTARY_QUARTERS = (2, 4)
#: Quarters at which the exception report covers measures Red last quarter.
EXCEPTION_REPORT_QUARTERS = (1, 3)
YEAR_END_QUARTER = 4
MID_YEAR_QUARTER = 2
#: What an owner has not supplied, named in the chasing lists; joined as
#: "Commentary and corrective action".
MISSING_COMMENTARY = "Commentary"
MISSING_CORRECTIVE_ACTION = "Corrective action"
MISSING_REASON_FOR_DELAY = "Reason for delay"
#: How a measure that was Red last quarter has moved: "Red → Amber".
MOVEMENT = "{previous} → {current}"

# --- Status outputs (docs/DESIGN.md "status outputs") -------------------------
ASSESSED_INDICATOR_COLUMNS = (
    "Indicator ID", "Period", "Due", "Actual", "Forecast Year-End",
    "Assessed Value", "Target", "Basis", "Gap", "Status", "Status Reason",
    "Direction", "Compared With", "Comparison Value", "Commentary",
    "Corrective Action", "Data Note",
)
ASSESSED_ACTION_COLUMNS = (
    "Action ID", "Period", "Progress", "Start Date", "Baseline End Date",
    "Expected End Date", "Completed Date", "Status", "Slippage Months",
    "Slippage Since Last Quarter", "Commentary", "Reason For Delay",
    "Corrective Action",
)
RED_KPI_EXCEPTION_COLUMNS = (
    "Indicator ID", "Indicator", "Service", "Owner", "Escalation Owner", "Missing",
)
EXCEPTION_MEASURE_COLUMNS = (
    "Indicator ID", "Indicator", "KPI", "Service", "Owner", "Escalation Owner",
    "Previous Status", "Current Status", "Direction", "Movement", "Actual",
    "Target", "Commentary", "Corrective Action",
)
SLIPPED_ACTION_EXCEPTION_COLUMNS = ("Action ID", "Action", "Service", "Owner", "Missing")
NOT_REPORTED_KPI_COLUMNS = ("Indicator ID", "Indicator", "Service", "Owner", "Escalation Owner")

# --- Open data (SPEC §10) -------------------------------------------------------------
INDICATOR_COLUMNS = (
    "Period", "Indicator ID", "Indicator", "Outcome ID", "Outcome", "Service",
    "Type", "KPI", "Unit", "Polarity", "Actual", "Forecast Year-End", "Target",
    "Status", "Status Reason", "Direction", "Compared With", "Comparison Value",
    "Commentary", "Corrective Action",
    "Source", "Source Sheet", "Source Cell", "Source SHA-256", "Approved By",
)
ACTION_COLUMNS = (
    "Period", "Action ID", "Action", "Outcome ID", "Service", "Owner",
    "Start Date", "Baseline End Date", "Expected End Date", "Completed Date",
    "Status", "Slippage Months", "Commentary",
)
DATA_QUALITY_COLUMNS = ("File", "Sheet", "Cell", "ID", "Problem", "Value")
OPEN_DATA_LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

# --- Templates: the service return workbook (SPEC §4) ---------------------------
#: Sheet names of a return, in the order the template writes them. The reader
#: finds sheets by these names, so the template locks the workbook structure.
RETURN_INSTRUCTIONS_SHEET = "Instructions"
RETURN_INDICATORS_SHEET = "Indicators"
RETURN_ACTIONS_SHEET = "Actions"
RETURN_SIGNOFF_SHEET = "Sign-off"
#: Return columns: the prefilled (locked, grey) ones come first, then the inputs.
RETURN_INDICATOR_PREFILLED = ("Indicator ID", "Indicator", "Unit", "Polarity", "Target", "Previous Value")
RETURN_INDICATOR_INPUTS = ("Actual", "Forecast Year-End", "Commentary", "Corrective Action", "Data Note")
RETURN_INDICATOR_HEADERS = RETURN_INDICATOR_PREFILLED + RETURN_INDICATOR_INPUTS
RETURN_ACTION_PREFILLED = ("Action ID", "Action", "Baseline End Date", "Previous Status")
RETURN_ACTION_INPUTS = (
    "Progress", "Expected End Date", "Completed Date", "Commentary", "Reason For Delay",
    "Corrective Action",
)
RETURN_ACTION_HEADERS = RETURN_ACTION_PREFILLED + RETURN_ACTION_INPUTS
#: Sign-off is a two-column form: these labels in column A, values in column B.
RETURN_SIGNOFF_PREFILLED = ("Service", "Period")
RETURN_SIGNOFF_INPUTS = ("Prepared By", "Approved By", "Date Approved")
RETURN_SIGNOFF_LABELS = RETURN_SIGNOFF_PREFILLED + RETURN_SIGNOFF_INPUTS
#: The readers (register, history, returns) look for a table's header row in
#: this many rows from the top.
HEADER_SEARCH_ROWS = 10
#: Where the template puts the header row (and the first Sign-off label):
#: below a two-line title and a one-line hint, well inside the search rows.
TEMPLATE_HEADER_ROW = 4
#: Title line 2 of every template sheet, so the service and period show everywhere.
TEMPLATE_TITLE = "Service return — {service} — {period}"
#: Sheets are protected with no password (so the performance team can lift it
#: from Review > Unprotect Sheet); protection is a guard against slips, not security.
TEMPLATE_PASSWORD = ""
#: Previous statuses after which an action is finished and left off the return.
FINISHED_ACTION_STATUSES = (DELIVERED, NO_LONGER_VIABLE)
#: How dates show in a return; the reader also takes typed text in UK order.
RETURN_DATE_FORMAT = "dd/mm/yyyy"

#: Kinds of imperfection the demo plants in its latest returns (pmflib.demo_returns),
#: each recorded in its manifest so tests can check the data-quality report finds it.
PLANTED_LATE = "late return"
PLANTED_UNAPPROVED = "unapproved return"
PLANTED_MISSING = "missing return"
PLANTED_RED_NO_COMMENTARY = "red KPI without commentary"
PLANTED_SLIPPED_NO_REASON = "slipped action without reason"
PLANTED_NOT_A_NUMBER = "not a number"
PLANTED_NOT_REPORTED = "not reported"
PLANTED_ACCEPTED = "accepted"
PLANTED_UNKNOWN_ID = "unknown ID"
PLANTED_DUPLICATE = "duplicate row"
PLANTED_KINDS = (
    PLANTED_LATE, PLANTED_UNAPPROVED, PLANTED_MISSING, PLANTED_RED_NO_COMMENTARY,
    PLANTED_SLIPPED_NO_REASON, PLANTED_NOT_A_NUMBER, PLANTED_NOT_REPORTED,
    PLANTED_ACCEPTED, PLANTED_UNKNOWN_ID, PLANTED_DUPLICATE,
)
PLANTED_MANIFEST_COLUMNS = (
    "File", "Sheet", "Cell", "ID", "Kind", "Expected Problem", "Value", "Expected Value",
)

# --- SPC (Making Data Count) ----------------------------------------------------
# XmR charts as NHS England's Making Data Count and NHS-R's NHSRplotthedots draw
# them. The variation and assurance labels are published in open data, so they
# are spelled exactly as here and never built from pieces elsewhere.

#: Process limits sit this many mean moving ranges from the mean (3 sigma:
#: 3 / d2 with d2 = 1.128 for ranges of two points).
SPC_LIMIT_FACTOR = 2.66
#: "Near" limits sit at this fraction of the process-limit distance (2 sigma).
SPC_NEAR_LIMIT_FRACTION = 2 / 3
#: A moving range at least this many mean moving ranges wide is screened out
#: before the mean moving range is recomputed once (D4 for ranges of two).
SPC_MR_SCREEN_FACTOR = 3.267
#: Points in a run on one side of the mean (shift) or in one direction (trend).
SPC_RUN_LENGTH = 7
#: Two-in-three rule: this many of ``SPC_NEAR_WINDOW`` consecutive points near a limit.
SPC_NEAR_COUNT = 2
SPC_NEAR_WINDOW = 3
#: Fewer points than this: limits are trial limits and no icons are shown.
SPC_MIN_POINTS = 12

# Point types and the variation icon (taken from the latest point).
SPC_COMMON_CAUSE = "Common cause"
SPC_IMPROVEMENT = "Special cause improvement"
SPC_CONCERN = "Special cause concern"
SPC_NEUTRAL_HIGH = "Special cause neutral high"
SPC_NEUTRAL_LOW = "Special cause neutral low"
SPC_NOT_ENOUGH_DATA = "Not enough data"
SPC_POINT_TYPES = (
    SPC_COMMON_CAUSE, SPC_IMPROVEMENT, SPC_CONCERN, SPC_NEUTRAL_HIGH, SPC_NEUTRAL_LOW,
)
SPC_VARIATIONS = SPC_POINT_TYPES + (SPC_NOT_ENOUGH_DATA,)

# Assurance icon: the target against the latest process limits.
SPC_CONSISTENTLY_PASS = "Consistently pass"
SPC_HIT_AND_MISS = "Hit and miss"
SPC_CONSISTENTLY_FAIL = "Consistently fail"
SPC_NO_ASSURANCE = ""
SPC_ASSURANCES = (
    SPC_CONSISTENTLY_PASS, SPC_HIT_AND_MISS, SPC_CONSISTENTLY_FAIL, SPC_NO_ASSURANCE,
)

# Special-cause rules, in precedence order: a point caught by several rules is
# labelled with the first.
SPC_RULE_BEYOND_LIMIT = "Beyond limit"
SPC_RULE_TREND = "Trend"
SPC_RULE_TWO_IN_THREE = "Two in three near limit"
SPC_RULE_SHIFT = "Shift"
SPC_RULES = (SPC_RULE_BEYOND_LIMIT, SPC_RULE_TREND, SPC_RULE_TWO_IN_THREE, SPC_RULE_SHIFT)

#: Accessible text for each icon (alt text, screen readers, tables).
SPC_VARIATION_ICON_LABELS = {
    SPC_COMMON_CAUSE: "Common cause — no significant change",
    SPC_IMPROVEMENT: "Special cause — improvement",
    SPC_CONCERN: "Special cause — concern",
    SPC_NEUTRAL_HIGH: "Special cause — unusually high (neither improvement nor concern)",
    SPC_NEUTRAL_LOW: "Special cause — unusually low (neither improvement nor concern)",
    SPC_NOT_ENOUGH_DATA: f"Not enough data for SPC (fewer than {SPC_MIN_POINTS} points)",
}
SPC_ASSURANCE_ICON_LABELS = {
    SPC_CONSISTENTLY_PASS: "Target consistently met",
    SPC_HIT_AND_MISS: "Hit and miss: target sometimes met",
    SPC_CONSISTENTLY_FAIL: "Target consistently not met",
    SPC_NO_ASSURANCE: "",
}

# The indicator-level table summarised by spc.spc_summary_matrix.
SPC_VARIATION_COLUMN = "SPC Variation"
SPC_ASSURANCE_COLUMN = "SPC Assurance"
#: Column heading for indicators with no assurance icon (no target or Neutral).
SPC_NO_ASSURANCE_HEADING = "No assurance"

# --- Ledger (docs/DESIGN.md "ledger.py") -------------------------------------------
#: What recording a return did: the first for its service and period, a
#: re-submission that replaced an earlier one, or the same file again (nothing changed).
SUBMISSION_NEW = "new"
SUBMISSION_SUPERSEDES = "supersedes"
SUBMISSION_DUPLICATE = "duplicate"
#: ``Source`` of an actual that came from the pre-adoption history table (SPEC §3).
HISTORY_SOURCE = "history"
#: What a return hands the ledger: the returns reader's tables (``Sheet`` may be
#: left out; it then defaults to the return's Indicators / Actions sheet).
LEDGER_INDICATOR_VALUE_COLUMNS = (
    "Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action",
    "Data Note", "Sheet", "Actual Cell", "Forecast Cell", "Row",
)
LEDGER_ACTION_UPDATE_COLUMNS = (
    "Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
    "Reason For Delay", "Corrective Action", "Sheet", "Row",
)
#: What the ledger hands back: every known actual with its provenance ...
ACTUALS_COLUMNS = (
    "Indicator ID", "Period", "Actual", "Forecast Year-End", "Source", "Sheet", "Cell",
    "Submission ID",
)
#: ... one period's current returns with where each row came from ...
LEDGER_INDICATOR_RETURN_COLUMNS = (
    "Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action",
    "Data Note", "Service", "File", "Sheet", "Actual Cell", "Forecast Cell", "Row",
    "Submission ID",
)
LEDGER_ACTION_RETURN_COLUMNS = (
    "Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
    "Reason For Delay", "Corrective Action", "Service", "File", "Sheet", "Row",
    "Submission ID",
)
#: ... every file recorded ...
SUBMISSION_COLUMNS = (
    "Submission ID", "File", "SHA-256", "Service", "Period", "Received At", "Recorded At",
    "Prepared By", "Approved By", "Date Approved", "Late", "Superseded By", "Archive Path",
    "Indicators", "Actions",
)
#: ... and the audit trail of what a re-submission changed.
CHANGE_KIND_INDICATOR = "Indicator"
CHANGE_KIND_ACTION = "Action"
CHANGE_COLUMNS = (
    "Service", "Kind", "ID", "Field", "Old Value", "New Value", "Old File", "New File",
    "Changed At", "Approved By",
)

# --- Narrative (SPEC §9, pmflib.narrative) -----------------------------------------
# An analyst's narrative for one report and period lives in
# inputs/narrative/<period slug>/<report key>.md, one section per report section.
NARRATIVE_SUFFIX = ".md"
#: The line that starts a section: "## @summary One-minute summary".
NARRATIVE_SECTION_PREFIX = "## @"
#: A section is a generated draft while this line is in it: re-running the cycle
#: refreshes a draft, and never touches a section once the line is deleted.
NARRATIVE_DRAFT_MARKER = "<!-- draft: generated from the data; replace this text and delete this line -->"
#: Shown (as text, not colour alone) above a draft section in a report.
NARRATIVE_DRAFT_BANNER = "Draft — generated from the data; not yet reviewed by an analyst"
#: What a placeholder quotes when the data has no value (a blank actual, no target).
NARRATIVE_NO_VALUE = "not available"
#: What a list placeholder (e.g. kpis_moved_to_red) quotes when the list is empty.
NARRATIVE_NONE = "none"
NARRATIVE_LIST_SEPARATOR = ", "
#: Shares such as kpi_green_percent are quoted to this many decimal places.
NARRATIVE_PERCENT_DECIMALS = 0

# Section keys a draft is generated for, and the titles they start with.
NARRATIVE_SUMMARY = "summary"
NARRATIVE_EXCEPTIONS = "exceptions"
NARRATIVE_ACHIEVEMENTS = "achievements"
NARRATIVE_CASE_STUDIES = "case-studies"
NARRATIVE_BENCHMARKING = "benchmarking"
#: One section per outcome plan: "outcome-O1".
NARRATIVE_OUTCOME_PREFIX = "outcome-"
NARRATIVE_SECTION_TITLES = {
    NARRATIVE_SUMMARY: "One-minute summary",
    NARRATIVE_EXCEPTIONS: "Exceptions",
    NARRATIVE_ACHIEVEMENTS: "Achievements",
    NARRATIVE_CASE_STUDIES: "Case studies",
    NARRATIVE_BENCHMARKING: "How we compare with similar councils",
}
NARRATIVE_OUTCOME_TITLE = "{outcome_id}: {outcome}"
#: The accessible name of a narrative section that has no title of its own.
NARRATIVE_DEFAULT_TITLE = "Narrative"
#: Heading level of a section's title in a report (the report's sections are h2);
#: headings typed inside narrative or commentary are pushed down to at least the next level.
NARRATIVE_TITLE_HEADING_LEVEL = 3
NARRATIVE_MIN_HEADING_LEVEL = 4

# Report ids of params/reports.yml whose drafts differ.
NARRATIVE_QUARTERLY = "quarterly"
NARRATIVE_EXCEPTION = "exception"
NARRATIVE_ANNUAL = "annual"
NARRATIVE_DATA_QUALITY = "data-quality"
#: The audience whose drafts spell out jargon ("key performance indicators (KPIs)").
NARRATIVE_PUBLIC_AUDIENCE = "Public"

# Placeholder names: each label's part of a count's name (kpi_green, actions_slipped_more).
NARRATIVE_STATUS_NAMES = {
    GREEN: "green", AMBER: "amber", RED: "red", MEASURED: "measured", NOT_REPORTED: "not_reported",
}
NARRATIVE_DIRECTION_NAMES = {
    IMPROVING: "improving", MAINTAINED: "maintained", DECLINING: "declining", MEASURED: "no_direction",
}
NARRATIVE_ACTION_STATUS_NAMES = {
    DELIVERED: "delivered",
    ON_TARGET: "on_target",
    SLIPPED_LESS: "slipped_less",
    SLIPPED_MORE: "slipped_more",
    SCHEDULED: "scheduled",
    NO_LONGER_VIABLE: "not_viable",
}
#: Per-indicator placeholders: "<name>_<indicator id>" quotes this column
#: (the ID lower-cased, every character other than a-z and 0-9 written as "_").
NARRATIVE_INDICATOR_VALUES = {
    "name": "Indicator",
    "owner": "Owner",
    "actual": "Actual",
    "forecast": "Forecast Year-End",
    "target": "Target",
    "status": "Status",
    "reason": "Status Reason",
    "direction": "Direction",
    "compared_with": "Compared With",
    "comparison": "Comparison Value",
    "previous_actual": "Previous Actual",
    "previous_status": "Previous Status",
}
#: The columns above that are numbers, quoted in the indicator's unit and Decimals.
NARRATIVE_NUMBER_COLUMNS = ("Actual", "Forecast Year-End", "Target", "Comparison Value", "Previous Actual")
#: How a number is written in each known unit; any other unit follows the number ("3.4 per 1,000").
NARRATIVE_UNIT_FORMATS = {
    "%": "{number}%",
    "£": "£{number}",
    "number": "{number}",
    "rate": "{number}",
    "days": "{number} days",
}
NARRATIVE_UNIT_SINGULAR = {"days": "{number} day"}
NARRATIVE_OTHER_UNIT_FORMAT = "{number} {unit}"

# Safe rendering of untrusted text (narrative and owners' commentary).
#: Link schemes a reader may follow; relative and #fragment links are kept too.
NARRATIVE_LINK_SCHEMES = ("http", "https", "mailto")
NARRATIVE_LINK_REL = "noopener noreferrer"
NARRATIVE_HTML_TAGS = (
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
)
NARRATIVE_HTML_ATTRIBUTES = {"a": ("href", "title"), "ol": ("start",)}
#: Table column alignment as a class (style attributes are never allowed).
NARRATIVE_ALIGN_CLASSES = {
    "left": "narrative-align-left", "center": "narrative-align-center", "right": "narrative-align-right",
}

# --- Benchmarking (SPEC §3 comparators, §9 Q2; pmflib.benchmark) ----------------------------------
#: inputs/comparators.csv as the SPEC writes it (headers matched ignoring case and spaces).
COMPARATOR_SPEC_COLUMNS = ("Comparator Metric", "Year", "Authority", "Value")
#: The long format councils and LG Inform publish (e.g. Trafford's corporate-plan data).
COMPARATOR_LONG_COLUMNS = ("area_code", "area_name", "period", "indicator", "measure", "unit", "value")
#: The comparators table read from either format.
COMPARATOR_COLUMNS = ("Comparator Metric", "Year", "Authority", "Area Code", "Value", "Unit", "Is Aggregate")
#: A long-format indicator published in several measures becomes "<indicator> | <measure>".
COMPARATOR_MEASURE_SEPARATOR = " | "
#: Long-format measures whose values are percentages (Unit "%"), any case.
COMPARATOR_PERCENT_MEASURES = ("Percentage", "Percent", "%")
#: ONS area-code prefixes of councils, which are ranked: unitaries, districts,
#: metropolitan and London boroughs, counties; Welsh, Scottish and NI councils.
COUNCIL_CODE_PREFIXES = ("E06", "E07", "E08", "E09", "E10", "W06", "S12", "N09")
#: ONS area-code prefixes of aggregates (countries, regions, London, metropolitan
#: counties, combined authorities): shown as a reference, never ranked. Other
#: codes (wards E05, small areas) are not councils and are left out.
AGGREGATE_CODE_PREFIXES = ("E92", "W92", "S92", "N92", "K02", "K03", "K04", "E12", "E13", "E11", "E47")
#: Authority names that are aggregates in a file without area codes (SPEC format).
AGGREGATE_AUTHORITIES = ("England", "Wales", "Scotland", "Northern Ireland", "England and Wales",
                         "Great Britain", "United Kingdom")
#: Quartile 1 is the best quarter of councils, whichever way "best" points.
QUARTILE_LABELS = {1: "Top quartile", 2: "Second quartile", 3: "Third quartile", 4: "Bottom quartile"}
NOT_RANKED_LABEL = "Not ranked"
#: The Position column of the benchmarking table: "3rd of 16 (top quartile)".
BENCHMARK_POSITION = "{rank} of {of} ({quartile})"
BENCHMARK_ONLY_COUNCIL = "{rank} of {of} (no other council has a value)"
BENCHMARK_NEUTRAL = "Not ranked: neutral measure"
BENCHMARK_NO_OWN_VALUE = "No value for {council} in {year}"
BENCHMARK_NO_OWN_VALUE_ANY_YEAR = "No value for {council}"
BENCHMARK_NO_VALUES = "No comparator values for '{metric}'"
BENCHMARK_NO_VALUES_IN_YEAR = "No comparator values for '{metric}' in {year}"
#: benchmark.benchmark_table: one row per indicator with a Comparator Metric.
BENCHMARK_COLUMNS = (
    "Indicator ID", "Indicator", "Comparator Metric", "Year", "Own Value", "Rank", "Of", "Quartile",
    "Median", "Best", "Worst", "Polarity", "Unit", "Position", "Aggregate", "Aggregate Value",
)
#: Its number columns (float64, NaN when not ranked or no value), as docs/DESIGN.md has numbers.
BENCHMARK_NUMBER_COLUMNS = ("Own Value", "Rank", "Of", "Quartile", "Median", "Best", "Worst", "Aggregate Value")

# --- limits on a return (SECURITY.md; issue 13) -----------------------------------------------------
# Every return is untrusted: it comes by email. These bound what one file may
# cost before it is refused as one problem, so one hostile or broken file
# never stops the others. A real return is a few hundred rows and well under 1 MB.
#: Files inside the workbook's zip (a real .xlsx has about 10 to 20).
MAX_ZIP_ENTRIES = 500
#: All entries of the zip together, once unpacked.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: How much one entry may shrink when zipped; only entries over
#: ``RATIO_CHECK_MIN_BYTES`` are checked (small XML legitimately packs tight).
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
#: Rows and columns of any sheet (column CV is the 100th).
MAX_ROWS = 5000
MAX_COLS = 100
#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32767
#: Characters kept of one commentary, corrective action or note: about two
#: pages of a report; longer text is cut here and reported on its cell.
MAX_COMMENTARY_CHARS = 5000
#: Largest size of a figure (Actual, Forecast): a council's budget is under
#: £10bn, so anything beyond a trillion is a slip (or an attack) and would
#: overflow the decimal arithmetic of the status rules.
MAX_ABS_NUMBER = 1e12
#: Problems kept for one file; the rest are counted in one line.
MAX_PROBLEMS_PER_FILE = 200
#: The worker process reading returns: address space (bytes) and seconds per file.
WORKER_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
WORKER_SECONDS_PER_FILE = 60
