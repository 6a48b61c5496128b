"""Hostile requests get a clear 4xx problem and change nothing.

Every case posts to, or reads, the announcement order: the answer names
the problem with a stable code, the order is as it was, no parcel exists,
and a refused declaration leaves exactly one rejected audit record.
"""

import json

import pytest

from orders.models import CancellationRequest, OrderLine
from shipments.models import Shipment, ShipmentLine, ShipmentRequest
from tests.api.calls import PARCEL, eligibility_url, order_url, shipments_url
from tests.factories import announcement_order
from tests.state import order_state

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ORDER_ID = "2312011200A1B2"


def parcel_json(**fields):
    return json.dumps({**PARCEL, **fields}).encode()


def nested(depth):
    return ("[" * depth + "]" * depth).encode()


# (raw body, status, problem code, the errors' (field, code) pairs)
HOSTILE_BODIES = {
    "invalid utf-8": (
        b'{"parcelNumber": "PKG-\xff\xfe", "carrierName": "Chronopost"}',
        400,
        "invalid_encoding",
        [("body", "invalid_encoding")],
    ),
    "latin-1 body": (
        parcel_json(carrierName="La Poste").replace(b"La Poste", b"Exp\xe9dition"),
        400,
        "invalid_encoding",
        [("body", "invalid_encoding")],
    ),
    "utf-16 body": (
        json.dumps(PARCEL).encode("utf-16"),
        400,
        "invalid_encoding",
        [("body", "invalid_encoding")],
    ),
    "escaped null byte in a string": (
        parcel_json(parcelNumber="PKG-\x00123"),
        400,
        "null_character",
        [("body", "null_character")],
    ),
    "escaped null byte in a member name": (
        json.dumps({**PARCEL, "carrier\x00Name": "x"}).encode(),
        400,
        "null_character",
        [("body", "null_character")],
    ),
    "raw null byte": (
        parcel_json().replace(b"Chronopost", b"Chrono\x00post"),
        400,
        "parse_error",
        [("body", "parse_error")],
    ),
    "ten megabytes": (
        parcel_json(carrierName="C" * 10 * 1024 * 1024),
        413,
        "request_too_large",
        [("body", "request_too_large")],
    ),
    "ten thousand line ids": (
        parcel_json(orderLineIds=[f"LINE_{n}" for n in range(10_000)]),
        400,
        "max_length",
        [("orderLineIds", "max_length")],
    ),
    "a hundred and one parcels": (
        json.dumps([PARCEL] * 101).encode(),
        400,
        "too_many_parcels",
        [("body", "too_many_parcels")],
    ),
    "nested eleven levels": (nested(11), 400, "too_deep", [("body", "too_deep")]),
    "nested a hundred thousand levels": (
        nested(100_000),
        400,
        "too_deep",
        [("body", "too_deep")],
    ),
    "number as parcel number": (
        parcel_json(parcelNumber=123456),
        400,
        "invalid",
        [("parcelNumber", "invalid")],
    ),
    "numbers as line ids": (
        parcel_json(orderLineIds=[1, 2]),
        400,
        "invalid",
        [("orderLineIds[0]", "invalid"), ("orderLineIds[1]", "invalid")],
    ),
    "object as carrier name": (
        parcel_json(carrierName={"name": "Chronopost"}),
        400,
        "invalid",
        [("carrierName", "invalid")],
    ),
    "javascript tracking url": (
        parcel_json(trackingUrl="javascript:alert(document.cookie)"),
        400,
        "invalid",
        [("trackingUrl", "invalid")],
    ),
    "file tracking url": (
        parcel_json(trackingUrl="file:///etc/passwd"),
        400,
        "invalid",
        [("trackingUrl", "invalid")],
    ),
    "data tracking url": (
        parcel_json(trackingUrl="data:text/html,<script>alert(1)</script>"),
        400,
        "invalid",
        [("trackingUrl", "invalid")],
    ),
    "very long parcel number": (
        parcel_json(parcelNumber="P" * 100_000),
        400,
        "max_length",
        [("parcelNumber", "max_length")],
    ),
    "very long line id": (
        parcel_json(orderLineIds=["L" * 65]),
        400,
        "max_length",
        [("orderLineIds[0]", "max_length")],
    ),
    "very long tracking url": (
        parcel_json(trackingUrl="https://t.example/" + "a" * 600),
        400,
        "max_length",
        [("trackingUrl", "max_length")],
    ),
    "duplicate member": (
        b'{"parcelNumber": "PKG-1", "parcelNumber": "PKG-2", '
        b'"carrierName": "Chronopost", "orderLineIds": ["LINE_1"]}',
        400,
        "duplicate_key",
        [("body", "duplicate_key")],
    ),
    "duplicate member in a nested object": (
        b'[{"parcelNumber": "PKG-1", "carrierName": "A", "carrierName": "B", '
        b'"orderLineIds": ["LINE_1"]}]',
        400,
        "duplicate_key",
        [("body", "duplicate_key")],
    ),
    "byte order mark": (
        b"\xef\xbb\xbf" + parcel_json(),
        400,
        "parse_error",
        [("body", "parse_error")],
    ),
    "not a number": (
        parcel_json().replace(b'"Chronopost"', b"NaN"),
        400,
        "parse_error",
        [("body", "parse_error")],
    ),
    "a bare string": (b'"PKG-1"', 400, "invalid_body", [("body", "invalid_body")]),
    "json null": (b"null", 400, "invalid_body", [("body", "invalid_body")]),
    "empty array": (b"[]", 400, "empty", [("body", "empty")]),
    "truncated json": (
        parcel_json()[:-5],
        400,
        "parse_error",
        [("body", "parse_error")],
    ),
}


