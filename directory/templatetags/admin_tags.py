from django import template

from directory.admin.queue import review_queue as queue_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue(context):
    """The review queue's rows for the signed-in user (see directory.admin.queue)."""
    return queue_rows(context["request"].user)
