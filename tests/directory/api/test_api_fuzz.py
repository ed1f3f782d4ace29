"""Schemathesis against the WSGI app, in process: no server error and no
answer that differs from what the OpenAPI document says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def data(db):
    # Called straight, the WSGI handler sends request_started/finished, whose
    # close_old_connections would close the test's connection mid-transaction
    # on PostgreSQL; Django's test client disconnects it the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    catalogue = factories.catalogue(6)
    factories.programme("Hidden", status="draft")
    yield catalogue
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_openapi_document(case, data):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
