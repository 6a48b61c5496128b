"""Re-imports change nothing; newer exports update; stale ones never win."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import CancellationRequest, OrderLine, SalesChannel, Seller
from orders.services import accept_cancellation_request
from tests.imports.exports import (
    customer_request,
    export_line,
    export_order,
    run_import,
    ship,
    stored_orders,
    three_orders,
    write_export,
)
from tests.state import order_state

pytestmark = pytest.mark.django_db

WRITING_STATEMENTS = {"INSERT", "UPDATE", "DELETE", "COPY", "CREATE", "TRUNCATE"}


def writes_among(queries):
    return [
        query["sql"]
        for query in queries
        if query["sql"].split(None, 1)[0].upper() in WRITING_STATEMENTS
    ]


def announcement_export(**fields):
    return export_order(
        "2312011200A1B2",
        lines=[
            export_line("LINE_1"),
            export_line(
                "LINE_2",
                status="CancelRequest",
                cancellationRequest=customer_request(),
            ),
        ],
        **fields,
    )


@pytest.mark.parametrize("file_format", ["json", "jsonl", "csv"])
def test_a_second_import_of_a_file_writes_nothing(tmp_path, file_format):
    path = write_export(tmp_path, [*three_orders(), announcement_export()], file_format)
    run_import(path)
    before = stored_orders()

    with CaptureQueriesContext(connection) as queries:
        run = run_import(path)

    assert run.returncode == 0
    assert writes_among(queries.captured_queries) == []
    assert stored_orders() == before
    assert run.stdout.splitlines() == [
        "Orders: 0 created, 0 updated, 4 unchanged, 0 conflicting, 0 rejected",
        "Lines: 0 created, 0 updated, 5 unchanged, 0 conflicting, 0 rejected",
    ]


def test_a_newer_export_updates_the_header_lines_and_requests(tmp_path):
    run_import(write_export(tmp_path, [announcement_export()], "jsonl", "first"))
    newer = export_order(
        "2312011200A1B2",
        updatedAt="2026-11-30T10:00:00Z",
        shippingCountry="BE",
        lines=[
            export_line("LINE_1", quantity=2),
            export_line(
                "LINE_2",
                status="Cancelled",
                cancellationRequest=customer_request(reason="Found it cheaper"),
            ),
            export_line("LINE_3", sellerProductId="SKU-PAN-28", unitPrice="27.45"),
        ],
    )

    run = run_import(write_export(tmp_path, [newer], "jsonl", "second"))

    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        "Orders: 0 created, 1 updated, 0 unchanged, 0 conflicting, 0 rejected",
        "Lines: 1 created, 2 updated, 0 unchanged, 0 conflicting, 0 rejected",
    ]
    [order] = stored_orders()
    assert order[5:8] == (
        "BE",
        "2026-11-28T09:14:03+00:00",
        "2026-11-30T10:00:00+00:00",
    )
    assert order[8] == [
        (
            "LINE_1",
            "SKU-KETTLE-17",
            "Electric kettle 1.7 L",
            2,
            "39.90",
            "InPreparation",
            [],
        ),
        (
            "LINE_2",
            "SKU-KETTLE-17",
            "Electric kettle 1.7 L",
            1,
            "39.90",
            "Cancelled",
            [("Customer", "Found it cheaper", "2026-11-29T17:40:11+00:00", "Accepted")],
        ),
        (
            "LINE_3",
            "SKU-PAN-28",
            "Electric kettle 1.7 L",
            1,
            "27.45",
            "InPreparation",
            [],
        ),
    ]
    assert CancellationRequest.objects.count() == 1


def test_a_new_cancellation_request_opens_on_a_line_in_preparation(tmp_path):
    run_import(write_export(tmp_path, [export_order()], "jsonl", "first"))
    newer = export_order(
        updatedAt="2026-11-30T10:00:00Z",
        lines=[
            export_line(status="CancelRequest", cancellationRequest=customer_request())
        ],
    )

    run_import(write_export(tmp_path, [newer], "jsonl", "second"))

    line = OrderLine.objects.get()
    assert line.status == OrderLine.Status.CANCEL_REQUEST
    assert list(line.cancellation_requests.values_list("initiator", "state")) == [
        ("Customer", "Open")
    ]


def test_an_export_older_than_the_stored_order_is_a_conflict(tmp_path):
    newer = announcement_export(updatedAt="2026-11-30T10:00:00Z")
    run_import(write_export(tmp_path, [newer], "jsonl", "newer"))
    order = OrderLine.objects.get(order_line_id="LINE_1").order
    before = order_state(order)
    older = export_order(
        "2312011200A1B2",
        lines=[export_line("LINE_1", quantity=5), export_line("LINE_2")],
    )
    path = write_export(tmp_path, [older], "jsonl", "older")

    run = run_import(path)

    assert run.returncode == 0
    assert run.problems == [
        f"Conflict: {path}, line 1, order 2312011200A1B2: the export (updatedAt "
        "2026-11-29T17:40:11+00:00) is older than the stored order (updated "
        "2026-11-30T10:00:00+00:00); line LINE_2 has an open cancellation request "
        "(Customer, 2026-11-29T17:40:11+00:00) that the export does not list"
    ]
    assert run.stdout.splitlines() == [
        "Orders: 0 created, 0 updated, 0 unchanged, 1 conflicting, 0 rejected",
        "Lines: 0 created, 0 updated, 0 unchanged, 2 conflicting, 0 rejected",
    ]
    assert order_state(order) == before


def test_reimporting_after_a_local_shipment_never_undoes_it(tmp_path):
    path = write_export(tmp_path, [announcement_export()], "csv")
    run_import(path)
    order = OrderLine.objects.get(order_line_id="LINE_1").order
    assert ship(order, "LINE_1", "LINE_2").accepted
    before = order_state(order)

    run = run_import(path)

    assert run.stdout.splitlines()[0] == (
        "Orders: 0 created, 0 updated, 0 unchanged, 1 conflicting, 0 rejected"
    )
    assert order_state(order) == before
    assert before["status"] == "Shipped"


def test_a_request_for_a_line_shipped_here_is_kept_closed_despite_a_conflict(
    tmp_path,
):
    run_import(write_export(tmp_path, [export_order()], "jsonl", "first"))
    order = OrderLine.objects.get().order
    assert ship(order, "LINE_1").accepted
    before = order_state(order)
    late_request = export_order(
        updatedAt="2027-01-01T00:00:00Z",
        lines=[
            export_line(status="CancelRequest", cancellationRequest=customer_request())
        ],
    )
    path = write_export(tmp_path, [late_request], "jsonl", "late")

    run = run_import(path)
    again = run_import(path)

    assert run.problems == [
        f"Conflict: {path}, line 1, order 2312011200A1B2: the order is Shipped "
        "here; the export would make it InPreparation; line LINE_1 is Shipped "
        "here; the export would make it CancelRequest; its cancellation request "
        "on line LINE_1 is recorded, closed by the shipment"
    ]
    after = order_state(order)
    assert {
        key: value for key, value in after.items() if key != "cancellation_requests"
    } == {key: value for key, value in before.items() if key != "cancellation_requests"}
    assert before["cancellation_requests"] == []
    assert list(
        CancellationRequest.objects.values_list("initiator", "reason", "state")
    ) == [("Customer", "Ordered by mistake", "ClosedByShipment")]
    assert again.problems == [
        f"Conflict: {path}, line 1, order 2312011200A1B2: the order is Shipped "
        "here; the export would make it InPreparation; line LINE_1 is Shipped "
        "here; the export would make it CancelRequest"
    ]
    assert CancellationRequest.objects.count() == 1


def test_a_newer_export_that_would_unship_a_line_is_a_conflict(tmp_path):
    path = write_export(tmp_path, [export_order()], "jsonl", "first")
    run_import(path)
    order = OrderLine.objects.get().order
    assert ship(order, "LINE_1").accepted
    before = order_state(order)
    newer = export_order(updatedAt="2027-01-01T00:00:00Z")
    newer_path = write_export(tmp_path, [newer], "jsonl", "newer")

    run = run_import(newer_path)

    assert run.problems == [
        f"Conflict: {newer_path}, line 1, order 2312011200A1B2: the order is "
        "Shipped here; the export would make it InPreparation; line LINE_1 is "
        "Shipped here; the export would make it InPreparation"
    ]
    assert order_state(order) == before


def test_a_newer_export_never_revives_a_line_cancelled_here(tmp_path):
    first = announcement_export()
    run_import(write_export(tmp_path, [first], "jsonl", "first"))
    request = CancellationRequest.objects.get(state="Open")
    accept_cancellation_request(cancellation_request=request)
    order = request.order_line.order
    before = order_state(order)
    newer = announcement_export(updatedAt="2027-01-01T00:00:00Z")
    newer_path = write_export(tmp_path, [newer], "jsonl", "newer")

    run = run_import(newer_path)

    assert run.problems == [
        f"Conflict: {newer_path}, line 1, order 2312011200A1B2: line LINE_2 is "
        "Cancelled here; the export would make it CancelRequest"
    ]
    assert order_state(order) == before


def test_a_stored_line_missing_from_the_export_is_a_conflict(tmp_path):
    run_import(write_export(tmp_path, [announcement_export()], "jsonl", "first"))
    order = OrderLine.objects.get(order_line_id="LINE_1").order
    before = order_state(order)
    newer = export_order(updatedAt="2026-12-01T00:00:00Z")
    path = write_export(tmp_path, [newer], "jsonl", "newer")

    run = run_import(path)

    assert run.problems == [
        f"Conflict: {path}, line 1, order 2312011200A1B2: stored line(s) LINE_2 "
        "are missing from the export"
    ]
    assert order_state(order) == before


def test_an_open_request_the_export_does_not_list_is_a_conflict(tmp_path):
    run_import(write_export(tmp_path, [announcement_export()], "jsonl", "first"))
    order = OrderLine.objects.get(order_line_id="LINE_1").order
    before = order_state(order)
    newer = announcement_export(updatedAt="2026-12-01T00:00:00Z")
    newer["lines"][1]["cancellationRequest"]["initiator"] = "Seller"
    path = write_export(tmp_path, [newer], "jsonl", "newer")

    run = run_import(path)

    assert run.problems == [
        f"Conflict: {path}, line 1, order 2312011200A1B2: line LINE_2 has an open "
        "cancellation request (Customer, 2026-11-29T17:40:11+00:00) that the "
        "export does not list"
    ]
    assert order_state(order) == before


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    orders = [*three_orders(), export_order("ORDER-4", salesChannelId="NEWMKT")]
    orders[1]["status"] = "Unknown"
    path = write_export(tmp_path, orders, "jsonl")

    with CaptureQueriesContext(connection) as queries:
        run = run_import(path, dry_run=True)

    assert writes_among(queries.captured_queries) == []
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "Sellers to create: 98979",
        "Sales channels to create with the baseline policy (customer cancel "
        "requests not shipped): NEWMKT",
        "Dry run, nothing written. Orders: 3 created, 0 updated, 0 unchanged, "
        "0 conflicting, 1 rejected",
        "Dry run, nothing written. Lines: 3 created, 0 updated, 0 unchanged, "
        "0 conflicting, 1 rejected",
    ]
    assert stored_orders() == []
    assert not Seller.objects.exists()
    assert not SalesChannel.objects.filter(sales_channel_id="NEWMKT").exists()


def test_a_dry_run_compares_with_the_stored_orders(tmp_path):
    path = write_export(tmp_path, three_orders(), "csv")
    run_import(path)
    newer = three_orders(export_order("ORDER-2", updatedAt="2026-12-01T00:00:00Z"))
    newer_path = write_export(tmp_path, newer, "csv", "newer")
    before = stored_orders()

    run = run_import(newer_path, dry_run=True)

    assert run.returncode == 0
    assert run.stdout.splitlines()[0] == (
        "Dry run, nothing written. Orders: 0 created, 1 updated, 2 unchanged, "
        "0 conflicting, 0 rejected"
    )
    assert stored_orders() == before


def test_an_unknown_sales_channel_is_created_with_the_baseline_policy(tmp_path):
    path = write_export(tmp_path, [export_order(salesChannelId="OTHERMKT")], "jsonl")

    run = run_import(path)

    assert run.returncode == 0
    assert run.stdout.splitlines()[1] == (
        "Sales channels created with the baseline policy (customer cancel "
        "requests not shipped): OTHERMKT"
    )
    channel = SalesChannel.objects.get(sales_channel_id="OTHERMKT")
    assert channel.ships_customer_cancel_requests is False
    assert list(channel.orders.values_list("order_id", flat=True)) == ["2312011200A1B2"]
