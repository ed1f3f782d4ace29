"""What every admin page of the directory shares: history, fast changelists,
citations next to the record, and the publishing workflow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.postgres.search import SearchQuery
from django.db import connections, models, transaction
from django.db.models import OrderBy, Q
from django.http import HttpResponseRedirect
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from directory import facets
from directory.admin.concurrency import ConcurrencyAdminMixin, with_edit_conflict
from directory.admin.editorial import EditorialAdminMixin, StaffConfirmationInline
from directory.admin.filters import MissingTranslationFilter, NeedsReviewFilter
from directory.admin.formats import CSV, XLSX
from directory.admin.paginator import CappedCountPaginator
from directory.i18n.translation import (
    TRANSLATED_LANGUAGES,
    field_for,
    is_complete,
    is_outdated,
    note_translation_edits,
)
from directory.models import Citation, KeyFact, Searchable, Translatable
from directory.search import (
    SEARCH_CONFIG,
    TERM_NAME_FIELDS,
    clean_query,
    matching,
    normalise,
    query_text,
    refresh_naming,
    refresh_search_index,
    with_search_dependents,
)


def _descending(ordering_field):
    if isinstance(ordering_field, OrderBy):
        return ordering_field.descending
    return isinstance(ordering_field, str) and ordering_field.startswith("-")


class IndexedChangeList(ChangeList):
    """A changelist whose every sort an index can serve.

    Only the columns in `sortable_by` sort, also when `?o=` names another one
    by hand. The primary key that breaks ties runs in the same direction as
    the column before it, so one index on (column, id) serves the column both
    ways, and a deep page can read its keys from that index alone.
    """

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_ordering(self, request, queryset):
        self._drop_unsortable_columns()
        ordering = super().get_ordering(request, queryset)
        if len(ordering) > 1 and ordering[-1] == "-pk":
            ordering[-1] = "-pk" if _descending(ordering[-2]) else "pk"
        return ordering

    def _drop_unsortable_columns(self):
        """A sort by no sortable column keeps the default order (Django would
        fall back to the newest rows first)."""
        if ORDER_VAR not in self.params:
            return
        kept = [column for column in self.params[ORDER_VAR].split(".") if self._sorts_by(column)]
        if kept:
            self.params[ORDER_VAR] = ".".join(kept)
        else:
            del self.params[ORDER_VAR]

    def _sorts_by(self, column):
        try:
            field_name = self.list_display[int(column.rpartition("-")[2])]
        except (IndexError, ValueError):
            return False
        return self.get_ordering_field(field_name) is not None

    def get_results(self, request):
        # The stored search text is the widest part of a row and no column shows it.
        if issubclass(self.model, Searchable):
            self.queryset = self.queryset.defer("search_document", "search_vector", "search_names")
        super().get_results(request)


class HistoryAdmin(ConcurrencyAdminMixin, SimpleHistoryAdmin):
    """History list, field-by-field diff and revert, on a changelist that
    never counts a whole big table."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    # A restore of an earlier version carries the version of the record it
    # was opened on, and shows the comparison when someone saved since.
    object_history_form_template = "admin/directory/object_history_form.html"
    # An address typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_changelist(self, request, **kwargs):
        return IndexedChangeList

    def render_history_view(self, request, template, context, **kwargs):
        return super().render_history_view(request, template, with_edit_conflict(context), **kwargs)

    def save_model(self, request, obj, form, change):
        if isinstance(obj, Translatable):
            previous = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
            note_translation_edits(obj, previous)
        super().save_model(request, obj, form, change)


def side_by_side(model, fields):
    """`fields` with each translated text on one row with its Chinese versions
    (`name`, `name_zh_hans`, `name_zh_hant`), so a translator edits the three
    together and sees the English that changed."""
    # A text with Chinese versions beside it (translated texts, and the
    # Chinese alternative names used for search).
    names = {field.name for field in model._meta.get_fields()}
    return [
        (name, *(field_for(name, language) for language in TRANSLATED_LANGUAGES))
        if isinstance(name, str) and field_for(name, TRANSLATED_LANGUAGES[0]) in names
        else name
        for name in fields
    ]


