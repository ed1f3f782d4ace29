from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from directory.admin.base import (
    PUBLISHABLE_FILTERS,
    CitationForm,
    ExportHistoryAdmin,
    PublishableAdmin,
    TranslatedAdminMixin,
    VocabularyAdminMixin,
    quote_found,
    record_fieldsets,
    side_by_side,
)
from directory.admin.columns import publication_status
from directory.admin.concurrency import ConcurrencyAdminMixin
from directory.admin.editorial import EditorialAdminMixin
from directory.admin.filters import SectorFilter, organisation_filter, region_filter
from directory.admin.intake import propose_entries_view
from directory.admin.resources import OrganisationResource
from directory.admin.site import brand
from directory.models import (
    Citation,
    Enquiry,
    KeyFact,
    Organisation,
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
    StaffConfirmation,
)
from directory.search import clean_query
from directory.sources.cleaning import clean_article_text

brand(admin.site)


@admin.register(Region)
class RegionAdmin(VocabularyAdminMixin, TranslatedAdminMixin, ExportHistoryAdmin):
    list_display = ["name", "name_zh_hans", "name_zh_hant", "kind", "parent", "slug"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_zh_hans", "name_zh_hant", "slug", "alternative_names"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = side_by_side(
        Region,
        ["name", "slug", "kind", "parent", "alternative_names", "latitude", "longitude"],
    )


@admin.register(Sector)
class SectorAdmin(VocabularyAdminMixin, TranslatedAdminMixin, ExportHistoryAdmin):
    list_display = ["name", "name_zh_hans", "name_zh_hant", "slug"]
    search_fields = ["name", "name_zh_hans", "name_zh_hant", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = side_by_side(Sector, ["name", "slug", "description"])


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(VocabularyAdminMixin, TranslatedAdminMixin, ExportHistoryAdmin):
    list_display = ["name", "name_zh_hans", "name_zh_hant", "slug", "alternative_names"]
    search_fields = ["name", "name_zh_hans", "name_zh_hant", "slug", "alternative_names"]
    prepopulated_fields = {"slug": ["name"]}
    fields = side_by_side(ServiceCategory, ["name", "slug", "alternative_names", "description"])


@admin.register(SourceArticle)
class SourceArticleAdmin(EditorialAdminMixin, ExportHistoryAdmin):
    """Articles go through the records' workflow: public once published."""

    list_display = ["__str__", "publisher", "published_on", "citation_count"]
    list_filter = ["status", ("published_on", admin.DateFieldListFilter)]
    search_fields = ["title", "publisher", "slug", "url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["cleaned_text", "created_at", "updated_at"]
    fields = side_by_side(
        SourceArticle,
        [
            "title",
            "given_title",
            "slug",
            "publisher",
            "published_on",
            "published_precision",
            "dateline",
            "url",
            "raw_text",
            "cleaned_text",
            "status",
            "created_at",
            "updated_at",
            "zh_official",
        ],
    )
    change_form_template = "admin/directory/sourcearticle/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_citations=Count("citations"))

    @admin.display(description=_("citations"), ordering="num_citations")
    def citation_count(self, article):
        return article.num_citations

    def save_model(self, request, obj, form, change):
        # The stored cleaned text is what quotes are checked against, so it
        # follows every edit of the raw text.
        obj.cleaned_text = clean_article_text(obj.raw_text)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/propose/",
                self.admin_site.admin_view(self.propose_view),
                name="directory_sourcearticle_propose",
            )
        ] + super().get_urls()

    def propose_view(self, request, object_id):
        return propose_entries_view(self, request, object_id)


class RecordTypeFilter(admin.SimpleListFilter):
    """Citations by the kind of record they support: the public record
    models only, not every content type in the database."""

    title = _("record type")
    parameter_name = "record_type"

    def lookups(self, request, model_admin):
        return [(ct.pk, ct.name) for ct in citable_content_types()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type_id=self.value())
        return queryset


def citable_content_types():
    return ContentType.objects.filter(
        app_label__in=["directory", "programmes"],
        model__in=["organisation", "programme", "service", "event"],
    ).order_by("model")


