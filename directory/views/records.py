from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, NullIf

from directory import references
from directory.i18n.translation import SOURCE_LANGUAGE, content_language, field_for
from directory.models import Citation
from directory.prepared import prepared

# Detail pages list at most this many of one relation and link to the
# filtered list for the rest, so an organisation with 5,000 programmes
# renders as fast as one with five.
RELATED_CAP = 50

# What a page reads of a record it shows only as a link to it, under its
# name in the page's language (`translated`, which reads `zh_official` when
# loaded).
LINK_COLUMNS = ("slug", "status", "name", "name_zh_hans", "name_zh_hant", "zh_official")


def citations_for(record):
    """The record's citations, numbered as the page's references."""
    return citations_with(record, None)[0]


def citations_with(record, also):
    """(the record's citations, numbered; those of `also`, a related record
    such as a service's programme, or [] when it is None), in one query."""
    records = [one for one in (record, also) if one is not None]
    found = _citations(
        *(one.pk for one in records),
        kinds=tuple((one._meta.app_label, one._meta.model_name) for one in records),
    )
    own = references.number([c for c in found if _is_of(c, record)])
    return own, [c for c in found if also is not None and _is_of(c, also)]


@prepared
def _citations(*pks, kinds):
    """The citations, in published articles, of the records `pks` of `kinds`
    ((app label, model name) each)."""
    # Joined on the content type's natural key rather than its cached id, so
    # the page's query count does not depend on a warm ContentType cache.
    wanted = Q()
    for (app_label, model_name), pk in zip(kinds, pks, strict=True):
        wanted |= Q(content_type__app_label=app_label, content_type__model=model_name, object_id=pk)
    return (
        Citation.objects.filter(wanted)
        .in_published_articles()
        .select_related("article", "content_type")
        # A reference shows the article's title, publisher and date, never
        # its text (several kilobytes, twice over).
        .defer("article__raw_text", "article__cleaned_text")
    )


def _is_of(citation, record):
    kind = citation.content_type
    meta = record._meta
    return (kind.app_label, kind.model, citation.object_id) == (
        meta.app_label,
        meta.model_name,
        record.pk,
    )


LABEL_COLUMNS = (
    "relation",
    "slug",
    "name",
    "name_zh_hans",
    "name_zh_hant",
    "extra",
    "role",
    "website",
    "email",
    "phone",
)


def label_union(*querysets):
    """Several small relations (label_rows) in one UNION query: rows of
    LABEL_COLUMNS (grouped_labels groups them by relation)."""
    first, *rest = querysets
    return first.union(*rest) if rest else first


def grouped_labels(rows):
    """Label rows (tuples of LABEL_COLUMNS) as {relation: [label, ...]}."""
    grouped = {}
    for row in sorted(rows, key=lambda r: (r[0], r[6], r[2])):
        label = dict(zip(LABEL_COLUMNS, row, strict=True))
        grouped.setdefault(label.pop("relation"), []).append(label)
    return grouped


def label_rows(queryset, relation, slug="slug", name="name", extra=None, role=None, contact=None):
    # The Chinese names ride along in the same row, so a Chinese page costs no
    # extra query; the template picks the page's language. `contact` (a path
    # to an organisation, e.g. "organisation__") adds its public website,
    # email and phone, for "how to get involved".
    text = CharField()
    empty = Value("", output_field=text)
    contacts = (
        [f"{contact}{field}" for field in ("website", "email", "phone")]
        if contact is not None
        else [empty, empty, empty]
    )
    return queryset.order_by().values_list(
        Value(relation, output_field=text),
        slug,
        name,
        f"{name}_zh_hans",
        f"{name}_zh_hant",
        extra or empty,
        role or empty,
        *contacts,
    )


def in_page_language(column):
    """`column` (a translated name) in the page's language, English if empty."""
    language = content_language()
    if language == SOURCE_LANGUAGE:
        return F(column)
    return Coalesce(NullIf(F(field_for(column, language)), Value("")), F(column))
