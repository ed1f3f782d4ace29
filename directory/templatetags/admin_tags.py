from django import template
from django.utils.formats import number_format

from directory.admin.queue import review_queue as queue_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue(context):
    """The review queue's rows for the signed-in user (see directory.admin.queue)."""
    return queue_rows(context["request"].user)


@register.simple_tag
def search_text_waiting():
    """(how many, listed since) of the records whose search text a rename
    left to `manage.py refresh_search_text`; None when there are none. Staff
    then see a rename still in progress, or a schedule that is not running."""
    from django.db.models import Count, Min

    from directory.models import PendingSearchText

    waiting = PendingSearchText.objects.aggregate(n=Count("pk"), since=Min("queued_at"))
    if not waiting["n"]:
        return None
    # "17,663", as the message at the rename said it.
    return {**waiting, "shown": number_format(waiting["n"], force_grouping=True)}
