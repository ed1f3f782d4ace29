"""Optimistic concurrency for every change form of the admin.

A change form carries the version of the record it was opened on: a hash of
the record's stored fields, its many-to-many links and the rows of its
inlines. Saving locks the row, computes the version again and compares: if
anyone saved the record (by form, action, import or the seed loader) since
the form was opened, nothing is written and the form comes back with what
was typed still in it, and a table of each field as typed beside the stored
one. The form then carries the stored version, so saving it again, after
reading the table, is a deliberate overwrite.

A hash of the stored values rather than a counter column: every model is
covered without a migration, and any writer, even one that knows nothing of
versions, changes it.
"""

import datetime
import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "record_version"
# Stored columns that change without anyone editing the record (the search
# text follows its partners' names; the translation fingerprint and the save
# time follow every save).
UNVERSIONED = {"search_document", "search_vector", "search_names", "translation_sources"}


def _columns(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in UNVERSIONED
    ]


def _row(record):
    values = {field.attname: field.value_from_object(record) for field in _columns(type(record))}
    for field in record._meta.many_to_many:
        values[field.name] = sorted(getattr(record, field.name).values_list("pk", flat=True))
    return values


def stored_inline_rows(model_admin, request, record):
    """{inline prefix: [row values, by pk]} of the record's inlines as stored."""
    found = {}
    for inline in model_admin.get_inline_instances(request, record):
        formset_class = inline.get_formset(request, record)
        rows = formset_class(instance=record, queryset=inline.get_queryset(request)).get_queryset()
        found[formset_class.get_default_prefix()] = [(row.pk, _row(row)) for row in rows]
    return found


def current_version(model_admin, request, pk, lock=False):
    """(version, stored record) of the record `pk` as stored now; the row is
    locked until the transaction ends when `lock` is true."""
    manager = model_admin.model._default_manager
    record = (manager.select_for_update() if lock else manager).get(pk=pk)
    snapshot = {"record": _row(record), "inlines": stored_inline_rows(model_admin, request, record)}
    text = json.dumps(snapshot, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40], record


def readable(value):
    """A stored or typed value as a person reads it in the comparison."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(str(readable(item)) for item in value) or _("(empty)")
    return str(value)


def _stored_value(record, name):
    field = record._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(record, name).all())
    if field.choices:
        return getattr(record, f"get_{name}_display")()
    return getattr(record, name)


def _typed_value(form, name):
    field = form.fields[name]
    value = form.cleaned_data.get(name, form[name].data)
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        return dict(field.choices).get(value, value)
    return value


def compare(form, stored):
    """[(label, typed, stored)] for every field of `form` whose typed value
    differs from the stored record's."""
    # The form class without the version (which would be computed again).
    stored_form = type(form).__bases__[0](instance=stored)
    rows = []
    for name, field in form.fields.items():
        if name == VERSION_FIELD or name not in stored_form.fields:
            continue
        initial = stored_form.get_initial_for_field(field, name)
        if field.has_changed(initial, form[name].data):
            typed = readable(_typed_value(form, name))
            rows.append((field.label or name, typed, readable(_stored_value(stored, name))))
    return rows


def last_save(record):
    """(who, when) of the record's latest history row, if it keeps history."""
    history = getattr(record, "history", None)
    latest = history.order_by("-history_date").first() if history is not None else None
    if latest is None:
        return None, None
    return latest.history_user, latest.history_date


def versioned_form(form_class, model_admin, request):
    """`form_class` with the version field, checked when the form is cleaned."""

    class VersionedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=64
            )
            self.edit_conflict = None
            if not self.is_bound and self.instance.pk is not None:
                version, _record = current_version(model_admin, request, self.instance.pk)
                self.fields[VERSION_FIELD].initial = version

        def clean(self):
            cleaned = super().clean()
            opened = self.data.get(self.add_prefix(VERSION_FIELD))
            # Change forms and the history's restore pages send a version.
            if self.instance.pk is None or not opened:
                return cleaned
            version, stored = current_version(model_admin, request, self.instance.pk, lock=True)
            if version != opened:
                self._conflict(version, stored)
            return cleaned

        def _conflict(self, version, stored):
            who, when = last_save(stored)
            self.edit_conflict = {"fields": compare(self, stored), "by": who, "at": when}
            # Saving the form again, having read the comparison, overwrites.
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = version
            raise ValidationError(
                _(
                    "Someone else saved this record after you opened it. Nothing you typed "
                    "has been saved or lost: compare your version with the stored one below, "
                    "then save again to keep yours."
                ),
                code="edit_conflict",
            )

    VersionedForm.__name__ = form_class.__name__
    return VersionedForm


def inline_differences(formsets):
    """[(inline, typed rows, stored rows)] for the inlines whose rows as typed
    differ from the rows stored now."""
    found = []
    for formset in formsets:
        names = [n for n in formset.form.base_fields if n not in ("id", "DELETE")]
        typed = []
        for form in formset.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if formset.can_delete and formset._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", {}) or {}
            typed.append(" · ".join(str(readable(data.get(n, form[n].data))) for n in names))
        stored = [
            " · ".join(str(readable(getattr(row, n, ""))) for n in names)
            for row in formset.get_queryset()
        ]
        if sorted(typed) != sorted(stored):
            found.append((formset.model._meta.verbose_name_plural, typed, stored))
    return found


class ConcurrencyAdminMixin:
    """A version on every change form; see the module docstring."""

    change_form_template = "admin/directory/change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # The history's restore of an earlier version asks without `change`,
        # but overwrites the stored record as a change form does: versioned
        # too. An add form has no stored record.
        if obj is None or obj.pk is None:
            return form_class
        return versioned_form(form_class, self, request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        with_edit_conflict(context)
        return super().render_change_form(request, context, add, change, form_url, obj)


def with_edit_conflict(context):
    """Adds to a change form's `context` the comparison to show when its
    save was refused (`edit_conflict`). A page without a form (the history
    list) is left as it is."""
    adminform = context.get("adminform")
    conflict = getattr(adminform and adminform.form, "edit_conflict", None)
    if conflict is not None:
        formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
        conflict["inlines"] = inline_differences(formsets)
        context["edit_conflict"] = conflict
    return context
