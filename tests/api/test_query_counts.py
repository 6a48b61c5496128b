"""The number of SQL queries does not grow with lines, parcels or pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.calls import post_shipments
from tests.factories import (
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
)

pytestmark = pytest.mark.django_db


def order_with_lines(order_id, count):
    order = OrderFactory(order_id=order_id)
    for index in range(count):
        OrderLineFactory(order=order, order_line_id=f"LINE_{index + 1}")
    return order


def declaration_queries(api, order_id, line_count):
    body = {
        "parcelNumber": f"PKG-{order_id}",
        "carrierName": "Chronopost",
        "orderLineIds": [f"LINE_{index + 1}" for index in range(line_count)],
    }
    with CaptureQueriesContext(connection) as queries:
        response = post_shipments(api, order_id, body)
    assert response.status_code == 201
    return len(queries)


def test_declaring_50_lines_takes_as_many_queries_as_1_line(api):
    order_with_lines("ONE-LINE", 1)
    order_with_lines("FIFTY-LINES", 50)
    # The token's last use is written by the first call of the minute only.
    api.get("/seller/v2/orders")

    one_line = declaration_queries(api, "ONE-LINE", 1)
    fifty_lines = declaration_queries(api, "FIFTY-LINES", 50)

    assert fifty_lines == one_line


def listing_queries(api, page_size):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/seller/v2/orders", {"pageSize": page_size})
    assert len(response.json()["orders"]) == page_size
    return len(queries)


def test_listing_100_orders_takes_as_many_queries_as_10(api):
    for index in range(100):
        order = OrderFactory(order_id=f"ORDER-{index:03d}")
        OrderLineFactory(order=order)
        CancellationRequestFactory(order_line__order=order)
    # The token's last use is written by the first call of the minute only.
    api.get("/seller/v2/orders")

    ten = listing_queries(api, 10)
    hundred = listing_queries(api, 100)

    assert hundred == ten
