from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import Organisation, OrganisationRole, Record, Region, Sector
from directory.models.base import (
    dated,
    descriptions,
    one_role_per_organisation,
    optional_link,
    organisation_and_role,
    organisation_in_role,
    public_list_indexes,
    summaries,
    translated,
)
from directory.models.slugs import not_reserved
from programmes.models.programmes import Programme


def last_day():
    """An event's last day: its end, or its start when it has no end. An event
    is upcoming (or still on) while its last day is today or later: one range
    on one index, where "starts or ends from today" is two."""
    return Coalesce("end_date", "start_date")


def first_day():
    """An event's first day: its start, or its end when it has no start. The
    upcoming events list reads soonest first by it."""
    return Coalesce("start_date", "end_date")


class AttendanceQualifier(models.TextChoices):
    ABOUT = "about", _("around")
    AT_LEAST = "at_least", _("more than")
    NEARLY = "nearly", _("nearly")
    EXACT = "exact", _("exactly")


class Event(Record):
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
    slug = models.SlugField(_("slug"), max_length=200, unique=True, validators=[not_reserved])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    series = optional_link(
        Programme,
        _("series"),
        "editions",
        help_text=_("The event series this is an edition of (a programme of kind event series)."),
    )
    edition, edition_zh_hans, edition_zh_hant = translated(
        models.CharField, _("edition"), max_length=200, blank=True
    )
    part_of = optional_link(
        "self",
        _("part of"),
        "sessions",
        on_delete=models.CASCADE,
        help_text=_("The larger event this session or sub-event belongs to."),
    )
    summary, summary_zh_hans, summary_zh_hant = summaries()
    description, description_zh_hans, description_zh_hant = descriptions()
    start_date, start_precision = dated(_("starts"), _("precision of the start date"))
    end_date, end_precision = dated(_("ends"), _("precision of the end date"))
    venue, venue_zh_hans, venue_zh_hant = translated(
        models.CharField, _("venue"), max_length=300, blank=True
    )
    city = optional_link(Region, _("city"), "events")
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

    detail_view = "programmes:event_detail"

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
            *public_list_indexes("event"),
            # Upcoming events: those whose last day is today or later, one range.
            # Covering the dates on PostgreSQL (SQLite ignores `include`): the
            # home page's earliest upcoming start is read from the index alone.
            models.Index(
                F("status"),
                last_day(),
                name="event_status_last_day",
                include=["start_date", "end_date"],
            ),
            # The upcoming events list, soonest first: a page of 20 is read in
            # this order from the earliest upcoming first day on
            # (programmes.filters.from_first_upcoming), not every upcoming
            # event (4,555 at 100,000 programmes) read and sorted.
            models.Index(
                F("status"), first_day(), F("name"), F("id"), name="event_status_first_day"
            ),
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
        return organisation_in_role(
            self, (EventOrganisation.Role.ORGANISER, EventOrganisation.Role.HOST)
        )

    def search_related(self):
        related = [role.organisation for role in self.organisation_roles.all()]
        related += [self.series, self.part_of, self.city]
        return related + [*self.regions.all(), *self.sectors.all(), *self.programmes.all()]

    # Its sessions are found by the larger event's name.
    search_dependent_relations = ("sessions",)
    search_vocabulary = ("city", "regions", "sectors")

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


class EventOrganisation(OrganisationRole):
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
    organisation, role = organisation_and_role("event_roles", Role)

    history = HistoricalRecords()

    class Meta(OrganisationRole.Meta):
        verbose_name = _("organisation’s role in an event")
        constraints = [one_role_per_organisation("event")]
