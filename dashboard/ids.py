"""Component ids, in one place so pages, callbacks and tests agree on them."""

NAVBAR = "navbar"
PAGE_ALERT = "page-alert"

# Admin
ADMIN_TABS = "admin-tabs"
ADMIN_NEW_USERNAME = "admin-new-username"
ADMIN_NEW_ROLE = "admin-new-role"
ADMIN_NEW_MEMBER = "admin-new-member"
ADMIN_NEW_PASSWORD = "admin-new-password"
ADMIN_NEW_IS_ADMIN = "admin-new-is-admin"
ADMIN_ADD_USER = "admin-add-user"
ADMIN_USER = "admin-user"
ADMIN_DEACTIVATE = "admin-deactivate"
ADMIN_ACTIVATE = "admin-activate"
ADMIN_UNLOCK = "admin-unlock"
ADMIN_USERS_ALERT = "admin-users-alert"
ADMIN_TOKEN_USER = "admin-token-user"
ADMIN_TOKEN_SCOPES = "admin-token-scopes"
ADMIN_TOKEN_DAYS = "admin-token-days"
ADMIN_TOKEN_LABEL = "admin-token-label"
ADMIN_CREATE_TOKEN = "admin-create-token"
ADMIN_REVOKE_ID = "admin-revoke-id"
ADMIN_REVOKE = "admin-revoke"
ADMIN_TOKENS_ALERT = "admin-tokens-alert"
ADMIN_NEW_TOKEN = "admin-new-token"
ADMIN_AUDIT_ENTITY = "admin-audit-entity"
ADMIN_AUDIT_ACTOR = "admin-audit-actor"
ADMIN_AUDIT_SINCE = "admin-audit-since"

# Upload page
UPLOAD_MEMBER = "upload-member"
UPLOAD_FILE = "upload-file"
UPLOAD_FILENAME = "upload-filename"
UPLOAD_ENCODING = "upload-encoding"
UPLOAD_HEADER_ROW = "upload-header-row"
UPLOAD_PERIOD_FORMAT = "upload-period-format"
UPLOAD_SCALE = "upload-scale"
UPLOAD_IGNORE_UNKNOWN = "upload-ignore-unknown"
UPLOAD_TEMPLATE = "upload-template"
UPLOAD_MAP_TYPE = "upload-map"  #: pattern-matching: {"type": UPLOAD_MAP_TYPE, "field": "value"}
UPLOAD_CHECK = "upload-check"
UPLOAD_SUMMARY = "upload-summary"
UPLOAD_PREVIEW = "upload-preview"
UPLOAD_ISSUES = "upload-issues"
UPLOAD_APPLY = "upload-apply"
UPLOAD_RESULT = "upload-result"
UPLOAD_HISTORY = "upload-history"
UPLOAD_TEMPLATE_NAME = "upload-template-name"
UPLOAD_TEMPLATE_SAVE = "upload-template-save"
UPLOAD_TEMPLATE_RESULT = "upload-template-result"

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

# Background jobs panel (on every page that starts jobs)
JOB_TICKET = "job-ticket"  #: store: {"job", "ticket"} of a job this page started; runs it
JOB_CURRENT = "job-current"  #: store: {"job"} the panel follows (started here or still active)
JOB_RESULT = "job-result"  #: store: written by the background run when it ends
JOB_DONE = "job-done"  #: store: {"job"} whose outcome the page shows
JOB_KINDS = "job-kinds"  #: store: the job kinds this page lists
JOB_PROGRESS = "job-progress"
JOB_STATUS = "job-status"
JOB_CANCEL = "job-cancel"
JOB_POLL = "job-poll"
JOB_LIST = "job-list"