@admin.register(Citation)
class CitationAdmin(ExportHistoryAdmin):
    list_display = [
        "short_quote",
        "article",
        "content_type",
        "record",
        quote_found,
        "supports",
        "key_facts",
    ]
    list_filter = [RecordTypeFilter]
    # The record column cannot sort (its rows are of several tables), and
    # sorting by record type or the supported facts would sort every citation.
    sortable_by = ["article"]
    list_select_related = ["article", "content_type"]
    search_fields = ["quote", "supports", "article__title", "article__slug"]
    autocomplete_fields = ["article"]
    form = CitationForm
    fields = ["article", "quote", "supports", "facts", "content_type", "object_id", quote_found]
    readonly_fields = [quote_found]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    def get_search_results(self, request, queryset, search_term):
        """Citations whose quote or supported facts contain the words as
        typed, or whose article's title does: a trigram index serves each
        text on PostgreSQL, and the (small) article table is searched on its own
        first, so the database can combine the three indexes."""
        term, _truncated = clean_query(search_term)
        if not term:
            return queryset, False
        articles = list(
            SourceArticle.objects.filter(Q(title__icontains=term) | Q(slug=term)).values_list(
                "pk", flat=True
            )
        )
        found = queryset.filter(
            Q(quote__icontains=term) | Q(supports__icontains=term) | Q(article__in=articles)
        )
        return found, False

    @admin.display(description=_("quote"))
    def short_quote(self, citation):
        return citation.quote[:80]

    @admin.display(description=_("key facts it backs"))
    def key_facts(self, citation):
        labels = dict(KeyFact.choices)
        return ", ".join(str(labels.get(fact, fact)) for fact in citation.facts) or "–"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = citable_content_types()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    resource_classes = [OrganisationResource]
    list_display = [
        "name",
        "short_name",
        "kind",
        "region",
        publication_status,
        "last_verified_on",
        "updated_at",
    ]
    list_filter = [
        *PUBLISHABLE_FILTERS,
        "kind",
        region_filter("region"),
        organisation_filter("parent"),
        SectorFilter,
        ("updated_at", admin.DateFieldListFilter),
    ]
    # Each has an index (name, id) and so on; kind and status have filters instead.
    sortable_by = ["name", "short_name", "last_verified_on", "updated_at"]
    list_select_related = ["region"]
    search_fields = [
        "name",
        "short_name",
        "alternative_names",
        "slug",
        "name_zh_hans",
        "name_zh_hant",
        "parent__short_name",
    ]
    autocomplete_fields = ["parent", "region", "sectors"]
    fieldsets = record_fieldsets(
        Organisation,
        [
            "name",
            "short_name",
            "alternative_names",
            "slug",
            "kind",
            "parent",
            "region",
            "sectors",
            "website",
            "email",
            "phone",
            "description",
        ],
        (_("Not public"), {"fields": ["staff_contact_email"]}),
    )


@admin.register(StaffConfirmation)
class StaffConfirmationAdmin(ConcurrencyAdminMixin, admin.ModelAdmin):
    """Facts staff confirmed directly with someone: who, with whom, when.
    Usually added on the record's own page (its inline); listed here to check."""

    list_display = ["record_name", "content_type", "confirmed_with", "confirmed_by", "confirmed_on"]
    list_filter = [RecordTypeFilter, ("confirmed_on", admin.DateFieldListFilter)]
    list_select_related = ["content_type", "confirmed_by"]
    search_fields = ["confirmed_with", "note"]
    show_full_result_count = False
    fields = ["content_type", "object_id", "confirmed_with", "confirmed_on", "note", "confirmed_by"]
    readonly_fields = ["confirmed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    @admin.display(description=_("record"))
    def record_name(self, confirmation):
        return str(confirmation.record) if confirmation.record is not None else "–"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = citable_content_types()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.confirmed_by_id is None:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Enquiry)
class EnquiryAdmin(ConcurrencyAdminMixin, admin.ModelAdmin):
    """Enquiries from record pages: read, answer by email, mark answered or closed."""

    # Who answered and when are on the enquiry's page; the list fits 1280 px.
    list_display = [
        "created_at",
        "record_name",
        "kind",
        "name",
        "email",
        "status",
        "routed_to",
    ]
    list_filter = ["status", "kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["answered_by"]
    search_fields = ["record_name", "name", "email", "company"]
    show_full_result_count = False
    date_hierarchy = None
    actions = ["mark_answered", "mark_closed"]
    readonly_fields = [
        "record_link",
        "kind",
        "name",
        "email",
        "company",
        "message",
        "consent",
        "routed_to",
        "created_at",
        "answered_by",
        "answered_at",
    ]
    fields = [*readonly_fields, "status"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("record"))
    def record_link(self, enquiry):
        record = enquiry.record
        if record is None:
            return enquiry.record_name
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), enquiry.record_name)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            self._answered(obj, request)
        super().save_model(request, obj, form, change)

    @staticmethod
    def _answered(enquiry, request):
        if enquiry.status == Enquiry.Status.NEW:
            enquiry.answered_by, enquiry.answered_at = None, None
        elif enquiry.answered_at is None:
            enquiry.answered_by, enquiry.answered_at = request.user, timezone.now()

    def _mark(self, request, queryset, status):
        for enquiry in queryset:
            enquiry.status = status
            self._answered(enquiry, request)
            enquiry.save(update_fields=["status", "answered_by", "answered_at"])

    @admin.action(description=_("Mark as answered"), permissions=["change"])
    def mark_answered(self, request, queryset):
        self._mark(request, queryset, Enquiry.Status.ANSWERED)

    @admin.action(description=_("Mark as closed"), permissions=["change"])
    def mark_closed(self, request, queryset):
        self._mark(request, queryset, Enquiry.Status.CLOSED)
