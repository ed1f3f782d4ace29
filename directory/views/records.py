from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from directory.i18n.translation import SOURCE_LANGUAGE, content_language, field_for
from directory.models import (
    Citation,
)  # Detail pages list at most this many of one relation and link to the

# filtered list for the rest, so an organisation with 5,000 programmes
# renders as fast as one with five.
RELATED_CAP = 50


def visible_or_404(queryset, request, **lookup):
    try:
        return queryset.visible_to(request.user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def citations_for(record):
    # Joined on the content type's natural key rather than its cached id, so
    # the page's query count does not depend on a warm ContentType cache.
    meta = record._meta
    return list(
        Citation.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=record.pk,
        )
        .in_published_articles()
        .select_related("article")
    )


def related_labels(*querysets):
    """Several small relations in one UNION query: rows of
    (relation, slug, name, name_zh_hans, name_zh_hant, extra, role)."""
    first, *rest = querysets
    rows = list(first.union(*rest)) if rest else list(first)
    grouped = {}
    for relation, slug, name, zh_hans, zh_hant, extra, role in sorted(
        rows, key=lambda r: (r[0], r[6], r[2])
    ):
        grouped.setdefault(relation, []).append(
            {
                "slug": slug,
                "name": name,
                "name_zh_hans": zh_hans,
                "name_zh_hant": zh_hant,
                "extra": extra,
                "role": role,
            }
        )
    return grouped


def label_rows(queryset, relation, slug="slug", name="name", extra=None, role=None):
    # The Chinese names ride along in the same row, so a Chinese page costs no
    # extra query; the template picks the page's language.
    text = CharField()
    return queryset.order_by().values_list(
        Value(relation, output_field=text),
        slug,
        name,
        f"{name}_zh_hans",
        f"{name}_zh_hant",
        extra or Value("", output_field=text),
        role or Value("", output_field=text),
    )


def in_page_language(column):
    """`column` (a translated name) in the page's language, English if empty."""
    language = content_language()
    if language == SOURCE_LANGUAGE:
        return F(column)
    return Coalesce(NullIf(F(field_for(column, language)), Value("")), F(column))
