"""CSV/XLSX import and export of directory records (django-import-export).

Rows are matched on `slug`, related records are named by their slug, and an
import is all or nothing: one bad row rolls back every row.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from directory import caching, workflow
from directory.models import Organisation
from directory.search import refresh_search_index, with_search_dependents


class SlugsWidget(widgets.ManyToManyWidget):
    """Slugs separated by "|"; an unknown slug is an error, not silently dropped."""

    def __init__(self, model):
        super().__init__(model, separator="|", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = {s.strip() for s in str(value or "").split(self.separator) if s.strip()}
        found = self.model.objects.filter(slug__in=slugs)
        missing = slugs - {obj.slug for obj in found}
        if missing:
            raise ValueError(
                _("Unknown %(model)s: %(slugs)s")
                % {"model": self.model._meta.verbose_name, "slugs": ", ".join(sorted(missing))}
            )
        return found


class RolesField(fields.Field):
    """Organisations with their role, as "hkpc:lead|hktdc:partner".

    Importing adds or updates the named roles and never removes others, so a
    partial spreadsheet cannot drop a partner.
    """

    def __init__(self, role_model, owner_field, **kwargs):
        super().__init__(column_name="organisations", readonly=True, **kwargs)
        self.role_model = role_model
        self.owner_field = owner_field

    def get_value(self, instance):
        if instance.pk is None:
            return ""
        roles = instance.organisation_roles.all()
        return "|".join(f"{r.organisation.slug}:{r.role}" for r in roles)

    def export(self, instance, **kwargs):
        return self.get_value(instance)

    def parse(self, value):
        valid_roles = set(self.role_model.Role.values)
        pairs = []
        for item in str(value or "").split("|"):
            if not item.strip():
                continue
            slug, _sep, role = item.strip().partition(":")
            role = role.strip() or "partner"
            if role not in valid_roles:
                raise ValueError(
                    _("Unknown role “%(role)s”; use one of %(roles)s")
                    % {"role": role, "roles": ", ".join(sorted(valid_roles))}
                )
            pairs.append((slug.strip(), role))
        organisations = Organisation.objects.in_bulk(
            [slug for slug, _role in pairs], field_name="slug"
        )
        missing = [slug for slug, _role in pairs if slug not in organisations]
        if missing:
            raise ValueError(_("Unknown organisation: %(slugs)s") % {"slugs": ", ".join(missing)})
        return [(organisations[slug], role) for slug, role in pairs]

    def save_roles(self, instance, value):
        for organisation, role in self.parse(value):
            self.role_model.objects.update_or_create(
                **{self.owner_field: instance, "organisation": organisation},
                defaults={"role": role},
            )


def record_fields(*own):
    """The columns of a kind of record, in order: its slug and name, its `own`
    columns, then its status and when it was last verified."""
    return ["slug", "name", *own, "status", "last_verified_on"]


class PublishableResource(resources.ModelResource):
    """Imported records land as drafts unless the importing user may publish."""

    # Exported for the record; only the "mark verified" action may set it.
    last_verified_on = fields.Field(
        "last_verified_on", "last_verified_on", widgets.DateWidget(), readonly=True
    )

    class Meta:
        # Options every record's resource shares (subclasses inherit them).
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_diff = False
        use_transactions = True

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """A column of related records holds their slugs: one (a foreign key)
        or several, separated by "|"."""
        if not django_field.is_relation:
            return super().field_from_django_field(field_name, django_field, readonly)
        model = django_field.related_model
        if django_field.many_to_many:
            widget = SlugsWidget(model)
        else:
            widget = widgets.ForeignKeyWidget(model, field="slug")
        return fields.Field(field_name, field_name, widget, readonly=readonly)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._saved = []

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        # Every public page is out of date after an import, however many rows.
        with caching.coarse(replace=not dry_run):
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
            )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._slug_rows = {}

    def before_import_row(self, row, **kwargs):
        """Two rows naming the same slug would silently merge into one record
        (the second overwriting the first): the second is an error, so the
        preview shows it and nothing is written."""
        super().before_import_row(row, **kwargs)
        slug = str(row.get("slug") or "").strip()
        if not slug:
            return
        number = kwargs.get("row_number")
        first = self._slug_rows.setdefault(slug, number)
        if first != number:
            raise ValidationError(
                {
                    "slug": _("The slug “%(slug)s” is also on row %(row)s of this file.")
                    % {"slug": slug, "row": first}
                }
            )

    def import_instance(self, instance, row, **kwargs):
        # Remember the status before the row overwrites it.
        instance._status_before_import = (
            type(instance).objects.filter(pk=instance.pk).values_list("status", flat=True).first()
            if instance.pk
            else None
        )
        super().import_instance(instance, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user") or AnonymousUser()
        workflow.guard_status(instance, user, instance._status_before_import)
        instance._change_reason = _("Imported from a file")
        if user.is_authenticated:
            instance._history_user = user

    def after_save_instance(self, instance, row, **kwargs):
        roles = self.fields.get("organisations")
        if isinstance(roles, RolesField) and roles.column_name in row:
            roles.save_roles(instance, row[roles.column_name])
        self._saved.append(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            refresh_search_index(with_search_dependents(self._saved))


class OrganisationResource(PublishableResource):
    class Meta(PublishableResource.Meta):
        model = Organisation
        fields = record_fields(
            "short_name",
            "alternative_names",
            "kind",
            "parent",
            "region",
            "website",
            "email",
            "phone",
            "description",
            "sectors",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "region").prefetch_related("sectors")
