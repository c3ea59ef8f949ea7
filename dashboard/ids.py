"""Component ids, in one place so pages, callbacks and tests agree on them."""

NAVBAR = "navbar"
PAGE_ALERT = "page-alert"

# --------------------------------------------------------------------------- overview
OVERVIEW_PERIOD = "overview-period"  #: the name of the overview's period picker
OVERVIEW_WAVE = "overview-wave"
OVERVIEW_SEGMENT = "overview-segment"
OVERVIEW_TILES = "overview-tiles"
OVERVIEW_NAVIGATE = "overview-navigate"

# --------------------------------------------------------------------------- member scorecard
SCORECARD_PERIOD = "scorecard-period"  #: the name of the scorecard's period picker
SCORECARD_MEMBER = "scorecard-member"
SCORECARD_SUMMARY = "scorecard-summary"
SCORECARD_KPI = "scorecard-kpi"
SCORECARD_KPI_SUMMARY = "scorecard-kpi-summary"
