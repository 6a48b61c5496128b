"""Operations that change the state of order lines.

Every operation here, and the shipment declaration in ``shipments.services``,
starts with ``lock_order``: the order row first, then its lines by primary
key. Taking the same locks in the same order means two writers of one order
queue one behind the other and cannot deadlock, and no change is lost.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from orders.eligibility import ReasonCode, assess_line
from orders.models import CancellationRequest, Order, OrderLine

logger = logging.getLogger(__name__)

SHIPPED_LINE_STATUSES = (OrderLine.Status.SHIPPED, OrderLine.Status.DELIVERED)


class OrderOperationError(Exception):
    """An operation on an order was refused; ``code`` says why."""

    code = "order_operation_refused"

    def __init__(self, detail, *, code=None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class CancellationAlreadyOpen(OrderOperationError):
    code = "cancel_request_already_open"


class LineCannotBeCancelled(OrderOperationError):
    code = "line_cannot_be_cancelled"


class CancellationRequestNotOpen(OrderOperationError):
    code = "cancel_request_not_open"


@dataclass
class LockedOrder:
    """An order and its lines, locked for the rest of the transaction."""

    order: Order
    lines: list[OrderLine]
    open_requests: dict[int, CancellationRequest] = field(default_factory=dict)

    def line_with_pk(self, pk):
        return next(line for line in self.lines if line.pk == pk)

    def open_request_for(self, line):
        return self.open_requests.get(line.pk)


def lock_order(order_pk):
    """Lock an order, then its lines by primary key, and return them.

    Must run inside ``transaction.atomic()``. On SQLite, where rows cannot be
    locked, the IMMEDIATE transaction mode set in the settings serialises
    writers on the whole database instead.
    """
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("sales_channel", "seller")
        .get(pk=order_pk)
    )
    lines = list(
        OrderLine.objects.select_for_update().filter(order=order).order_by("pk")
    )
    open_requests = {
        request.order_line_id: request
        for request in CancellationRequest.objects.filter(
            order_line__order=order, state=CancellationRequest.State.OPEN
        ).order_by()
    }
    return LockedOrder(order=order, lines=lines, open_requests=open_requests)


def settle_order_status(order, lines, *, now):
    """Close the order header once no line is left to ship.

    The header of an InPreparation order becomes Shipped when every line is
    shipped or cancelled and at least one shipped, and Cancelled when every
    line is cancelled. Returns True when the header changed.
    """
    if order.status != Order.Status.IN_PREPARATION or not lines:
        return False
    statuses = {line.status for line in lines}
    if statuses == {OrderLine.Status.CANCELLED}:
        order.status = Order.Status.CANCELLED
    elif statuses <= {*SHIPPED_LINE_STATUSES, OrderLine.Status.CANCELLED}:
        order.status = Order.Status.SHIPPED
    else:
        return False
    order.updated_at = now
    order.save(update_fields=["status", "updated_at"])
    return True


def record_cancellation_request(*, order_line, initiator, reason, requested_at):
    """Record a new cancellation request on a line, under the order lock.

    A line that is waiting, accepted or in preparation moves to CancelRequest
    with the request open. A request for a line that has already shipped is
    still recorded, closed by its shipment, so that no request is ever lost.
    Raises ``CancellationAlreadyOpen`` when the line has an open request and
    ``LineCannotBeCancelled`` when it is cancelled or refused.
    """
    with transaction.atomic():
        locked = lock_order(order_line.order_id)
        line = locked.line_with_pk(order_line.pk)
        now = timezone.now()

        if line.status in SHIPPED_LINE_STATUSES:
            request = CancellationRequest.objects.create(
                order_line=line,
                initiator=initiator,
                reason=reason,
                requested_at=requested_at,
                state=CancellationRequest.State.CLOSED_BY_SHIPMENT,
            )
            logger.info(
                "Cancellation request on a shipped line closed by its shipment",
                extra={"order_line_pk": line.pk, "initiator": initiator},
            )
            return request

        if locked.open_request_for(line) is not None:
            raise CancellationAlreadyOpen(
                f"Line {line.order_line_id} already has an open cancellation request."
            )
        if line.status in (OrderLine.Status.CANCELLED, OrderLine.Status.REFUSED):
            raise LineCannotBeCancelled(
                f"Line {line.order_line_id} is {line.status}; there is nothing "
                "left to cancel.",
                code=ReasonCode.LINE_CANCELLED
                if line.status == OrderLine.Status.CANCELLED
                else None,
            )

        request = CancellationRequest.objects.create(
            order_line=line,
            initiator=initiator,
            reason=reason,
            requested_at=requested_at,
        )
        line.status = OrderLine.Status.CANCEL_REQUEST
        line.save(update_fields=["status", "updated_at"])
        locked.order.updated_at = now
        locked.order.save(update_fields=["updated_at"])

    logger.info(
        "Cancellation request opened",
        extra={"order_line_pk": line.pk, "initiator": initiator},
    )
    return request


def accept_cancellation_request(*, cancellation_request):
    """Accept an open cancellation request: the line becomes Cancelled.

    Runs under the order lock. Raises ``CancellationRequestNotOpen`` when the
    request was meanwhile accepted or closed by a shipment.
    """
    order_pk = (
        OrderLine.objects.filter(pk=cancellation_request.order_line_id)
        .values_list("order_id", flat=True)
        .get()
    )
    with transaction.atomic():
        locked = lock_order(order_pk)
        line = locked.line_with_pk(cancellation_request.order_line_id)
        request = locked.open_request_for(line)
        if request is None or request.pk != cancellation_request.pk:
            raise CancellationRequestNotOpen(
                f"The cancellation request on line {line.order_line_id} is no "
                "longer open."
            )
        now = timezone.now()

        request.state = CancellationRequest.State.ACCEPTED
        request.save(update_fields=["state", "updated_at"])
        line.status = OrderLine.Status.CANCELLED
        line.save(update_fields=["status", "updated_at"])
        if not settle_order_status(locked.order, locked.lines, now=now):
            locked.order.updated_at = now
            locked.order.save(update_fields=["updated_at"])

    logger.info(
        "Cancellation request accepted",
        extra={"order_line_pk": line.pk, "cancellation_request_pk": request.pk},
    )
    return request


def open_request_among(cancellation_requests):
    """Return the open request among a line's requests, or None."""
    return next(
        (
            request
            for request in cancellation_requests
            if request.state == CancellationRequest.State.OPEN
        ),
        None,
    )


def assess_order_lines(order):
    """Return ``(line, open request, verdict)`` for every line of ``order``.

    Reads ``order.lines`` and each line's cancellation requests, so callers
    that assess many orders prefetch ``lines__cancellation_requests`` and
    select ``sales_channel`` to keep the number of queries constant.
    """
    assessments = []
    for line in order.lines.all():
        open_request = open_request_among(line.cancellation_requests.all())
        verdict = assess_line(
            order=order,
            line=line,
            open_cancellation_request=open_request,
            sales_channel=order.sales_channel,
        )
        assessments.append((line, open_request, verdict))
    return assessments
