"""On PostgreSQL: the COPY writer, and imports racing shipment declarations."""

import copy
import threading

import pytest
from django.db import transaction

from orders.demo import demo_orders
from orders.importing import OrderImport
from orders.importing.writers import BatchWriter, CopyWriter
from orders.models import CancellationRequest, Order, OrderLine
from orders.services import lock_order
from shipments.models import Shipment
from tests.concurrency import run_in_threads, wait_until_blocked_on_a_lock
from tests.imports.exports import (
    customer_request,
    export_line,
    export_order,
    run_import,
    ship,
    stored_orders,
    write_export,
)

pytestmark = pytest.mark.postgresql


def next_export(order):
    """The order a day later: lines in preparation get a customer request,
    requests that were open are accepted."""
    order = copy.deepcopy(order)
    order["updatedAt"] = order["updatedAt"].replace("2026-1", "2027-0")
    for line in order["lines"]:
        if line["status"] == "InPreparation":
            line["status"] = "CancelRequest"
            line["cancellationRequest"] = customer_request()
        elif line["status"] == "CancelRequest":
            line["status"] = "Cancelled"
    return order


@pytest.mark.django_db
def test_the_copy_writer_stores_what_the_portable_writer_stores(tmp_path):
    orders = list(demo_orders(60, seed=7))
    first = write_export(tmp_path, orders, "jsonl", "first")
    second = write_export(
        tmp_path, [next_export(order) for order in orders], "jsonl", "second"
    )
    results = []

    for writer in (BatchWriter(), CopyWriter()):
        Order.objects.all().delete()
        reports = []
        for path in (first, second, second):
            run = OrderImport(writer=writer, batch_size=25)
            run.import_file(path)
            reports.append((str(run.report.orders), str(run.report.lines)))
        results.append((reports, stored_orders()))

    assert results[0] == results[1]
    assert results[0][0][1][0] == (
        "0 created, 60 updated, 0 unchanged, 0 conflicting, 0 rejected"
    )
    assert results[0][0][2][0] == (
        "0 created, 0 updated, 60 unchanged, 0 conflicting, 0 rejected"
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_racing_a_shipment_never_loses_the_shipment(
    tmp_path, close_thread_connections
):
    first = export_order(lines=[export_line("LINE_1"), export_line("LINE_2")])
    run_import(write_export(tmp_path, [first], "jsonl", "first"))
    order = Order.objects.get()
    newer = export_order(
        updatedAt="2026-11-30T10:00:00Z",
        lines=[
            export_line("LINE_1"),
            export_line(
                "LINE_2", status="CancelRequest", cancellationRequest=customer_request()
            ),
        ],
    )
    path = write_export(tmp_path, [newer], "jsonl", "newer")

    imported, declared = run_in_threads(
        lambda: run_import(path), lambda: ship(order, "LINE_1")
    )

    assert declared.accepted is True
    assert Shipment.objects.filter(order=order).count() == 1
    lines = dict(OrderLine.objects.values_list("order_line_id", "status"))
    assert lines["LINE_1"] == OrderLine.Status.SHIPPED
    requests = list(
        CancellationRequest.objects.values_list(
            "order_line__order_line_id", "initiator", "state"
        )
    )
    if imported.problems:
        assert imported.stdout.splitlines()[0] == (
            "Orders: 0 created, 0 updated, 0 unchanged, 1 conflicting, 0 rejected"
        )
        assert lines["LINE_2"] == OrderLine.Status.IN_PREPARATION
        assert requests == []
    else:
        assert imported.stdout.splitlines()[0] == (
            "Orders: 0 created, 1 updated, 0 unchanged, 0 conflicting, 0 rejected"
        )
        assert lines["LINE_2"] == OrderLine.Status.CANCEL_REQUEST
        assert requests == [("LINE_2", "Customer", "Open")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("import_first", [True, False], ids=["import", "shipment"])
def test_whichever_runs_first_the_shipment_stands(
    tmp_path, close_thread_connections, import_first
):
    first = export_order(lines=[export_line("LINE_1"), export_line("LINE_2")])
    run_import(write_export(tmp_path, [first], "jsonl", "first"))
    order = Order.objects.get()
    newer = export_order(
        updatedAt="2026-11-30T10:00:00Z",
        lines=[
            export_line("LINE_1"),
            export_line(
                "LINE_2", status="CancelRequest", cancellationRequest=customer_request()
            ),
        ],
    )
    path = write_export(tmp_path, [newer], "jsonl", "newer")

    if import_first:
        imported = run_import(path)
        declared = ship(order, "LINE_1")
    else:
        declared = ship(order, "LINE_1")
        imported = run_import(path)

    assert declared.accepted is True
    assert dict(OrderLine.objects.values_list("order_line_id", "status")) == {
        "LINE_1": "Shipped",
        "LINE_2": "CancelRequest" if import_first else "InPreparation",
    }
    assert len(imported.problems) == (0 if import_first else 1)


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_a_declaration_holding_the_order_lock(
    tmp_path, close_thread_connections
):
    first = export_order(lines=[export_line("LINE_1"), export_line("LINE_2")])
    run_import(write_export(tmp_path, [first], "jsonl", "first"))
    order = Order.objects.get()
    path = write_export(tmp_path, [next_export(first)], "jsonl", "newer")
    declaration_holds_lock = threading.Event()
    import_waits = threading.Event()

    def declaration():
        with transaction.atomic():
            lock_order(order.pk)
            declaration_holds_lock.set()
            import_waits.wait(10)
            return ship(order, "LINE_1")

    def importer():
        declaration_holds_lock.wait(10)
        return run_import(path)

    def observer():
        declaration_holds_lock.wait(10)
        wait_until_blocked_on_a_lock()
        import_waits.set()

    declared, imported, _ = run_in_threads(declaration, importer, observer)

    assert declared.accepted is True
    assert imported.stdout.splitlines()[0] == (
        "Orders: 0 created, 0 updated, 0 unchanged, 1 conflicting, 0 rejected"
    )
    assert dict(OrderLine.objects.values_list("order_line_id", "status")) == {
        "LINE_1": "Shipped",
        "LINE_2": "InPreparation",
    }
    # LINE_1 shipped first: the customer's request the export carries for it
    # is kept, closed by the shipment; nothing else of the export applies.
    assert list(
        CancellationRequest.objects.values_list(
            "order_line__order_line_id", "initiator", "state"
        )
    ) == [("LINE_1", "Customer", "ClosedByShipment")]
