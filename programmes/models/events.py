from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import (
    Citation,
    DatePrecision,
    Organisation,
    Publishable,
    Region,
    Searchable,
    Sector,
    Translatable,
    translated,
)
from programmes.models.programmes import SEARCH_FIELDS_EXCLUDED_FROM_HISTORY, Programme


def last_day():
    """An event's last day: its end, or its start when it has no end. An event
    is upcoming (or still on) while its last day is today or later: one range
    on one index, where "starts or ends from today" is two."""
    return Coalesce("end_date", "start_date")


class AttendanceQualifier(models.TextChoices):
    ABOUT = "about", _("around")
    AT_LEAST = "at_least", _("more than")
    NEARLY = "nearly", _("nearly")
    EXACT = "exact", _("exactly")


class Event(Publishable, Searchable, Translatable):
    class Kind(models.TextChoices):
        EXPO = "expo", _("Expo or fair")
        FORUM = "forum", _("Forum")
        SEMINAR = "seminar", _("Seminar")
        CONFERENCE = "conference", _("Conference")
        SIGNING = "signing", _("Signing")
        SESSION = "session", _("Session")
        LAUNCH = "launch", _("Launch")
        DELEGATION = "delegation", _("Delegation")

    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=400)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    series = models.ForeignKey(
        Programme,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editions",
        help_text=_("The event series this is an edition of (a programme of kind event series)."),
    )
    edition, edition_zh_hans, edition_zh_hant = translated(
        models.CharField, _("edition"), max_length=200, blank=True
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
        help_text=_("The larger event this session or sub-event belongs to."),
    )
    summary, summary_zh_hans, summary_zh_hant = translated(
        models.CharField, _("summary"), max_length=500, blank=True
    )
    description, description_zh_hans, description_zh_hant = translated(
        models.TextField, _("description"), blank=True
    )
    start_date = models.DateField(_("starts"), null=True, blank=True)
    start_precision = models.CharField(
        _("precision of the start date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(_("ends"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of the end date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    venue, venue_zh_hans, venue_zh_hant = translated(
        models.CharField, _("venue"), max_length=300, blank=True
    )
    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions served"),
        blank=True,
        related_name="served_by_events",
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="events"
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="EventOrganisation",
        verbose_name=_("organisations"),
        related_name="events",
    )
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("related programmes"), blank=True, related_name="events"
    )
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    attendance_text, attendance_text_zh_hans, attendance_text_zh_hant = translated(
        models.CharField,
        _("attendance as stated"),
        max_length=200,
        blank=True,
        help_text=_("In the source's words, e.g. 'more than 26,000'."),
    )
    attendance_qualifier = models.CharField(
        _("how the attendance figure is meant"),
        max_length=16,
        choices=AttendanceQualifier.choices,
        blank=True,
        help_text=_("As the source puts it: around, more than, nearly, or an exact figure."),
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS_EXCLUDED_FROM_HISTORY)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("publish_event", _("Can publish, unpublish and archive events"))]
        indexes = [
            # Upcoming events soonest first, past ones newest first: each
            # order is an index, so a page is read, not sorted.
            models.Index(
                fields=["status", "start_date", "name", "id"], name="event_status_soonest"
            ),
            models.Index(
                fields=["status", "-start_date", "name", "id"], name="event_status_newest"
            ),
            models.Index(fields=["status", "name", "id"], name="event_status_name_id"),
            models.Index(fields=["status", "-created_at", "-id"], name="event_status_created_id"),
            # Upcoming events: those whose last day is today or later, one range.
            models.Index(F("status"), last_day(), name="event_status_last_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(part_of=models.F("id")), name="event_not_part_of_itself"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:event_detail", args=[self.slug])

    @property
    def timing(self):
        """Where it stands in time: "upcoming" (its last day is today or later,
        as the list's filter counts it), "past", or "undated" (no source gives
        a date, so the page says so rather than guessing)."""
        last = self.end_date or self.start_date
        if last is None:
            return "undated"
        return "upcoming" if last >= timezone.localdate() else "past"

    def owning_organisation(self):
        """The organisation that answers for it: its organiser, else its host."""
        roles = self.organisation_roles.select_related("organisation").order_by("pk")
        for role in ("organiser", "host"):
            found = next((r.organisation for r in roles if r.role == role), None)
            if found:
                return found
        return None

    def search_related(self):
        related = [role.organisation for role in self.organisation_roles.all()]
        related += [self.series, self.part_of, self.city]
        return related + [*self.regions.all(), *self.sectors.all(), *self.programmes.all()]

    @classmethod
    def search_prefetch(cls, queryset):
        return queryset.select_related("series", "part_of", "city").prefetch_related(
            "organisation_roles__organisation", "regions", "sectors", "programmes"
        )

    @classmethod
    def related_changes(cls, since):
        return [
            EventOrganisation.objects.filter(
                event=models.OuterRef("pk"), organisation__updated_at__date__gt=since
            ),
            Programme.objects.filter(pk=models.OuterRef("series_id"), updated_at__date__gt=since),
        ]

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("An event cannot end before it starts.")})


class EventOrganisation(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        CO_ORGANISER = "co_organiser", _("Co-organiser")
        HOST = "host", _("Host")
        CO_HOST = "co_host", _("Co-host")
        SUPPORTER = "supporter", _("Supporter")
        SIGNATORY = "signatory", _("Signatory")
        SPEAKER = "speaker", _("Speaker")
        EXHIBITOR = "exhibitor", _("Exhibitor")
        PARTICIPANT = "participant", _("Participant")
        DELEGATE = "delegate", _("Delegate")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="event_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("organisation’s role in an event")
        verbose_name_plural = _("organisations and their roles")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="one_role_per_event_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"
