"""Hostile import files: each bad record is rejected where it is, and the
stored orders do not change.

Every case first imports a good order, then the hostile file; the report
names the file, the line, row or index, the field and the reason, and the
stored orders are exactly as before.
"""

import csv
import io
import json

import pytest
from django.urls import reverse

from orders.models import CancellationRequest, Order, OrderLine
from tests.imports.exports import (
    export_line,
    export_order,
    run_import,
    stored_orders,
    write_export,
)

pytestmark = pytest.mark.django_db

CSV_HEADER = (
    "orderId,sellerId,salesChannelId,orderStatus,supplyMode,shippingCountry,"
    "createdAt,updatedAt,orderLineId,sellerProductId,productTitle,quantity,"
    "unitPrice,lineStatus,cancellationInitiator,cancellationReason,"
    "cancellationRequestedAt"
)
CSV_ROW = (
    "ORDER-2,98979,CDISFR,InPreparation,Seller,FR,2026-11-28T09:14:03Z,"
    "2026-11-29T17:40:11Z,LINE_1,SKU-KETTLE-17,Electric kettle 1.7 L,1,39.90,"
    "InPreparation,,,"
)


def csv_bytes(*rows, header=CSV_HEADER):
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def jsonl_bytes(*orders):
    return b"".join(json.dumps(order).encode() + b"\n" for order in orders)


def json_bytes(*orders):
    return json.dumps({"orders": list(orders)}).encode()


def with_line(**fields):
    return export_order("ORDER-2", lines=[export_line(**fields)])


# (file name, its bytes, the Rejected: lines after the file name)
HOSTILE_FILES = {
    "csv in latin-1": (
        "orders.csv",
        csv_bytes(
            CSV_ROW.replace("Electric kettle", "Bouilloire \xe9lectrique")
        ).replace(b"\xc3\xa9", b"\xe9"),
        ["row 2, productTitle: holds bytes that are not UTF-8; save the file as UTF-8"],
    ),
    "csv in utf-16": (
        "orders.csv",
        (CSV_HEADER + "\r\n" + CSV_ROW + "\r\n").encode("utf-16"),
        ["line 1: is UTF-16 text; save it as UTF-8"],
    ),
    "json lines in latin-1": (
        "orders.jsonl",
        jsonl_bytes(with_line(productTitle="Bouilloire \xe9lectrique")).replace(
            b"\\u00e9", b"\xe9"
        ),
        [
            "line 1, lines[0].productTitle: holds bytes that are not UTF-8; save "
            "the file as UTF-8"
        ],
    ),
    "json with invalid utf-8 in an order id": (
        "orders.json",
        json_bytes(export_order("ORDER-\u00ff")).replace(b"\\u00ff", b"\xff"),
        ["index 0, orderId: holds bytes that are not UTF-8; save the file as UTF-8"],
    ),
    "null byte in a json lines string": (
        "orders.jsonl",
        jsonl_bytes(with_line(productTitle="Kettle\x00")),
        ["line 1, lines[0].productTitle: contains a NUL character"],
    ),
    "raw null byte in a csv cell": (
        "orders.csv",
        csv_bytes(CSV_ROW.replace("SKU-KETTLE-17", "SKU\x00KETTLE")),
        ["row 2, sellerProductId: contains a NUL character"],
    ),
    "number where a string belongs": (
        "orders.json",
        json_bytes(with_line(orderLineId=17)),
        ["index 0, lines[0].orderLineId: must be a string, not a number"],
    ),
    "very long product title": (
        "orders.jsonl",
        jsonl_bytes(with_line(productTitle="K" * 100_000)),
        ["line 1, lines[0].productTitle: is longer than 500 characters"],
    ),
    "huge quantity": (
        "orders.jsonl",
        jsonl_bytes(with_line(quantity=10**30)),
        ["line 1, lines[0].quantity: must be at most 2147483647"],
    ),
    "price with too many digits": (
        "orders.csv",
        csv_bytes(CSV_ROW.replace(",39.90,", ",123456789012345678901234567890.00,")),
        ["row 2, unitPrice: '123456789012345678901234567890.00' is out of range"],
    ),
    "price in exponent form out of range": (
        "orders.json",
        json_bytes(with_line(unitPrice="1E+400")),
        ["index 0, lines[0].unitPrice: '1E+400' is out of range"],
    ),
    "deeply nested order": (
        "orders.jsonl",
        ('{"orderId": ' + "[" * 100_000 + "]" * 100_000 + "}\n").encode(),
        ["line 1: nests arrays and objects too deeply to be an export"],
    ),
    "deeply nested json document": (
        "orders.json",
        ("[" * 100_000 + "]" * 100_000).encode(),
        [": nests arrays and objects too deeply to be an export"],
    ),
    "ten thousand lines with one bad": (
        "orders.json",
        json_bytes(
            export_order(
                "ORDER-2",
                lines=[
                    *(export_line(f"LINE_{n}") for n in range(9_999)),
                    export_line("LINE_X", quantity=0),
                ],
            )
        ),
        ["index 0, lines[9999].quantity: must be at least 1, not 0"],
    ),
    "csv with an unknown column": (
        "orders.csv",
        csv_bytes(CSV_ROW + ",x", header=CSV_HEADER + ",cancelationReason"),
        [
            "row 1, cancelationReason: unknown column; the columns are "
            + CSV_HEADER.replace(",", ", ")
        ],
    ),
    "csv missing a column": (
        "orders.csv",
        csv_bytes(
            CSV_ROW.replace(",1,39.90,", ",1,"),
            header=CSV_HEADER.replace(",unitPrice", ""),
        ),
        ["row 1, unitPrice: missing column"],
    ),
    "csv row with an extra field": (
        "orders.csv",
        csv_bytes(CSV_ROW + ",surplus"),
        ["row 2: the row has 18 fields; the header has 17"],
    ),
    "csv row with a field missing": (
        "orders.csv",
        csv_bytes(CSV_ROW.rsplit(",", 1)[0]),
        ["row 2: the row has 16 fields; the header has 17"],
    ),
    "empty csv": ("orders.csv", b"", [": is empty"]),
    "empty json lines": ("orders.jsonl", b"", [": is empty"]),
    "empty json": ("orders.json", b"", [": is empty"]),
    "duplicate line ids": (
        "orders.json",
        json_bytes(
            export_order(
                "ORDER-2", lines=[export_line("LINE_1"), export_line("LINE_1")]
            )
        ),
        ["index 0, lines[1].orderLineId: 'LINE_1' appears twice in this order"],
    ),
}


