"""The order list and the order page."""

import pytest
from django.urls import reverse

from orders.models import Order, SalesChannel
from shipments.services import ParcelDeclaration, declare_shipments
from tests.admin.scenarios import operator_orders, seller_cancel_request_order
from tests.factories import announcement_order
from tests.state import order_state

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_order_changelist")


def order_page(client, order):
    return client.get(reverse("admin:orders_order_change", args=[order.pk]))


def listed_order_ids(response):
    return [order.order_id for order in response.context["cl"].result_list]


def verdicts_on_page(response):
    return [
        (
            item["line"].order_line_id,
            item["verdict"].shippable,
            [str(code) for code in item["verdict"].reason_codes],
        )
        for item in response.context["assessments"]
    ]


def test_order_page_shows_both_announcement_lines_shippable(operator_client):
    order, _line_1, _line_2 = announcement_order()

    response = order_page(operator_client, order)

    assert response.status_code == 200
    assert verdicts_on_page(response) == [("LINE_1", True, []), ("LINE_2", True, [])]
    content = response.content.decode()
    assert 'data-line="LINE_1" data-shippable="yes"' in content
    assert 'data-line="LINE_2" data-shippable="yes"' in content
    assert "Cancellation was initiated by the customer" in content
    assert "The customer asked to cancel." in content
    assert "<strong>2 of 2</strong> lines can be declared shipped now." in content


def test_order_page_explains_why_a_seller_cancel_request_line_cannot_ship(
    operator_client,
):
    order, _line = seller_cancel_request_order()

    response = order_page(operator_client, order)

    assert verdicts_on_page(response) == [
        ("SELLER_LINE", False, ["cancellation_not_initiated_by_customer"])
    ]
    content = response.content.decode()
    assert 'data-line="SELLER_LINE" data-shippable="no"' in content
    assert (
        '<code class="mp-code">cancellation_not_initiated_by_customer</code>' in content
    )
    assert (
        "The cancellation was initiated by Seller; only a customer&#x27;s "
        "request lets the line ship." in content
    )
    assert '<dd class="mp-initiator"><strong>Seller</strong></dd>' in content
    assert "Out of stock" in content


def test_order_page_shows_parcels_and_every_shipment_request(operator_client):
    order, _line_1, _line_2 = announcement_order()
    declare_shipments(
        order=order,
        parcels=[ParcelDeclaration("PKG-1", "Chronopost", ["LINE_1", "LINE_9"])],
        declared_by="api-token:warehouse",
    )
    declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                "PKG-2", "Colissimo", ["LINE_1"], "https://tracking.example.com/2"
            )
        ],
        declared_by="api-token:warehouse",
    )

    response = order_page(operator_client, order)

    content = response.content.decode()
    assert [
        (item["request"].outcome, [subject for subject, _ in item["errors"]])
        for item in response.context["shipment_requests"]
    ] == [("Accepted", []), ("Rejected", ["LINE_9"])]
    assert '<code class="mp-code">line_not_found</code>' in content
    assert (
        "<td>PKG-1</td><td>Chronopost</td><td>—</td><td>LINE_1, LINE_9</td>" in content
    )
    assert "api-token:warehouse" in content
    assert '"parcelNumber"' not in content
    assert [shipment.parcel_number for shipment in response.context["shipments"]] == [
        "PKG-2"
    ]


def test_order_page_changes_nothing_when_posted(operator_client):
    order, _line_1, _line_2 = announcement_order()
    before = order_state(order)

    operator_client.post(
        reverse("admin:orders_order_change", args=[order.pk]),
        {"status": Order.Status.CANCELLED, "supply_mode": "Fulfillment"},
    )

    assert order_state(order) == before


def test_orders_cannot_be_added_or_deleted_in_the_admin(operator_client):
    order, _line_1, _line_2 = announcement_order()

    add = operator_client.get(reverse("admin:orders_order_add"))
    delete = operator_client.post(
        reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"}
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert Order.objects.filter(pk=order.pk).exists()


def test_order_list_shows_whether_each_order_has_a_shippable_line(operator_client):
    operator_orders()

    response = operator_client.get(CHANGELIST, {"o": "1"})

    assert [
        (order.order_id, order.shippable_now)
        for order in response.context["cl"].result_list
    ] == [
        ("2312011200A1B2", True),
        ("ELSEWHERE", False),
        ("FULFILLED", False),
        ("SELLER-CANCEL", False),
    ]
    assert response.content.decode().count('data-verdict="shippable"') == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"shippable_now": "yes"}, ["2312011200A1B2"]),
        ({"shippable_now": "no"}, ["ELSEWHERE", "FULFILLED", "SELLER-CANCEL"]),
        ({"status__exact": "Shipped"}, ["ELSEWHERE"]),
        (
            {"lines__status__exact": "CancelRequest"},
            ["2312011200A1B2", "SELLER-CANCEL"],
        ),
        ({"supply_mode__exact": "Fulfillment"}, ["FULFILLED"]),
        ({"cancellation_initiator": "Customer"}, ["2312011200A1B2"]),
        ({"cancellation_initiator": "Seller"}, ["SELLER-CANCEL"]),
        ({"cancellation_initiator": "none"}, ["ELSEWHERE", "FULFILLED"]),
    ],
    ids=[
        "shippable",
        "not-shippable",
        "header-status",
        "line-status",
        "supply-mode",
        "customer-cancel",
        "seller-cancel",
        "no-cancel",
    ],
)
def test_order_list_filters(operator_client, query, expected):
    operator_orders()

    response = operator_client.get(CHANGELIST, {**query, "o": "1"})

    assert listed_order_ids(response) == expected


def test_order_list_filters_by_sales_channel(operator_client):
    operator_orders()
    other_channel = SalesChannel.objects.get(sales_channel_id="OTHERMKT")

    response = operator_client.get(
        CHANGELIST, {"sales_channel__id__exact": other_channel.pk}
    )

    assert listed_order_ids(response) == ["ELSEWHERE"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("2312011200A1B2", ["2312011200A1B2"]),
        ("SELLER_LINE", ["SELLER-CANCEL"]),
        ("PKG-1", ["FULFILLED"]),
        ("SKU-MUG-SET4", ["2312011200A1B2"]),
        ("nothing-like-this", []),
    ],
    ids=["order-id", "order-line-id", "parcel-number", "seller-product-id", "none"],
)
def test_order_list_search(operator_client, term, expected):
    operator_orders()
    fulfilled = Order.objects.get(order_id="FULFILLED")
    fulfilled.shipments.create(
        parcel_number="PKG-1", carrier_name="Chronopost", declared_by="operator"
    )

    response = operator_client.get(CHANGELIST, {"q": term})

    assert listed_order_ids(response) == expected
