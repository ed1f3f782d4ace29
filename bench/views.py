from django.http import HttpResponse

from bench.constant import BODY


def constant_page(request):
    # The ceiling: everything a page pays for (middleware, session and CSRF
    # machinery, response handling) except its own queries and template.
    return HttpResponse(BODY)
