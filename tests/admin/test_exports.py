"""CSV exports of verdicts, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from orders.exports import escape_formula
from tests.admin.scenarios import seller_cancel_request_order
from tests.factories import OrderLineFactory, announcement_order
from tests.state import order_state

pytestmark = pytest.mark.django_db


def export(client, changelist, *records):
    return client.post(
        reverse(changelist),
        {
            "action": "export_verdicts_csv",
            "_selected_action": [record.pk for record in records],
        },
    )


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


HEADER = [
    "orderId",
    "orderLineId",
    "sellerId",
    "salesChannelId",
    "orderStatus",
    "supplyMode",
    "lineStatus",
    "sellerProductId",
    "productTitle",
    "quantity",
    "unitPrice",
    "cancellationInitiator",
    "cancellationReason",
    "shippable",
    "reasonCodes",
    "reasons",
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Electric kettle", "Electric kettle"),
        ("", ""),
        (None, ""),
        (2, "2"),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "carriage-return",
        "text",
        "empty",
        "none",
        "number",
    ],
)
def test_formula_looking_cells_are_escaped(value, expected):
    assert escape_formula(value) == expected


def test_order_export_lists_every_line_with_its_verdict(operator_client):
    order, _line_1, _line_2 = announcement_order()
    seller_order, _seller_line = seller_cancel_request_order()

    response = export(
        operator_client, "admin:orders_order_changelist", order, seller_order
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="order-verdicts.csv"'
    )
    assert sorted(csv_rows(response)[1:]) == [
        [
            "2312011200A1B2",
            "LINE_1",
            "98979",
            "CDISFR",
            "InPreparation",
            "Seller",
            "InPreparation",
            "SKU-KETTLE-17",
            "Electric kettle 1.7 L",
            "1",
            "39.90",
            "",
            "",
            "yes",
            "",
            "",
        ],
        [
            "2312011200A1B2",
            "LINE_2",
            "98979",
            "CDISFR",
            "InPreparation",
            "Seller",
            "CancelRequest",
            "SKU-MUG-SET4",
            "Set of 4 stoneware mugs",
            "2",
            "24.50",
            "Customer",
            "Ordered by mistake",
            "yes",
            "",
            "",
        ],
        [
            "SELLER-CANCEL",
            "SELLER_LINE",
            "98979",
            "CDISFR",
            "InPreparation",
            "Seller",
            "CancelRequest",
            "SKU-TEAPOT-1L",
            "Cast iron teapot 1 L",
            "1",
            "39.90",
            "Seller",
            "Out of stock",
            "no",
            "cancellation_not_initiated_by_customer",
            "The cancellation was initiated by Seller; only a customer's request "
            "lets the line ship.",
        ],
    ]
    assert csv_rows(response)[0] == HEADER


def test_line_export_escapes_formulas_from_product_titles(operator_client):
    order, _line_1, _line_2 = announcement_order()
    line = OrderLineFactory(
        order=order,
        order_line_id="LINE_3",
        seller_product_id="-SKU",
        product_title='=HYPERLINK("http://example.com","Click")',
        status="Shipped",
    )
    before = order_state(order)

    response = export(operator_client, "admin:orders_orderline_changelist", line)

    assert response["Content-Disposition"] == (
        'attachment; filename="line-verdicts.csv"'
    )
    assert csv_rows(response) == [
        HEADER,
        [
            "2312011200A1B2",
            "LINE_3",
            "98979",
            "CDISFR",
            "InPreparation",
            "Seller",
            "Shipped",
            "'-SKU",
            '\'=HYPERLINK("http://example.com","Click")',
            "1",
            "39.90",
            "",
            "",
            "no",
            "line_already_shipped",
            "The line is already Shipped.",
        ],
    ]
    assert order_state(order) == before
