"""The OpenAPI document and the interactive docs."""

from io import StringIO

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_and_validates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stdout=StringIO(),
        stderr=StringIO(),
    )

    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    assert sorted(schema["paths"]) == [
        "/seller/v2/orders",
        "/seller/v2/orders/{orderId}",
        "/seller/v2/orders/{orderId}/shipment-eligibility",
        "/seller/v2/orders/{orderId}/shipments",
    ]


def test_schema_documents_every_error_of_the_declaration(client):
    response = client.get("/seller/v2/schema", {"format": "json"})

    operation = response.json()["paths"]["/seller/v2/orders/{orderId}/shipments"][
        "post"
    ]
    assert sorted(operation["responses"]) == [
        "201",
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "413",
        "415",
        "422",
        "429",
        "500",
    ]
    rejected = operation["responses"]["422"]["content"]["application/problem+json"]
    example = next(iter(rejected["examples"].values()))["value"]
    assert example["errors"][0]["code"] == "cancellation_not_initiated_by_customer"
    request_examples = operation["requestBody"]["content"]["application/json"][
        "examples"
    ]
    assert next(iter(request_examples.values()))["value"]["orderLineIds"] == [
        "LINE_1",
        "LINE_2",
    ]


def test_schema_and_docs_are_served_without_a_token(client):
    schema = client.get("/seller/v2/schema")
    docs = client.get("/seller/v2/docs")

    assert schema.status_code == 200
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
    assert "/seller/v2/schema" in page


def test_docs_assets_are_served_from_the_project_not_a_cdn():
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
