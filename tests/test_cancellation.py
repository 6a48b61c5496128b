"""Recording and accepting cancellation requests under the order lock."""

import datetime as dt

import pytest

from orders.models import CancellationRequest, Order, OrderLine
from orders.services import (
    CancellationAlreadyOpen,
    CancellationRequestNotOpen,
    LineCannotBeCancelled,
    accept_cancellation_request,
    record_cancellation_request,
)
from tests.factories import CancellationRequestFactory, OrderFactory, OrderLineFactory
from tests.state import order_state

pytestmark = pytest.mark.django_db

REQUESTED_AT = dt.datetime(2026, 11, 30, 8, 5, tzinfo=dt.UTC)


def request_cancellation(line, initiator=CancellationRequest.Initiator.CUSTOMER):
    return record_cancellation_request(
        order_line=line,
        initiator=initiator,
        reason="Ordered by mistake",
        requested_at=REQUESTED_AT,
    )


def test_request_on_a_line_in_preparation_opens_it():
    line = OrderLineFactory()

    request = request_cancellation(line)

    line.refresh_from_db()
    assert line.status == OrderLine.Status.CANCEL_REQUEST
    assert (request.state, request.initiator, request.requested_at) == (
        "Open",
        "Customer",
        REQUESTED_AT,
    )


def test_request_on_a_shipped_line_is_kept_closed_by_shipment():
    line = OrderLineFactory(status=OrderLine.Status.SHIPPED)

    request = request_cancellation(line)

    line.refresh_from_db()
    assert line.status == OrderLine.Status.SHIPPED
    assert list(
        CancellationRequest.objects.filter(order_line=line).values_list("pk", "state")
    ) == [(request.pk, "ClosedByShipment")]


def test_second_open_request_is_refused_and_nothing_changes():
    existing = CancellationRequestFactory()
    before = order_state(existing.order_line.order)

    with pytest.raises(CancellationAlreadyOpen) as refused:
        request_cancellation(existing.order_line, CancellationRequest.Initiator.SELLER)

    assert refused.value.code == "cancel_request_already_open"
    assert order_state(existing.order_line.order) == before


@pytest.mark.parametrize(
    ("status", "code"),
    [("Cancelled", "line_cancelled"), ("Refused", "line_cannot_be_cancelled")],
)
def test_request_on_a_cancelled_or_refused_line_is_refused(status, code):
    line = OrderLineFactory(status=status)
    before = order_state(line.order)

    with pytest.raises(LineCannotBeCancelled) as refused:
        request_cancellation(line)

    assert refused.value.code == code
    assert refused.value.detail == (
        f"Line {line.order_line_id} is {status}; there is nothing left to cancel."
    )
    assert order_state(line.order) == before


def test_accepting_cancels_the_line_and_an_order_with_nothing_left():
    request = CancellationRequestFactory()

    accept_cancellation_request(cancellation_request=request)

    request.refresh_from_db()
    line = request.order_line
    line.refresh_from_db()
    assert (request.state, line.status, line.order.status) == (
        "Accepted",
        "Cancelled",
        "Cancelled",
    )


def test_accepting_leaves_the_header_while_other_lines_wait():
    order = OrderFactory()
    OrderLineFactory(order=order)
    request = CancellationRequestFactory(order_line__order=order)

    accept_cancellation_request(cancellation_request=request)

    order.refresh_from_db()
    assert order.status == Order.Status.IN_PREPARATION


def test_accepting_a_closed_request_is_refused_and_nothing_changes():
    request = CancellationRequestFactory(
        state=CancellationRequest.State.CLOSED_BY_SHIPMENT,
        order_line__status=OrderLine.Status.SHIPPED,
    )
    before = order_state(request.order_line.order)

    with pytest.raises(CancellationRequestNotOpen) as refused:
        accept_cancellation_request(cancellation_request=request)

    assert refused.value.code == "cancel_request_not_open"
    assert order_state(request.order_line.order) == before
