"""The API's errors: JSON with the status and, where one is to blame, the
parameter named."""

import json

from django.http import HttpResponse


class ApiError(Exception):
    def __init__(self, status, message, parameter=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter

    def payload(self):
        body = {"error": self.message, "status": self.status}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


def error_response(request, error):
    response = HttpResponse(
        json.dumps(error.payload(), ensure_ascii=False),
        status=error.status,
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response
