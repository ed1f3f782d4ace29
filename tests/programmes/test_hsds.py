"""HSDS 3.0: every exported object validates against Open Referral's JSON
Schemas (copied into tests/standards/hsds-3.0/), and the tabular package
holds the same records."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from programmes.hsds import hsds_id, pk_from
from programmes.models import Programme
from tests import factories

SCHEMAS = Path(__file__).resolve().parents[1] / "standards" / "hsds-3.0" / "schema"
TABLES = {
    "organizations": "organization.json",
    "programs": "program.json",
    "services": "service.json",
    "service_at_locations": "service_at_location.json",
}


def registry():
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = registry()


def validator(name):
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())


@pytest.fixture
def catalogue(db):
    data = factories.catalogue(8)
    data["cities"][0].latitude, data["cities"][0].longitude = 30.66, 104.06
    data["cities"][0].name_zh_hans = "成都"
    data["cities"][0].save()
    record = data["programmes"][0]
    record.name_zh_hans, record.name_zh_hant = "出海服务中心", "出海服務中心"
    record.save()
    contactable = data["organisations"][0]
    contactable.email, contactable.phone = "enquiry@example.org", "+852 2788 5678"
    contactable.save()
    return data


def errors_in(client, table, schema):
    check = validator(schema)
    errors, objects = [], []
    page = 1
    while True:
        response = client.get(f"/api/hsds/{table}?page={page}&per_page=5")
        assert response.status_code == 200
        body = json.loads(response.content)
        for item in body["contents"]:
            objects.append(item)
            errors += [f"{table} {item.get('id')}: {e.message}" for e in check.iter_errors(item)]
            detail = client.get(f"/api/hsds/{table}/{item['id']}")
            assert detail.status_code == 200
            errors += [e.message for e in check.iter_errors(json.loads(detail.content))]
        if body["last_page"]:
            return errors, objects
        page += 1


@pytest.mark.parametrize("table,schema", TABLES.items())
def test_every_exported_object_is_valid_hsds_3(client, catalogue, table, schema):
    errors, objects = errors_in(client, table, schema)
    assert objects, table
    assert errors == []


def test_translations_and_citations_travel_as_attributes(client, catalogue):
    record = catalogue["programmes"][0]
    body = json.loads(client.get(f"/api/hsds/programs/{hsds_id('program', record.pk)}").content)
    values = {(a["taxonomy_term"]["code"], a["value"]) for a in body["attributes"]}
    assert ("translation:name:zh-hans", "出海服务中心") in values
    assert ("translation:name:zh-hant", "出海服務中心") in values
    cited = [json.loads(v) for code, v in values if code == "citation"]
    assert cited[0]["quote"] == "Quote one."
    assert body["metadata"][0]["last_action_type"] == "update"


def test_ids_read_back_and_unpublished_records_are_not_exported(client, catalogue):
    assert pk_from("service", hsds_id("service", 12345)) == 12345
    assert pk_from("service", hsds_id("program", 12345)) is None
    hidden = [
        ("organizations", "organization", factories.organisation("Hidden", status="draft")),
        ("programs", "program", factories.programme("Hidden", status="in_review")),
        ("services", "service", factories.service("Hidden", status="archived")),
    ]
    package = zipfile.ZipFile(io.BytesIO(client.get("/api/hsds/hsds.zip").content))
    for table, kind, record in hidden:
        rid = hsds_id(kind, record.pk)
        assert client.get(f"/api/hsds/{table}/{rid}").status_code == 404
        listed = json.loads(client.get(f"/api/hsds/{table}?per_page=200").content)["contents"]
        assert rid not in {item["id"] for item in listed}
        assert rid not in package.read(f"{table}.csv").decode()
        assert "Hidden" not in package.read(f"{table}.csv").decode()


def test_the_tabular_package_describes_its_csv_files(client, catalogue):
    response = client.get("/api/hsds/hsds.zip")
    assert response["Content-Type"] == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.content))
    descriptor = json.loads(package.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        rows = list(csv.DictReader(io.StringIO(package.read(resource["path"]).decode("utf-8"))))
        names = [field["name"] for field in resource["schema"]["fields"]]
        assert list(rows[0]) == names if rows else True
    organisations = list(
        csv.DictReader(io.StringIO(package.read("organizations.csv").decode("utf-8")))
    )
    assert len(organisations) == len(catalogue["organisations"])
    check = validator("organization.json")
    for row in organisations:
        item = {k: v for k, v in row.items() if v or k == "description"}
        assert list(check.iter_errors(item)) == []
    locations = package.read("locations.csv").decode("utf-8")
    assert "30.66" in locations
    assert "成都" in package.read("attributes.csv").decode("utf-8")


def test_bad_input_is_a_json_400_or_404(client, db):
    assert client.get("/api/hsds/services?page=0").status_code == 400
    assert client.get("/api/hsds/services?colour=red").status_code == 400
    assert client.get("/api/hsds/services/not-a-uuid").status_code == 404
    assert client.get("/api/hsds/services?page=9").status_code == 404


def test_queries_per_page_do_not_grow_with_the_data(client, db, django_assert_max_num_queries):
    factories.catalogue(4)
    for size in (4, 60):
        if size == 60:
            factories.catalogue(56)
        for table in TABLES:
            with django_assert_max_num_queries(4):
                assert client.get(f"/api/hsds/{table}?per_page=200").status_code == 200


def test_services_of_unpublished_providers_or_unpublished_services_have_no_location(
    client, catalogue
):
    city = catalogue["cities"][0]
    shown = factories.service("Shown", provider=factories.organisation("Shown", region=city))
    hidden_provider = factories.organisation("Hidden provider", status="draft", region=city)
    hidden = [
        factories.service("Hidden", status="draft", provider=shown.provider),
        factories.service("Shown but provider hidden", provider=hidden_provider),
    ]
    listed = json.loads(client.get("/api/hsds/service_at_locations?per_page=200").content)
    ids = {item["id"] for item in listed["contents"]}
    package = zipfile.ZipFile(io.BytesIO(client.get("/api/hsds/hsds.zip").content))
    in_package = package.read("service_at_locations.csv").decode()
    assert hsds_id("service_at_location", shown.pk) in ids
    assert hsds_id("service_at_location", shown.pk) in in_package
    for record in hidden:
        rid = hsds_id("service_at_location", record.pk)
        assert rid not in ids and rid not in in_package
        assert client.get(f"/api/hsds/service_at_locations/{rid}").status_code == 404
    assert "Hidden" not in package.read("organizations.csv").decode()
    assert "Hidden" not in package.read("attributes.csv").decode()


def test_the_tabular_package_runs_a_fixed_number_of_queries(
    client, db, django_assert_max_num_queries, monkeypatch
):
    # Records stream in chunks of 7: a query per chunk, or per record, would
    # show at either size.
    monkeypatch.setattr("programmes.hsds.tabular.CHUNK", 7)
    factories.catalogue(4)
    for size in (4, 40):
        if size == 40:
            factories.catalogue(36)
        # Each table's records, plus one query per relation they refer to.
        with django_assert_max_num_queries(9):
            response = client.get("/api/hsds/hsds.zip")
        package = zipfile.ZipFile(io.BytesIO(response.content))
        rows = list(csv.DictReader(io.StringIO(package.read("programs.csv").decode("utf-8"))))
        assert len(rows) == Programme.objects.published().count() > size


def test_an_organisations_public_email_and_phone_are_exported(client, catalogue):
    contactable = catalogue["organisations"][0]
    rid = hsds_id("organization", contactable.pk)
    item = json.loads(client.get(f"/api/hsds/organizations/{rid}").content)
    assert item["email"] == "enquiry@example.org"
    assert [phone["number"] for phone in item["phones"]] == ["+852 2788 5678"]
    assert list(validator("organization.json").iter_errors(item)) == []
    api = json.loads(client.get(f"/api/v1/organisations/{contactable.slug}").content)
    assert (api["email"], api["phone"]) == ("enquiry@example.org", "+852 2788 5678")
