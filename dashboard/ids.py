"""Component ids, in one place so pages, callbacks and tests agree on them."""

NAVBAR = "navbar"
PAGE_ALERT = "page-alert"
