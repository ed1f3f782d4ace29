"""Enquiries from record pages: the form, where each one goes, the rate
limit, and the email that tells its recipient."""

import hashlib
import logging
import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from directory.models import Enquiry

log = logging.getLogger(__name__)

# Control characters other than tab and line breaks: no message needs them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RATE_WINDOW = 3600  # seconds


# Django's own message for a NUL reads, in its Chinese catalogue, as if the
# text were empty ("不允许是用空字符串"); this one says what to do.
NO_NUL = {
    "null_characters_not_allowed": _(
        "This text holds an invisible NUL character (often pasted from a document): "
        "remove it and send again."
    )
}


class EnquiryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Enquiry.Kind.choices,
        initial=Enquiry.Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=200, error_messages=NO_NUL)
    email = forms.EmailField(label=_("Your email"), max_length=254)
    company = forms.CharField(
        label=_("Company"), max_length=200, required=False, error_messages=NO_NUL
    )
    message = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea, error_messages=NO_NUL
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted by email about this enquiry."),
        error_messages={"required": _("We can only answer if you agree to be contacted.")},
    )
    # Left empty by people; filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        for name in ("name", "company", "message"):
            if data.get(name):
                data[name] = CONTROL.sub("", data[name]).strip()
        if "message" in data and not data["message"]:
            self.add_error("message", self.fields["message"].error_messages["required"])
        return data

    def is_robot(self):
        return bool(self.cleaned_data.get("website"))


def recipient(record):
    """The owning organisation's staff contact, else the directory's inbox."""
    owner = getattr(record, "owning_organisation", None)
    owner = owner() if callable(owner) else None
    return (owner and owner.staff_contact_email) or settings.DIRECTORY_INBOX


def over_rate_limit(email):
    """Counts one more enquiry from this address in the shared cache (every
    app server sees it); True once it has sent its hourly allowance. An
    unreachable cache lets the enquiry through (and logs it)."""
    key = "directory:enquiry-rate:" + hashlib.sha256(email.lower().encode()).hexdigest()
    try:
        cache.add(key, 0, RATE_WINDOW)
        sent = cache.incr(key)
    except Exception:  # noqa: BLE001 (any cache failure)
        log.warning("Enquiry rate limit not checked: the cache is unavailable", exc_info=True)
        return False
    return sent > settings.ENQUIRY_RATE_LIMIT


def record_enquiry(record, data, admin_url):
    """Stores the enquiry (one row, or none) and emails its recipient."""
    with transaction.atomic():
        enquiry = Enquiry.objects.create(
            record=record,
            record_name=str(record)[:300],
            kind=data["kind"],
            name=data["name"],
            email=data["email"],
            company=data.get("company", ""),
            message=data["message"],
            consent=data["consent"],
            routed_to=recipient(record),
        )
    body = "\n".join(
        [
            f"{enquiry.get_kind_display()}: {enquiry.record_name}",
            f"From: {enquiry.name} <{enquiry.email}>",
            f"Company: {enquiry.company}" if enquiry.company else "",
            "",
            enquiry.message,
            "",
            f"Answer it and mark it answered: {admin_url(enquiry)}",
        ]
    )
    try:
        EmailMessage(
            subject=f"[Directory] {enquiry.get_kind_display()}: {enquiry.record_name}"[:200],
            body=body,
            to=[enquiry.routed_to],
            reply_to=[enquiry.email],
        ).send()
    except Exception:  # noqa: BLE001 (the row is kept; staff see it in the admin)
        log.exception("Enquiry %s stored but its email could not be sent", enquiry.pk)
    return enquiry
