"""The editorial workflow in the admin: the changelist actions, the change
form's "Save and submit for review" / "Save and publish" buttons, and the
staff confirmations that can stand as a record's source.

Both the actions and the buttons call the functions of directory/workflow.py,
which check permissions and sources; no form has a status field to post.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import workflow
from directory.models import PublicationStatus, StaffConfirmation

Status = PublicationStatus


def workflow_action(transition, description, permission, message):
    """An admin action moving the selected records through `transition`;
    `message(n)` says what happened to n records."""

    @admin.action(description=description, permissions=[permission])
    def action(model_admin, request, queryset):
        model_admin._run(request, queryset, transition, lambda n: message(n) % {"count": n})

    action.__name__ = transition.__name__
    return action


def _submitted(n):
    return ngettext(
        "%(count)d record submitted for review.", "%(count)d records submitted for review.", n
    )


def _published(n):
    return ngettext("%(count)d record published.", "%(count)d records published.", n)


class StaffConfirmationInline(GenericTabularInline):
    """Who on the staff confirmed the record's facts, with whom, and when: a
    source of its own when no article states them."""

    model = StaffConfirmation
    extra = 0
    fields = ["confirmed_with", "confirmed_on", "note", "confirmed_by"]
    readonly_fields = ["confirmed_by"]
    verbose_name_plural = _("staff confirmations: facts confirmed directly, standing as a source")


def save_confirmations(request, formset):
    """Saves a formset of staff confirmations; new ones are by the user saving."""
    for confirmation in formset.save(commit=False):
        if confirmation.confirmed_by_id is None:
            confirmation.confirmed_by = request.user
        confirmation.save()
    for confirmation in formset.deleted_objects:
        confirmation.delete()


class EditorialAdminMixin:
    """Status moves only through the workflow's checked functions: it is
    read-only on every form, and anything posted for it is ignored."""

    actions = ["submit_for_review", "publish", "unpublish", "archive"]
    # The change form's buttons: POST name, label, transition, permission, message.
    form_transitions = [
        ("_submit_for_review", _("Save and submit for review"), workflow.submit_for_review,
         "change", _submitted),
        ("_publish", _("Save and publish"), workflow.publish, "publish", _published),
    ]  # fmt: skip

    def has_publish_permission(self, request, obj=None):
        return workflow.can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status"]

    def save_model(self, request, obj, form, change):
        # Whatever the object brings (a restored old version brings its old
        # status), the status stays as stored; a new record starts as a draft.
        stored = None
        if obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("status", flat=True)
            stored = stored.first()
        obj.status = stored or Status.DRAFT
        super().save_model(request, obj, form, change)

    def _buttons(self, request, obj):
        """The buttons this user may use on this record's form."""
        current = obj.status if obj is not None else Status.DRAFT
        wanted = {
            "_submit_for_review": current == Status.DRAFT,
            "_publish": current != Status.PUBLISHED,
        }
        return [
            (name, label)
            for name, label, _transition, permission, _message in self.form_transitions
            if wanted[name] and getattr(self, f"has_{permission}_permission")(request)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if context.get("has_change_permission" if change else "has_add_permission", True):
            context["workflow_buttons"] = self._buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is StaffConfirmation:
            save_confirmations(request, formset)
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        # After the inlines, so a citation added on this form counts as a source.
        super().save_related(request, form, formsets, change)
        for name, _label, transition, _permission, message in self.form_transitions:
            if name in request.POST:
                said = message(1) % {"count": 1}
                done = self._run(request, [form.instance], transition, lambda _n, said=said: said)
                request.workflow_refused = not done

    def _stay_on_form(self, request, obj):
        if not getattr(request, "workflow_refused", False):
            return None
        opts = obj._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def response_change(self, request, obj):
        return self._stay_on_form(request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._stay_on_form(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def _run(self, request, records, transition, message):
        """Runs `transition` and says what happened; False if it was refused."""
        try:
            changed = transition(records, request.user)
        except (PermissionDenied, workflow.Unsourced) as error:
            text = error.messages[0] if hasattr(error, "messages") else str(error)
            self.message_user(request, text, messages.ERROR)
            return False
        skipped = len(records) - len(changed)
        self.message_user(request, message(len(changed)), messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d record was already in that state and was left alone.",
                    "%(count)d records were already in that state and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        return True

    submit_for_review = workflow_action(
        workflow.submit_for_review, _("Submit selected for review"), "change", _submitted
    )
    publish = workflow_action(workflow.publish, _("Publish selected"), "publish", _published)
    unpublish = workflow_action(
        workflow.unpublish,
        _("Unpublish selected (back to draft)"),
        "publish",
        lambda n: ngettext(
            "%(count)d record moved back to draft.", "%(count)d records moved back to draft.", n
        ),
    )
    archive = workflow_action(
        workflow.archive,
        _("Archive selected"),
        "publish",
        lambda n: ngettext("%(count)d record archived.", "%(count)d records archived.", n),
    )
    mark_verified = workflow_action(
        workflow.mark_verified,
        _("Mark selected as verified today"),
        "change",
        lambda n: ngettext(
            "%(count)d record marked as verified.", "%(count)d records marked as verified.", n
        ),
    )
