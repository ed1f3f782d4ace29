"""Changelist columns that say a lot in little width."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


@admin.display(description=_("publication status"))
def publication_status(record):
    """The status as a label: its word, with a colour per status to scan by
    (static/css/admin.css), never the colour alone."""
    return format_html(
        '<span class="status-label status-{}">{}</span>',
        record.status,
        record.get_status_display(),
    )