@pytest.mark.parametrize(
    ("body", "status", "code", "errors"),
    list(HOSTILE_BODIES.values()),
    ids=list(HOSTILE_BODIES),
)
def test_hostile_body_is_refused_and_changes_nothing(api, body, status, code, errors):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = api.generic(
        "POST", shipments_url(ORDER_ID), body, content_type="application/json"
    )

    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == code
    assert [(error["field"], error["code"]) for error in problem["errors"]] == errors
    assert order_state(order) == before
    assert Shipment.objects.count() == 0
    assert ShipmentLine.objects.count() == 0
    assert list(ShipmentRequest.objects.values_list("outcome", "http_status")) == [
        ("Rejected", status)
    ]
    assert set(OrderLine.objects.values_list("order_line_id", "status")) == {
        ("LINE_1", "InPreparation"),
        ("LINE_2", "CancelRequest"),
    }
    assert CancellationRequest.objects.filter(state="Open").count() == 1


HOSTILE_HEADERS = {
    "control character in the idempotency key": (
        {"Idempotency-Key": "key\x07"},
        400,
        "invalid",
    ),
    "idempotency key of 256 characters": (
        {"Idempotency-Key": "k" * 256},
        400,
        "invalid",
    ),
    "seller id of another seller": ({"SellerId": "11111"}, 403, "seller_id_mismatch"),
    "text content type": (
        {"Content-Type": "text/plain"},
        415,
        "unsupported_media_type",
    ),
}


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    list(HOSTILE_HEADERS.values()),
    ids=list(HOSTILE_HEADERS),
)
def test_hostile_header_is_refused_and_changes_nothing(api, headers, status, code):
    order, _, _ = announcement_order()
    before = order_state(order)
    content_type = headers.pop("Content-Type", "application/json")

    response = api.generic(
        "POST",
        shipments_url(ORDER_ID),
        json.dumps(PARCEL).encode(),
        content_type=content_type,
        headers=headers,
    )

    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == code
    assert order_state(order) == before
    assert Shipment.objects.count() == 0


HOSTILE_READS = {
    "null byte in the order id": (
        order_url("2312011200\x00A1B2"),
        404,
        "order_not_found",
    ),
    "null byte in the eligibility path": (
        eligibility_url("\x00"),
        404,
        "order_not_found",
    ),
    "very long order id": (order_url("9" * 10_000), 404, "order_not_found"),
    "script in the order id": (
        order_url("<script>alert(1)<script>"),
        404,
        "order_not_found",
    ),
    "slash-separated script in the order id": (
        order_url("<script>alert(1)</script>"),
        404,
        "not_found",
    ),
    "null byte in a filter": ("/seller/v2/orders?salesChannelId=CD%00", 400, None),
    "time offset beyond postgresql's": (
        "/seller/v2/orders?updatedAtMin=2026-11-29T17:40:11%2B21:35",
        200,
        None,
    ),
    "time that leaves the calendar in utc": (
        "/seller/v2/orders?updatedAtMin=0001-01-01T00:00:00%2B05:00",
        400,
        "invalid",
    ),
    "page index beyond the bound": (
        "/seller/v2/orders?pageIndex=99999999999",
        400,
        None,
    ),
    "page size beyond the bound": ("/seller/v2/orders?pageSize=101", 400, None),
    "negative page size": ("/seller/v2/orders?pageSize=-1", 400, None),
    "unknown status": ("/seller/v2/orders?status=Lost", 400, "invalid_choice"),
}


@pytest.mark.parametrize(
    ("url", "status", "code"),
    list(HOSTILE_READS.values()),
    ids=list(HOSTILE_READS),
)
def test_hostile_read_is_answered_without_error_and_changes_nothing(
    api, url, status, code
):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = api.get(url)

    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == status
    if code is not None:
        assert response.json()["code"] == code
    assert order_state(order) == before
    assert ShipmentRequest.objects.count() == 0
