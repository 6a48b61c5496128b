"""The order line list: filters, search and the verdict columns."""

import pytest
from django.urls import reverse

from orders.models import Order, OrderLine, SalesChannel
from tests.admin.scenarios import operator_orders

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_orderline_changelist")


def listed_line_ids(response):
    return sorted(line.order_line_id for line in response.context["cl"].result_list)


def test_line_list_shows_each_verdict_with_its_codes(operator_client):
    operator_orders()

    response = operator_client.get(CHANGELIST)

    assert sorted(
        (line.order_line_id, line.shippable_now, line.open_request_initiator)
        for line in response.context["cl"].result_list
    ) == [
        ("ELSEWHERE_LINE", False, None),
        ("FULFILLED_LINE", False, None),
        ("LINE_1", True, None),
        ("LINE_2", True, "Customer"),
        ("SELLER_LINE", False, "Seller"),
    ]
    content = response.content.decode()
    assert content.count('data-verdict="shippable"') == 2
    assert (
        '<code class="mp-code">cancellation_not_initiated_by_customer</code>' in content
    )
    assert '<code class="mp-code">supply_mode_not_seller</code>' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"shippable_now": "yes"}, ["LINE_1", "LINE_2"]),
        (
            {"shippable_now": "no"},
            ["ELSEWHERE_LINE", "FULFILLED_LINE", "SELLER_LINE"],
        ),
        ({"order__status__exact": "Shipped"}, ["ELSEWHERE_LINE"]),
        ({"status__exact": "CancelRequest"}, ["LINE_2", "SELLER_LINE"]),
        ({"order__supply_mode__exact": "Fulfillment"}, ["FULFILLED_LINE"]),
        ({"cancellation_initiator": "Customer"}, ["LINE_2"]),
        ({"cancellation_initiator": "Seller"}, ["SELLER_LINE"]),
        ({"cancellation_initiator": "SalesChannel"}, []),
        (
            {"cancellation_initiator": "none"},
            ["ELSEWHERE_LINE", "FULFILLED_LINE", "LINE_1"],
        ),
    ],
    ids=[
        "shippable",
        "not-shippable",
        "header-status",
        "line-status",
        "supply-mode",
        "customer-cancel",
        "seller-cancel",
        "channel-cancel",
        "no-cancel",
    ],
)
def test_line_list_filters(operator_client, query, expected):
    operator_orders()

    response = operator_client.get(CHANGELIST, query)

    assert listed_line_ids(response) == expected


def test_line_list_filters_by_sales_channel(operator_client):
    operator_orders()
    cdiscount = SalesChannel.objects.get(sales_channel_id="CDISFR")

    response = operator_client.get(
        CHANGELIST, {"order__sales_channel__id__exact": cdiscount.pk}
    )

    assert listed_line_ids(response) == [
        "FULFILLED_LINE",
        "LINE_1",
        "LINE_2",
        "SELLER_LINE",
    ]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("2312011200A1B2", ["LINE_1", "LINE_2"]),
        ("SELLER_LINE", ["SELLER_LINE"]),
        ("PKG-1", ["FULFILLED_LINE"]),
        ("SKU-KETTLE-17", ["LINE_1"]),
        ("nothing-like-this", []),
    ],
    ids=["order-id", "order-line-id", "parcel-number", "seller-product-id", "none"],
)
def test_line_list_search(operator_client, term, expected):
    operator_orders()
    fulfilled = Order.objects.get(order_id="FULFILLED")
    parcel = fulfilled.shipments.create(
        parcel_number="PKG-1", carrier_name="Chronopost", declared_by="operator"
    )
    parcel.lines.add(fulfilled.lines.get())

    response = operator_client.get(CHANGELIST, {"q": term})

    assert listed_line_ids(response) == expected


def test_line_page_is_read_only(operator_client):
    orders = operator_orders()
    line = orders["lines"][0]

    page = operator_client.get(reverse("admin:orders_orderline_change", args=[line.pk]))
    operator_client.post(
        reverse("admin:orders_orderline_change", args=[line.pk]),
        {"status": OrderLine.Status.CANCELLED, "quantity": 9},
    )

    assert page.status_code == 200
    line.refresh_from_db()
    assert (line.status, line.quantity) == (OrderLine.Status.IN_PREPARATION, 1)
