"""Row locks on PostgreSQL: concurrent writers of one order never lose work."""

import datetime as dt
import threading

import pytest
from django.db import transaction

from orders.models import CancellationRequest, OrderLine
from orders.services import lock_order, record_cancellation_request
from shipments.models import Shipment, ShipmentLine, ShipmentRequest
from shipments.services import ParcelDeclaration, declare_shipments
from tests.concurrency import run_in_threads, wait_until_blocked_on_a_lock
from tests.factories import OrderLineFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def declare(order, parcel_number, *order_line_ids):
    return declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                parcel_number=parcel_number,
                carrier_name="Chronopost",
                order_line_ids=list(order_line_ids),
            )
        ],
        declared_by="seller 98979",
    )


def test_two_declarations_of_one_line_ship_it_once():
    line = OrderLineFactory(order_line_id="LINE_1")
    order = line.order

    outcomes = run_in_threads(
        lambda: declare(order, "PKG-A", "LINE_1"),
        lambda: declare(order, "PKG-B", "LINE_1"),
    )

    assert sorted(outcome.accepted for outcome in outcomes) == [False, True]
    rejected = next(outcome for outcome in outcomes if not outcome.accepted)
    assert [error.code for error in rejected.errors] == [
        "order_not_in_preparation",
        "line_already_shipped",
    ]
    assert Shipment.objects.filter(order=order).count() == 1
    assert ShipmentLine.objects.filter(order_line=line).count() == 1
    assert sorted(ShipmentRequest.objects.values_list("outcome", flat=True)) == [
        "Accepted",
        "Rejected",
    ]


def test_cancellation_during_a_declaration_is_applied_after_it():
    line = OrderLineFactory(order_line_id="LINE_1")
    order = line.order
    declaration_holds_lock = threading.Event()
    cancellation_waits = threading.Event()

    def declaration():
        with transaction.atomic():
            lock_order(order.pk)
            declaration_holds_lock.set()
            cancellation_waits.wait(10)
            return declare(order, "PKG-A", "LINE_1")

    def cancellation():
        declaration_holds_lock.wait(10)
        return record_cancellation_request(
            order_line=line,
            initiator=CancellationRequest.Initiator.CUSTOMER,
            reason="Changed my mind",
            requested_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
        )

    def observer():
        declaration_holds_lock.wait(10)
        wait_until_blocked_on_a_lock()
        cancellation_waits.set()

    declared, cancelled, _ = run_in_threads(declaration, cancellation, observer)

    assert declared.accepted is True
    line.refresh_from_db()
    assert line.status == OrderLine.Status.SHIPPED
    assert list(
        CancellationRequest.objects.filter(order_line=line).values_list(
            "pk", "reason", "state"
        )
    ) == [(cancelled.pk, "Changed my mind", "ClosedByShipment")]