# Short labels for a narrow changelist column; the full name is in the tooltip.
LANGUAGE_MARKS = {
    "zh-hans": ("简", _("Simplified Chinese")),
    "zh-hant": ("繁", _("Traditional Chinese")),
}


@admin.display(description=_("translations"))
def translation_status(record):
    """EN ✓ 简 ✓ 繁 ✗, with ⚠ for a translation older than its English."""
    marks = [("EN", _("English"), "✓", _("source text"))]
    for language, (mark, name) in LANGUAGE_MARKS.items():
        if is_outdated(record, language):
            marks.append((mark, name, "⚠", _("possibly outdated: the English changed since")))
        elif is_complete(record, language):
            marks.append((mark, name, "✓", _("complete")))
        else:
            marks.append((mark, name, "✗", _("missing")))
    return format_html_join(
        " ",
        '<span class="translation-status" title="{}: {}">{} {}</span>',
        ((name, state, mark, sign) for mark, name, sign, state in marks),
    )


class TranslatedAdminMixin:
    """The translation column and the "missing translation" filter; both read
    the columns of the listed rows only, so the changelist's queries stay the same."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), translation_status]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingTranslationFilter]

    def get_fieldsets(self, request, obj=None):
        # Which Chinese texts are official names rather than the directory's
        # translation (pages mark the latter "translated by the directory").
        fieldsets = super().get_fieldsets(request, obj)
        return [*fieldsets, (_("Official Chinese names"), {"fields": ["zh_official"]})]


class ImportExportHistoryAdmin(ImportExportModelAdmin, HistoryAdmin):
    import_formats = [CSV]
    export_formats = [CSV, XLSX]

    def get_export_queryset(self, request):
        # One query per relation for the whole export, not one per row.
        opts = self.model._meta
        plain_m2m = [f.name for f in opts.many_to_many if f.remote_field.through._meta.auto_created]
        queryset = super().get_export_queryset(request).prefetch_related(*plain_m2m)
        if hasattr(self.model, "organisation_roles"):
            queryset = queryset.prefetch_related("organisation_roles__organisation")
        return queryset

    def has_import_permission(self, request):
        # An import both adds and changes rows, so it needs both rights.
        return self.has_add_permission(request) and self.has_change_permission(request)


@admin.display(description=_("Quote found"))
def quote_found(citation):
    if not citation.pk or not citation.article_id:
        return "–"
    return "✓" if citation.quote_found else "✗"


class CitationForm(forms.ModelForm):
    """A citation's key facts as labelled checkboxes, one per `KeyFact`."""

    facts = forms.MultipleChoiceField(
        label=_("key facts it backs"),
        choices=KeyFact.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "key-facts-choice"}),
        required=False,
        help_text=Citation._meta.get_field("facts").help_text,
    )

    class Meta:
        model = Citation
        fields = ["article", "quote", "supports", "facts"]

    def clean_facts(self):
        # Stored in the panel's order, whatever order they were ticked in.
        ticked = set(self.cleaned_data["facts"])
        return [fact for fact in KeyFact.values if fact in ticked]


class CitationInline(GenericTabularInline):
    model = Citation
    form = CitationForm
    extra = 0
    fields = ["article", "quote", "supports", "facts", quote_found]
    readonly_fields = [quote_found]
    autocomplete_fields = ["article"]
    verbose_name = _("citation")
    verbose_name_plural = _("citations: quotes from source articles that support this record")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


def typed_words(term):
    """A raw tsquery for `term` as it is typed into a search box: every word,
    the last one possibly unfinished, so it matches as a prefix."""
    words = [f"'{word}'" for word in normalise(query_text(term)).split()[:12]]
    if words:
        words[-1] += ":*"
    return " & ".join(words)


