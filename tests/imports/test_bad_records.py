"""Bad records are reported where they are, and the rest is imported."""

import json

import pytest

from tests.imports.exports import (
    customer_request,
    export_line,
    export_order,
    run_import,
    stored_order_ids,
    stored_orders,
    three_orders,
    write_export,
)

pytestmark = pytest.mark.django_db


def with_line(**fields):
    return export_order("ORDER-2", lines=[export_line(**fields)])


# (file format, the bad second order, where and what is reported)
BAD_RECORDS = {
    "unknown order status": (
        "jsonl",
        export_order("ORDER-2", status="Shipping"),
        [
            "line 2, status: unknown status 'Shipping'; expected one of "
            "WaitingAcceptance, Accepted, Refused, InPreparation, Shipped, "
            "Delivered, Cancelled"
        ],
    ),
    "unknown line status in csv": (
        "csv",
        with_line(status="Packed"),
        [
            "row 3, lineStatus: unknown status 'Packed'; expected one of "
            "WaitingAcceptance, Accepted, Refused, InPreparation, CancelRequest, "
            "Cancelled, Shipped, Delivered"
        ],
    ),
    "negative quantity in csv": (
        "csv",
        with_line(quantity=-2),
        ["row 3, quantity: must be at least 1, not -2"],
    ),
    "negative quantity in json": (
        "json",
        with_line(quantity=-2),
        ["index 1, lines[0].quantity: must be at least 1, not -2"],
    ),
    "duplicate order line id": (
        "json",
        export_order("ORDER-2", lines=[export_line("LINE_1"), export_line("LINE_1")]),
        ["index 1, lines[1].orderLineId: 'LINE_1' appears twice in this order"],
    ),
    "unknown cancellation initiator": (
        "jsonl",
        with_line(
            status="CancelRequest",
            cancellationRequest=customer_request(initiator="Robot"),
        ),
        [
            "line 2, lines[0].cancellationRequest.initiator: unknown initiator "
            "'Robot'; expected one of Customer, Seller, SalesChannel"
        ],
    ),
    "unknown cancellation initiator in csv": (
        "csv",
        with_line(
            status="CancelRequest",
            cancellationRequest=customer_request(initiator="Robot"),
        ),
        [
            "row 3, cancellationInitiator: unknown initiator 'Robot'; expected "
            "one of Customer, Seller, SalesChannel"
        ],
    ),
    "cancel request line without a request": (
        "jsonl",
        with_line(status="CancelRequest"),
        ["line 2, lines[0].cancellationRequest: is required on a CancelRequest line"],
    ),
    "request on a line in preparation": (
        "csv",
        with_line(cancellationRequest=customer_request()),
        [
            "row 3, cancellationInitiator: a InPreparation line cannot have a "
            "cancellation request"
        ],
    ),
    "request state that disagrees with the line": (
        "json",
        with_line(
            status="Cancelled", cancellationRequest=customer_request(state="Open")
        ),
        [
            "index 1, lines[0].cancellationRequest.state: must be Accepted on a "
            "Cancelled line, not 'Open'"
        ],
    ),
    "date that is not ISO 8601": (
        "json",
        export_order("ORDER-2", createdAt="28/11/2026 09:14"),
        ["index 1, createdAt: '28/11/2026 09:14' is not an ISO 8601 date and time"],
    ),
    "date without a UTC offset": (
        "csv",
        export_order("ORDER-2", updatedAt="2026-11-29T17:40:11"),
        ["row 3, updatedAt: '2026-11-29T17:40:11' needs a UTC offset (Z or +01:00)"],
    ),
    "decimal comma": (
        "csv",
        with_line(unitPrice="39,90"),
        ["row 3, unitPrice: '39,90' is not a decimal number"],
    ),
    "price with three decimals": (
        "jsonl",
        with_line(unitPrice="39.999"),
        ["line 2, lines[0].unitPrice: '39.999' has more than two decimal places"],
    ),
    "quantity as a string in json": (
        "json",
        with_line(quantity="2"),
        ["index 1, lines[0].quantity: must be a whole number, not a string"],
    ),
    "order id as a number": (
        "jsonl",
        export_order(12345),
        ["line 2, orderId: must be a string, not a number"],
    ),
    "lines as an object": (
        "json",
        export_order("ORDER-2", lines={"orderLineId": "LINE_1"}),
        ["index 1, lines: must be an array, not an object"],
    ),
    "order without lines": (
        "jsonl",
        export_order("ORDER-2", lines=[]),
        ["line 2, lines: an order needs at least one line"],
    ),
    "every problem of one record": (
        "json",
        export_order(
            "ORDER-2",
            supplyMode="Dropship",
            lines=[export_line(quantity=0, unitPrice="-1.00")],
        ),
        [
            "index 1, supplyMode: unknown supply mode 'Dropship'; expected one of "
            "Seller, Fulfillment, Xdock",
            "index 1, lines[0].quantity: must be at least 1, not 0",
            "index 1, lines[0].unitPrice: must not be negative, not -1.00",
        ],
    ),
}


