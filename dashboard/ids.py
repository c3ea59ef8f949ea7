"""Component ids, in one place so pages, callbacks and tests agree on them."""

NAVBAR = "navbar"
PAGE_ALERT = "page-alert"

OVERVIEW_MEMBERS = "overview-members"

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
