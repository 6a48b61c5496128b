"""Parcels and shipment requests: read-only, and searchable by reason."""

import pytest
from django.urls import reverse

from shipments.models import Shipment, ShipmentRequest
from shipments.services import (
    DeclarationError,
    ParcelDeclaration,
    declare_shipments,
    record_refused_call,
    record_replayed_call,
)
from tests.admin.scenarios import seller_cancel_request_order
from tests.factories import OrderFactory, announcement_order

pytestmark = pytest.mark.django_db

REQUESTS = reverse("admin:shipments_shipmentrequest_changelist")


@pytest.fixture
def declarations():
    order, _line_1, _line_2 = announcement_order()
    seller_order, _seller_line = seller_cancel_request_order()
    shipped_order = OrderFactory(order_id="SHIPPED-LATER")
    rejected_seller = declare_shipments(
        order=seller_order,
        parcels=[ParcelDeclaration("PKG-S", "Chronopost", ["SELLER_LINE"])],
        declared_by="api-token:warehouse",
    )
    rejected_missing = declare_shipments(
        order=order,
        parcels=[ParcelDeclaration("PKG-M", "Chronopost", ["LINE_7"])],
        declared_by="api-token:warehouse",
    )
    accepted = declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                "PKG-123456",
                "Chronopost",
                ["LINE_1", "LINE_2"],
                "https://tracking.example.com/PKG-123456",
            )
        ],
        declared_by="api-token:warehouse",
    )
    return {
        "rejected_seller": rejected_seller.shipment_request,
        "rejected_missing": rejected_missing.shipment_request,
        "accepted": accepted.shipment_request,
        "shipped_order": shipped_order,
    }


def listed(response):
    return [request.pk for request in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["accepted", "rejected_missing", "rejected_seller"]),
        ({"outcome__exact": "Rejected"}, ["rejected_missing", "rejected_seller"]),
        ({"outcome__exact": "Accepted"}, ["accepted"]),
        (
            {"errors__code": "cancellation_not_initiated_by_customer"},
            ["rejected_seller"],
        ),
        ({"errors__code": "line_not_found"}, ["rejected_missing"]),
        ({"q": "SELLER_LINE"}, ["rejected_seller"]),
        ({"q": "PKG-123456"}, ["accepted"]),
    ],
    ids=[
        "all",
        "rejected",
        "accepted",
        "seller-cancel-code",
        "line-not-found-code",
        "search-line",
        "search-parcel",
    ],
)
def test_shipment_request_list_filters(operator_client, declarations, query, expected):
    response = operator_client.get(REQUESTS, query)

    assert listed(response) == [declarations[name].pk for name in expected]


def test_shipment_request_list_offers_the_recorded_reason_codes(
    operator_client, declarations
):
    response = operator_client.get(REQUESTS)

    [code_filter] = [
        spec
        for spec in response.context["cl"].filter_specs
        if spec.title == "reason code"
    ]
    assert list(code_filter.lookup_choices) == [
        "cancellation_not_initiated_by_customer",
        "line_not_found",
    ]


def test_shipment_request_page_shows_body_reasons_and_checks(
    operator_client, declarations
):
    shipment_request = declarations["rejected_seller"]

    response = operator_client.get(
        reverse("admin:shipments_shipmentrequest_change", args=[shipment_request.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="col">parcelNumber</th>' in content
    assert "<td>PKG-S</td><td>Chronopost</td><td>—</td><td>SELLER_LINE</td>" in content
    assert (
        '<code class="mp-code">cancellation_not_initiated_by_customer</code>' in content
    )
    assert "Cancellation was initiated by the customer" in content
    assert 'data-verdict="not-shippable"' in content
    assert "{&#x27;" not in content


def test_unreadable_body_is_shown_as_received(operator_client):
    seller_order, _line = seller_cancel_request_order()
    refused = record_refused_call(
        seller=seller_order.seller,
        requested_order_id="SELLER-CANCEL",
        declared_by="api-token:warehouse",
        request_body="not a parcel",
        errors=[DeclarationError("parse_error", "The body is not JSON.", field="")],
        http_status=400,
    )

    response = operator_client.get(
        reverse("admin:shipments_shipmentrequest_change", args=[refused.pk])
    )

    content = response.content.decode()
    assert "Neither a parcel nor a list of parcels; received as:" in content
    assert "&#x27;not a parcel&#x27;" in content
    assert '<code class="mp-code">parse_error</code>' in content


def test_shipment_list_and_page(operator_client, declarations):
    parcel = Shipment.objects.get(parcel_number="PKG-123456")

    listing = operator_client.get(
        reverse("admin:shipments_shipment_changelist"), {"q": "LINE_2"}
    )
    page = operator_client.get(
        reverse("admin:shipments_shipment_change", args=[parcel.pk])
    )

    assert [shipment.pk for shipment in listing.context["cl"].result_list] == [
        parcel.pk
    ]
    assert page.status_code == 200
    assert "LINE_1, LINE_2" in page.content.decode()


@pytest.mark.parametrize(
    ("model", "name"),
    [(Shipment, "shipment"), (ShipmentRequest, "shipmentrequest")],
    ids=["shipment", "shipment-request"],
)
def test_shipments_and_requests_cannot_be_added_changed_or_deleted(
    operator_client, declarations, model, name
):
    record = model.objects.order_by("pk").first()
    before = list(model.objects.order_by("pk").values())

    add = operator_client.get(reverse(f"admin:shipments_{name}_add"))
    change = operator_client.post(
        reverse(f"admin:shipments_{name}_change", args=[record.pk]),
        {"declared_by": "someone else"},
    )
    delete = operator_client.post(
        reverse(f"admin:shipments_{name}_delete", args=[record.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (
        403,
        403,
        403,
    )
    assert list(model.objects.order_by("pk").values()) == before


def test_a_replayed_call_points_at_the_call_it_repeats(operator_client):
    order, _, _ = announcement_order()
    original = declare_shipments(
        order=order,
        parcels=[ParcelDeclaration("PKG-1", "Chronopost", ["LINE_1"])],
        declared_by="api-token:warehouse",
        idempotency_key="retry-1",
    ).shipment_request
    replay = record_replayed_call(
        seller=order.seller,
        order=order,
        original=original,
        declared_by="api-token:warehouse",
        request_body=original.body,
        idempotency_key="retry-1",
        http_status=201,
    )

    page = operator_client.get(
        reverse("admin:shipments_shipmentrequest_change", args=[replay.pk])
    )
    replays_only = operator_client.get(REQUESTS, {"replay_of__isempty": "0"})

    assert page.status_code == 200
    original_url = reverse("admin:shipments_shipmentrequest_change", args=[original.pk])
    assert (
        f'<a href="{original_url}">the call of '
        f"{original.created_at.isoformat(timespec='seconds')}</a>: its answer was "
        "sent again, nothing was decided anew"
    ) in page.content.decode()
    assert list(replays_only.context["cl"].result_list) == [replay]