@pytest.mark.parametrize(
    ("file_format", "bad_order", "problems"),
    BAD_RECORDS.values(),
    ids=BAD_RECORDS.keys(),
)
def test_a_bad_record_is_reported_at_its_place_and_the_rest_imported(
    tmp_path, file_format, bad_order, problems
):
    path = write_export(tmp_path, three_orders(bad_order), file_format)

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [f"Rejected: {path}, {problem}" for problem in problems]
    assert stored_order_ids() == ["ORDER-1", "ORDER-3"]
    assert run.stdout.splitlines()[-2] == (
        "Orders: 2 created, 0 updated, 0 unchanged, 0 conflicting, 1 rejected"
    )


def test_a_broken_json_line_is_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "orders.jsonl"
    path.write_text(
        json.dumps(export_order("ORDER-1"))
        + '\n{"orderId": "ORDER-2", "lines": [\n'
        + json.dumps(export_order("ORDER-3"))
        + "\n",
        encoding="utf-8",
    )

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {path}, line 2: is not valid JSON: Expecting value (column 35)"
    ]
    assert stored_order_ids() == ["ORDER-1", "ORDER-3"]
    assert run.stdout.splitlines() == [
        "Sellers created: 98979",
        "Orders: 2 created, 0 updated, 0 unchanged, 0 conflicting, 1 rejected",
        "Lines: 2 created, 0 updated, 0 unchanged, 0 conflicting, 0 rejected",
    ]


def test_a_csv_file_missing_a_column_is_rejected_whole(tmp_path):
    full = write_export(tmp_path, three_orders(), "csv")
    rows = full.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "no-price.csv"
    path.write_text(
        "\n".join(
            ",".join(value for index, value in enumerate(row.split(",")) if index != 12)
            for row in rows
        ),
        encoding="utf-8",
    )

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [f"Rejected: {path}, row 1, unitPrice: missing column"]
    assert stored_orders() == []


def test_a_csv_row_missing_values_is_reported_with_its_row(tmp_path):
    full = write_export(tmp_path, three_orders(), "csv")
    rows = full.read_text(encoding="utf-8").splitlines()
    rows[2] = ",".join(rows[2].split(",")[:12])
    path = tmp_path / "short.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {path}, row 3: the row has 12 fields; the header has 17",
        f"Rejected: {path}, row 3, unitPrice: is required",
        f"Rejected: {path}, row 3, lineStatus: is required",
    ]
    assert stored_order_ids() == ["ORDER-1", "ORDER-3"]


def test_csv_rows_of_one_order_must_agree_on_the_header(tmp_path):
    first_half = export_order("ORDER-2", lines=[export_line("LINE_1")])
    second_half = export_order(
        "ORDER-2", status="Shipped", lines=[export_line("LINE_2", status="Shipped")]
    )
    orders = [
        export_order("ORDER-1"),
        first_half,
        second_half,
        export_order("ORDER-3"),
    ]
    path = write_export(tmp_path, orders, "csv")

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {path}, row 4, orderStatus: 'Shipped' disagrees with "
        "'InPreparation' on row 3 of the same order"
    ]
    assert stored_order_ids() == ["ORDER-1", "ORDER-3"]
    assert run.stdout.splitlines()[-1] == (
        "Lines: 2 created, 0 updated, 0 unchanged, 0 conflicting, 2 rejected"
    )


def test_a_json_file_that_is_not_an_array_of_orders_is_rejected(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text('{"order": []}', encoding="utf-8")

    run = run_import(path)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {path}: must hold an array of orders, or an object with an "
        '"orders" array'
    ]
    assert stored_orders() == []


def test_other_files_are_imported_when_one_cannot_be_read(tmp_path):
    missing = tmp_path / "missing.jsonl"
    good = write_export(tmp_path, three_orders(), "jsonl")

    run = run_import(missing, good)

    assert run.returncode == 1
    assert run.problems == [
        f"Rejected: {missing}: cannot be read: No such file or directory"
    ]
    assert stored_order_ids() == ["ORDER-1", "ORDER-2", "ORDER-3"]
