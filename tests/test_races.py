"""Concurrent writers of one order on PostgreSQL: nothing lost or doubled."""

import contextlib
import datetime as dt
import itertools

import pytest

from orders.models import CancellationRequest, OrderLine
from orders.services import (
    CancellationRequestNotOpen,
    accept_cancellation_request,
    record_cancellation_request,
)
from shipments.models import Shipment, ShipmentLine, ShipmentRequest
from shipments.services import ParcelDeclaration, declare_shipments
from tests.concurrency import run_in_threads
from tests.factories import OrderFactory, OrderLineFactory
from tests.invariants import assert_order_consistent

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

REQUESTED_AT = dt.datetime(2026, 11, 30, 8, 5, tzinfo=dt.UTC)


def order_with_lines(count):
    order = OrderFactory()
    lines = [
        OrderLineFactory(order=order, order_line_id=f"LINE_{number}")
        for number in range(1, count + 1)
    ]
    return order, lines


def declaration(order, parcel_number, *order_line_ids):
    return lambda: declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                parcel_number=parcel_number,
                carrier_name="Colissimo",
                order_line_ids=list(order_line_ids),
            )
        ],
        declared_by="seller 98979",
    )


def cancellation(line, initiator, *, then_accept=False):
    """Record a request, and accept it when asked; a request that was
    meanwhile closed by a shipment refuses the acceptance, and is still
    recorded."""

    def cancel():
        request = record_cancellation_request(
            order_line=line,
            initiator=initiator,
            reason="Changed my mind",
            requested_at=REQUESTED_AT,
        )
        if then_accept:
            with contextlib.suppress(CancellationRequestNotOpen):
                accept_cancellation_request(cancellation_request=request)
        return request

    return cancel


def test_twenty_clients_declaring_overlapping_lines_ship_each_line_once():
    order, _ = order_with_lines(10)
    clients = [
        declaration(
            order,
            f"PKG-{client}",
            f"LINE_{client % 10 + 1}",
            f"LINE_{(client + 1) % 10 + 1}",
        )
        for client in range(20)
    ]

    outcomes = run_in_threads(*clients)

    accepted = [outcome for outcome in outcomes if outcome.accepted]
    shipped_line_ids = list(
        itertools.chain.from_iterable(
            outcome.shipments[0].lines.values_list("order_line_id", flat=True)
            for outcome in accepted
        )
    )
    assert len(shipped_line_ids) == len(set(shipped_line_ids))
    assert Shipment.objects.filter(order=order).count() == len(accepted)
    assert ShipmentLine.objects.filter(shipment__order=order).count() == len(
        shipped_line_ids
    )
    assert ShipmentRequest.objects.filter(order=order).count() == 20
    assert sorted(
        OrderLine.objects.filter(order=order, status="Shipped").values_list(
            "order_line_id", flat=True
        )
    ) == sorted(shipped_line_ids)
    assert_order_consistent(order)


def test_declarations_racing_cancellations_and_acceptances_lose_nothing():
    order, lines = order_with_lines(8)
    initiators = itertools.cycle(CancellationRequest.Initiator)
    writers = []
    for line in lines:
        writers.append(
            declaration(order, f"PKG-{line.order_line_id}", line.order_line_id)
        )
        writers.append(
            cancellation(line, next(initiators), then_accept=line.pk % 2 == 0)
        )

    results = run_in_threads(*writers)

    recorded = [result for result in results if isinstance(result, CancellationRequest)]
    assert CancellationRequest.objects.filter(order_line__order=order).count() == len(
        recorded
    )
    assert len(recorded) == len(lines)
    declared = [result for result in results if hasattr(result, "accepted")]
    assert ShipmentRequest.objects.filter(order=order).count() == len(declared) == 8
    assert Shipment.objects.filter(order=order).count() == sum(
        outcome.accepted for outcome in declared
    )
    assert_order_consistent(order)