class IndexedSearchMixin:
    """The search box and the autocomplete of related-record pickers match
    the stored search index (every name, acronym and partner name, in all
    languages), not a LIKE over every row and its partners; a slug typed in
    full finds its record too.

    On PostgreSQL the words match the GIN-indexed `search_vector`, the last
    one as a prefix.
    The public search's misspelling match is left out: its trigram test costs
    too much per row to count thousands of matches. SQLite uses the public
    search's word-prefix match.
    """

    def get_search_results(self, request, queryset, search_term):
        term, _truncated = clean_query(search_term)
        if not term:
            return queryset, False
        by_slug = Q(slug=term)
        if connections[queryset.db].vendor != "postgresql":
            return matching(queryset, term) | queryset.filter(by_slug), False
        typed = typed_words(term)
        if not typed:
            return queryset.filter(by_slug), False
        words = SearchQuery(typed, search_type="raw", config=SEARCH_CONFIG)
        return queryset.filter(Q(search_vector=words) | by_slug), False


class PublishableAdmin(
    EditorialAdminMixin, IndexedSearchMixin, TranslatedAdminMixin, ImportExportHistoryAdmin
):
    """A directory record: the workflow (directory/admin/editorial.py), its
    citations and staff confirmations beside it, search, translations."""

    prepopulated_fields = {"slug": ["name"]}
    inlines = [CitationInline, StaffConfirmationInline]
    actions = [*EditorialAdminMixin.actions, "mark_verified"]
    always_read_only = ["created_at", "updated_at", "last_verified_on", "verified_by"]

    def get_readonly_fields(self, request, obj=None):
        return list(super().get_readonly_fields(request, obj)) + self.always_read_only

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One facet refresh per record at the end of the save, inside its
        # transaction, rather than one per relation and inline written.
        with transaction.atomic(), facets.deferred():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_index(with_search_dependents([form.instance]))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # As a change form: the version check locks the row until the end.
        with transaction.atomic(), facets.deferred():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and isinstance(response, HttpResponseRedirect):
                # A restored name is repeated in other records' search text too.
                restored = self.model.objects.filter(pk=object_id)
                refresh_search_index(with_search_dependents(restored))
        return response


PUBLISHABLE_FILTERS = ["status", NeedsReviewFilter]

PUBLISHABLE_FIELDSET = (
    _("Publication"),
    {"fields": ["status", "last_verified_on", "verified_by", "created_at", "updated_at"]},
)


def record_fieldsets(model, fields, *more):
    """A record's change form: its own `fields` (each translated text beside
    its Chinese versions), any `more` fieldsets, then its publication."""
    return [(None, {"fields": side_by_side(model, fields)}), *more, PUBLISHABLE_FIELDSET]


class ExportHistoryAdmin(ExportMixin, HistoryAdmin):
    export_formats = [CSV, XLSX]


class VocabularyAdminMixin:
    """A region, sector or kind of help renamed (on its form or by restoring
    an old version): the search text of the records that repeat its names is
    redone in the same save, so a search for the new name, in any language,
    finds them at once."""

    def save_model(self, request, obj, form, change):
        fields = sorted(TERM_NAME_FIELDS & {f.name for f in obj._meta.concrete_fields})
        before = None
        if obj.pk is not None:
            before = type(obj)._default_manager.filter(pk=obj.pk).values(*fields).first()
        super().save_model(request, obj, form, change)
        if before is not None and any(before[f] != getattr(obj, f) for f in fields):
            listed = refresh_naming(obj)
            if listed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s record repeats this name: its search text is being "
                        "redone, and searches by the new name find it within a few minutes.",
                        "%(count)s records repeat this name: their search text is being "
                        "redone, and searches by the new name find them within a few minutes.",
                        listed,
                    )
                    % {"count": number_format(listed, force_grouping=True)},
                )
