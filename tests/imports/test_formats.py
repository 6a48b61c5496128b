"""Each export format imports the same orders, lines and requests."""

import json

import pytest

from orders.models import CancellationRequest, OrderLine
from tests.imports.exports import (
    customer_request,
    export_line,
    export_order,
    run_import,
    stored_orders,
    write_export,
)

pytestmark = pytest.mark.django_db

SAMPLE_ORDERS = [
    export_order(
        "2312011200A1B2",
        lines=[
            export_line("LINE_1"),
            export_line(
                "LINE_2",
                sellerProductId="SKU-MUG-SET4",
                productTitle="Set of 4 stoneware mugs",
                quantity=2,
                unitPrice="24.50",
                status="CancelRequest",
                cancellationRequest=customer_request(),
            ),
        ],
    ),
    export_order(
        "2312011200C3D4",
        createdAt="2026-11-28T11:02:45Z",
        updatedAt="2026-11-30T08:05:00Z",
        lines=[
            export_line(
                "LINE_1",
                sellerProductId="SKU-LAMP-DESK",
                productTitle="Desk lamp, brushed steel",
                unitPrice="54.00",
                status="CancelRequest",
                cancellationRequest={
                    "initiator": "Seller",
                    "reason": "Out of stock",
                    "requestedAt": "2026-11-30T08:05:00Z",
                },
            )
        ],
    ),
    export_order(
        "2312011200E5F6",
        supplyMode="Fulfillment",
        shippingCountry="BE",
        createdAt="2026-11-29T15:20:00Z",
        updatedAt="2026-11-29T15:20:00Z",
        lines=[
            export_line(
                "LINE_1",
                sellerProductId="SKU-CABLE-USB-C",
                productTitle="USB-C cable 2 m",
                quantity=3,
                unitPrice="7.99",
            )
        ],
    ),
]

SAMPLE_STATE = [
    (
        "98979",
        "2312011200A1B2",
        "CDISFR",
        "InPreparation",
        "Seller",
        "FR",
        "2026-11-28T09:14:03+00:00",
        "2026-11-29T17:40:11+00:00",
        [
            (
                "LINE_1",
                "SKU-KETTLE-17",
                "Electric kettle 1.7 L",
                1,
                "39.90",
                "InPreparation",
                [],
            ),
            (
                "LINE_2",
                "SKU-MUG-SET4",
                "Set of 4 stoneware mugs",
                2,
                "24.50",
                "CancelRequest",
                [
                    (
                        "Customer",
                        "Ordered by mistake",
                        "2026-11-29T17:40:11+00:00",
                        "Open",
                    )
                ],
            ),
        ],
    ),
    (
        "98979",
        "2312011200C3D4",
        "CDISFR",
        "InPreparation",
        "Seller",
        "FR",
        "2026-11-28T11:02:45+00:00",
        "2026-11-30T08:05:00+00:00",
        [
            (
                "LINE_1",
                "SKU-LAMP-DESK",
                "Desk lamp, brushed steel",
                1,
                "54.00",
                "CancelRequest",
                [("Seller", "Out of stock", "2026-11-30T08:05:00+00:00", "Open")],
            )
        ],
    ),
    (
        "98979",
        "2312011200E5F6",
        "CDISFR",
        "InPreparation",
        "Fulfillment",
        "BE",
        "2026-11-29T15:20:00+00:00",
        "2026-11-29T15:20:00+00:00",
        [
            (
                "LINE_1",
                "SKU-CABLE-USB-C",
                "USB-C cable 2 m",
                3,
                "7.99",
                "InPreparation",
                [],
            )
        ],
    ),
]


@pytest.mark.parametrize("file_format", ["json", "jsonl", "csv"])
def test_each_format_imports_orders_lines_and_requests(tmp_path, file_format):
    path = write_export(tmp_path, SAMPLE_ORDERS, file_format)

    run = run_import(path)

    assert run.returncode == 0
    assert stored_orders() == SAMPLE_STATE
    assert run.stdout.splitlines() == [
        "Sellers created: 98979",
        "Orders: 3 created, 0 updated, 0 unchanged, 0 conflicting, 0 rejected",
        "Lines: 4 created, 0 updated, 0 unchanged, 0 conflicting, 0 rejected",
    ]


def test_a_json_array_of_orders_is_read_like_an_orders_object(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(SAMPLE_ORDERS), encoding="utf-8")

    run = run_import(path)

    assert run.returncode == 0
    assert stored_orders() == SAMPLE_STATE


def test_the_format_option_overrides_the_extension(tmp_path):
    path = write_export(tmp_path, SAMPLE_ORDERS, "jsonl")
    renamed = path.rename(tmp_path / "export.txt")

    run = run_import(renamed, format="jsonl")

    assert run.returncode == 0
    assert stored_orders() == SAMPLE_STATE


def test_a_file_of_unknown_extension_is_rejected_with_a_hint(tmp_path):
    path = write_export(tmp_path, SAMPLE_ORDERS, "jsonl").rename(tmp_path / "x.txt")

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {path}: cannot tell the format from the extension '.txt'; "
        "name the file .json, .jsonl or .csv, or pass --format"
    ]
    assert stored_orders() == []


def test_csv_import_of_a_shipped_and_a_cancelled_line(tmp_path):
    order = export_order(
        status="Shipped",
        lines=[
            export_line(
                "LINE_1",
                status="Shipped",
                cancellationRequest=customer_request(),
            ),
            export_line(
                "LINE_2",
                status="Cancelled",
                cancellationRequest=customer_request(initiator="SalesChannel"),
            ),
        ],
    )
    path = write_export(tmp_path, [order], "csv")

    run = run_import(path)

    assert run.returncode == 0
    assert list(
        OrderLine.objects.order_by("order_line_id").values_list(
            "order_line_id", "status", "cancellation_requests__state"
        )
    ) == [
        ("LINE_1", "Shipped", CancellationRequest.State.CLOSED_BY_SHIPMENT),
        ("LINE_2", "Cancelled", CancellationRequest.State.ACCEPTED),
    ]
