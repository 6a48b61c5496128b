"""The Reviewer group sees everything and changes nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from orders.models import SalesChannel
from tests.factories import announcement_order
from tests.state import order_state

pytestmark = pytest.mark.django_db


def test_reviewer_group_can_only_view_the_back_office_models():
    group = Group.objects.get(name="Reviewer")

    assert sorted(
        group.permissions.values_list("content_type__app_label", "codename")
    ) == [
        ("orders", "view_cancellationrequest"),
        ("orders", "view_order"),
        ("orders", "view_orderline"),
        ("orders", "view_saleschannel"),
        ("orders", "view_seller"),
        ("shipments", "view_shipment"),
        ("shipments", "view_shipmentline"),
        ("shipments", "view_shipmentrequest"),
        ("shipments", "view_shipmentrequesterror"),
        ("shipments", "view_shipmentrequestline"),
    ]


def test_reviewer_sees_the_order_page_and_its_verdicts(reviewer_client):
    order, _line_1, _line_2 = announcement_order()

    response = reviewer_client.get(
        reverse("admin:orders_order_change", args=[order.pk])
    )

    assert response.status_code == 200
    assert [
        (item["line"].order_line_id, item["verdict"].shippable)
        for item in response.context["assessments"]
    ] == [("LINE_1", True), ("LINE_2", True)]


def test_reviewer_cannot_change_the_channel_policy(reviewer_client):
    channel = SalesChannel.objects.get(sales_channel_id="CDISFR")

    response = reviewer_client.post(
        reverse("admin:orders_saleschannel_change", args=[channel.pk]),
        {"sales_channel_id": "CDISFR", "name": "Renamed"},
    )

    assert response.status_code == 403
    channel.refresh_from_db()
    assert (channel.name, channel.ships_customer_cancel_requests) == (
        "Cdiscount France",
        True,
    )


def test_reviewer_can_export_but_not_change_orders(reviewer_client):
    order, _line_1, _line_2 = announcement_order()
    before = order_state(order)

    export = reviewer_client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "export_verdicts_csv", "_selected_action": [order.pk]},
    )
    reviewer_client.post(
        reverse("admin:orders_order_change", args=[order.pk]), {"status": "Cancelled"}
    )

    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert order_state(order) == before
