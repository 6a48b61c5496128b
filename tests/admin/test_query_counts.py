"""Lists and the order page read in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import CancellationRequest, OrderLine
from shipments.services import ParcelDeclaration, declare_shipments
from tests.factories import (
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
)

pytestmark = pytest.mark.django_db


def make_orders(count):
    for _ in range(count):
        order = OrderFactory()
        OrderLineFactory(order=order)
        line = OrderLineFactory(order=order, status=OrderLine.Status.CANCEL_REQUEST)
        CancellationRequestFactory(
            order_line=line, initiator=CancellationRequest.Initiator.SELLER
        )
        declare_shipments(
            order=order,
            parcels=[
                ParcelDeclaration("PKG-1", "Chronopost", [line.order_line_id, "NOPE"])
            ],
            declared_by="api-token:warehouse",
        )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:orders_order_changelist",
        "admin:orders_orderline_changelist",
        "admin:orders_cancellationrequest_changelist",
        "admin:shipments_shipmentrequest_changelist",
        "admin:orders_seller_changelist",
    ],
    ids=["orders", "lines", "cancellation-requests", "shipment-requests", "sellers"],
)
def test_list_queries_do_not_grow_with_the_page(operator_client, changelist):
    url = reverse(changelist)
    make_orders(5)
    queries_for(operator_client, url)
    with_five = queries_for(operator_client, url)

    make_orders(45)
    with_fifty = queries_for(operator_client, url)

    assert with_fifty == with_five


def test_shipment_list_queries_do_not_grow_with_the_page(operator_client):
    url = reverse("admin:shipments_shipment_changelist")

    def ship_orders(count):
        for _ in range(count):
            line = OrderLineFactory()
            declare_shipments(
                order=line.order,
                parcels=[
                    ParcelDeclaration("PKG-1", "Chronopost", [line.order_line_id])
                ],
                declared_by="api-token:warehouse",
            )

    ship_orders(5)
    queries_for(operator_client, url)
    with_five = queries_for(operator_client, url)

    ship_orders(45)
    with_fifty = queries_for(operator_client, url)

    assert with_fifty == with_five


def test_order_page_queries_do_not_grow_with_its_lines(operator_client):
    small, large = OrderFactory(), OrderFactory()
    for order, line_count in ((small, 2), (large, 20)):
        for _ in range(line_count):
            line = OrderLineFactory(order=order, status=OrderLine.Status.CANCEL_REQUEST)
            CancellationRequestFactory(order_line=line)
        declare_shipments(
            order=order,
            parcels=[ParcelDeclaration("PKG-1", "Chronopost", ["NOPE"])],
            declared_by="api-token:warehouse",
        )
    queries_for(operator_client, reverse("admin:orders_order_change", args=[small.pk]))

    with_two = queries_for(
        operator_client, reverse("admin:orders_order_change", args=[small.pk])
    )
    with_twenty = queries_for(
        operator_client, reverse("admin:orders_order_change", args=[large.pk])
    )

    assert with_twenty == with_two
