"""The "Propose entries" page of a source article: link the records it
mentions, and create DRAFT records for the names the directory lacks."""

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from directory import kinds
from directory.models import Organisation, SourceArticle
from directory.sources import intake


def _record_models():
    """The kinds of record an article can propose, by name."""
    return {kind.name: kind.model for kind in kinds.all_kinds() if kind.proposable}


def _can(user, action, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def _change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _resolve(mentions, article):
    """Mentions with their records loaded, one query per model."""
    by_label = {}
    for mention in mentions:
        by_label.setdefault(mention.key[0], []).append(mention.key[1])
    models = {m._meta.label_lower: m for m in _record_models().values()}
    records = {}
    for label, pks in by_label.items():
        for pk, record in models[label].objects.in_bulk(pks).items():
            records[(label, pk)] = record
    rows = []
    for mention in mentions:
        record = records.get(mention.key)
        if record is None:
            continue
        cited = record.citations.filter(article=article, quote=mention.sentence).exists()
        opts = record._meta
        rows.append(
            {
                "mention": mention,
                "record": record,
                "type": opts.verbose_name,
                "url": _change_url(record),
                "cited": cited,
            }
        )
    return rows


def propose_entries_view(model_admin, request, object_id):
    article = get_object_or_404(SourceArticle, pk=object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    models = _record_models()
    candidates = intake.record_candidates(models.values())
    mentions = intake.find_mentions(article.cleaned_text, candidates)
    proposals = intake.propose_records(article.cleaned_text, candidates)

    if request.method == "POST":
        if "link" in request.POST:
            _link(request, article, mentions)
        elif "create" in request.POST:
            _create(request, article, proposals, models)
        return redirect(request.path)

    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Propose entries from “%(article)s”") % {"article": article},
        "opts": SourceArticle._meta,
        "article": article,
        "mentions": _resolve(mentions, article),
        "proposals": proposals,
        "record_types": [(key, model._meta.verbose_name) for key, model in models.items()],
        "can_cite": _can(request.user, "add", intake.Citation),
    }
    return TemplateResponse(request, "admin/directory/sourcearticle/propose.html", context)


def _link(request, article, mentions):
    if not _can(request.user, "add", intake.Citation):
        raise PermissionDenied
    label, _sep, pk = request.POST["link"].rpartition(":")
    mention = next((m for m in mentions if m.key == (label, int(pk or 0))), None)
    if mention is None:
        messages.error(request, _("That record is no longer mentioned in the article."))
        return
    model = {m._meta.label_lower: m for m in _record_models().values()}[label]
    record = model.objects.get(pk=mention.key[1])
    _citation, created = intake.cite(record, article, mention.sentence, request.user)
    if created:
        messages.success(request, _("Citation added to “%(record)s”.") % {"record": record})
    else:
        messages.info(request, _("“%(record)s” already cites this sentence.") % {"record": record})


def _create(request, article, proposals, models):
    chosen = set(request.POST.getlist("create"))
    created = []
    for proposal in proposals:
        if proposal.name not in chosen:
            continue
        record_type = request.POST.get(f"type:{proposal.name}", proposal.model)
        model = models.get(record_type)
        if model is None or not _can(request.user, "add", model):
            raise PermissionDenied
        # The guessed kind only fits the guessed type; otherwise the model's first kind.
        kind = proposal.kind if record_type == proposal.model else model.Kind.values[0]
        if record_type == "organisation" and record_type != proposal.model:
            kind = Organisation.Kind.OTHER
        created.append(intake.create_draft(model, proposal, article, request.user, kind=kind))
    for record in created:
        url = _change_url(record)
        messages.success(
            request,
            format_html(
                _(
                    'Draft created: <a href="{url}">{record}</a>. '
                    "Check it before submitting it for review."
                ),
                url=url,
                record=record,
            ),
        )
    if not created:
        messages.warning(request, _("No names were selected."))
