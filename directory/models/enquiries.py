"""What readers send about a record, and what staff confirm of one."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.base import optional_link


class Enquiry(models.Model):
    """A question about a record, or a correction to it, sent from its page;
    routed to the owning organisation's staff contact, else the directory's
    inbox (settings.DIRECTORY_INBOX)."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        CORRECTION = "correction", _("Correction")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # The record's name when it was sent, should the record go.
    record_name = models.CharField(_("record"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    company = models.CharField(_("company"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    consent = models.BooleanField(_("agreed to be contacted"), default=False)
    routed_to = models.EmailField(_("sent to"), max_length=254)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    answered_by = optional_link(settings.AUTH_USER_MODEL, _("answered by"), "+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="enquiry_record")]

    def __str__(self):
        return f"{self.record_name}: {self.name}"


class StaffConfirmation(models.Model):
    """A fact of a record confirmed by staff directly with someone (the
    organisation, say) rather than read in an article: a source of its own,
    which lets a record without a checked citation be published."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_with = models.CharField(
        _("confirmed with"), max_length=300, help_text=_("Who confirmed it, and for whom.")
    )
    confirmed_on = models.DateField(_("confirmed on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-confirmed_on", "-id"]
        verbose_name = _("staff confirmation")
        verbose_name_plural = _("staff confirmations")
        indexes = [models.Index(fields=["content_type", "object_id"], name="confirmation_record")]

    def __str__(self):
        return f"{self.confirmed_with} ({self.confirmed_on})"