@pytest.mark.parametrize(
    ("name", "content", "rejections"),
    list(HOSTILE_FILES.values()),
    ids=list(HOSTILE_FILES),
)
def test_hostile_file_is_rejected_where_it_is_and_changes_nothing(
    tmp_path, name, content, rejections
):
    run_import(write_export(tmp_path, [export_order("ORDER-1")], "jsonl", "good"))
    before = stored_orders()
    counts = (
        Order.objects.count(),
        OrderLine.objects.count(),
        CancellationRequest.objects.count(),
    )
    path = tmp_path / name
    path.write_bytes(content)

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {path}{'' if line.startswith(':') else ', '}{line}"
        for line in rejections
    ]
    assert stored_orders() == before
    assert (
        Order.objects.count(),
        OrderLine.objects.count(),
        CancellationRequest.objects.count(),
    ) == counts


def test_json_lines_with_a_byte_order_mark_import(tmp_path):
    path = tmp_path / "orders.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl_bytes(export_order("ORDER-1")))

    run = run_import(path)

    assert run.returncode == 0
    assert run.problems == []
    assert list(Order.objects.values_list("order_id", flat=True)) == ["ORDER-1"]


def test_formula_cell_is_stored_as_is_and_escaped_on_export(tmp_path, admin_client):
    title = '=HYPERLINK("http://example.com","Click")'
    path = tmp_path / "orders.csv"
    path.write_bytes(
        csv_bytes(
            CSV_ROW.replace(
                "Electric kettle 1.7 L", f'"{title.replace(chr(34), chr(34) * 2)}"'
            )
        )
    )

    run = run_import(path)
    line = OrderLine.objects.get()
    response = admin_client.post(
        reverse("admin:orders_orderline_changelist"),
        {"action": "export_verdicts_csv", "_selected_action": [line.pk]},
    )

    assert run.returncode == 0
    assert line.product_title == title
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][rows[0].index("productTitle")] == "'" + title
