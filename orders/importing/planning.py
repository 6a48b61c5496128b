"""Comparing imported orders with what is stored, under the order locks.

``load_stored_orders`` locks the stored orders of a batch the way
``orders.services.lock_order`` locks one: every order row first, in
ascending primary key, then their lines by primary key. A shipment
declaration of one of these orders therefore waits for the import, or the
import for it, and neither can deadlock the other.

``plan_batch`` decides for every order whether it is created, updated,
unchanged or in conflict, and collects the rows to write. It only reads: the
writers in ``orders.importing.writers`` apply the plan.
"""

import dataclasses
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from orders.models import CancellationRequest, Order, OrderLine, OrderStatus

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
CONFLICTING = "conflicting"

# Where a shipped or cancelled order or line may still go: forward, never
# back. Headers and lines spell these statuses the same, so one table serves
# both.
FORWARD_FROM_SHIPPED = {
    OrderStatus.SHIPPED: {OrderStatus.SHIPPED, OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: {OrderStatus.DELIVERED},
    OrderStatus.CANCELLED: {OrderStatus.CANCELLED},
}


@dataclass(slots=True)
class StoredRequest:
    pk: int
    initiator: str
    reason: str
    requested_at: object
    state: str


@dataclass(slots=True)
class StoredLine:
    pk: int
    order_line_id: str
    seller_product_id: str
    product_title: str
    quantity: int
    unit_price: object
    status: str
    requests: list[StoredRequest] = field(default_factory=list)


@dataclass(slots=True)
class StoredOrder:
    pk: int
    seller_pk: int
    order_id: str
    sales_channel_pk: int
    status: str
    supply_mode: str
    shipping_country: str
    created_at: object
    updated_at: object
    lines: dict[str, StoredLine] = field(default_factory=dict)


@dataclass(slots=True)
class OrderOutcome:
    """What happens to one imported order, with its line counts."""

    order: object
    outcome: str
    reasons: list[str] = field(default_factory=list)
    lines_created: int = 0
    lines_updated: int = 0
    lines_unchanged: int = 0


@dataclass
class BatchChanges:
    """Rows to write for a batch. New rows refer to the imported objects,
    whose ``pk`` the writer fills in as it inserts them."""

    new_orders: list = field(default_factory=list)
    changed_orders: list = field(default_factory=list)
    new_lines: list = field(default_factory=list)
    changed_lines: list = field(default_factory=list)
    new_requests: list = field(default_factory=list)
    changed_requests: list = field(default_factory=list)

    def __bool__(self):
        return any(
            (
                self.new_orders,
                self.changed_orders,
                self.new_lines,
                self.changed_lines,
                self.new_requests,
                self.changed_requests,
            )
        )


def among(column, values):
    """A filter on ``column`` (a column of the queried table only) being one
    of ``values``.

    On PostgreSQL the values travel as one array parameter: a thousand
    separate ``IN`` placeholders cost more to build and parse than the
    lookup itself.
    """
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(%s)", (list(values),), BooleanField())
    return Q(**{f"{column}__in": values})


def load_stored_orders(keys, *, lock):
    """Return ``{(seller pk, order id): StoredOrder}`` for the given keys.

    With ``lock``, the order rows are locked in ascending primary key, then
    their lines by primary key; this must run inside ``transaction.atomic()``.
    """
    keys = set(keys)
    if not keys:
        return {}
    orders = Order.objects.filter(
        among("seller_id", {seller_pk for seller_pk, _ in keys}),
        among("order_id", {order_id for _, order_id in keys}),
    ).order_by("pk")
    if lock:
        orders = orders.select_for_update()
    stored = {}
    by_pk = {}
    for row in orders.values_list(
        "pk",
        "seller_id",
        "order_id",
        "sales_channel_id",
        "status",
        "supply_mode",
        "shipping_country",
        "created_at",
        "updated_at",
    ):
        order = StoredOrder(*row)
        if (order.seller_pk, order.order_id) in keys:
            stored[order.seller_pk, order.order_id] = order
            by_pk[order.pk] = order
    if not stored:
        return stored

    lines = OrderLine.objects.filter(among("order_id", by_pk)).order_by("pk")
    if lock:
        lines = lines.select_for_update()
    lines_by_pk = {}
    for order_pk, *values in lines.values_list(
        "order_id",
        "pk",
        "order_line_id",
        "seller_product_id",
        "product_title",
        "quantity",
        "unit_price",
        "status",
    ):
        line = StoredLine(*values)
        by_pk[order_pk].lines[line.order_line_id] = line
        lines_by_pk[line.pk] = line

    for line_pk, *values in (
        CancellationRequest.objects.filter(among("order_line_id", lines_by_pk))
        .order_by("pk")
        .values_list(
            "order_line_id", "pk", "initiator", "reason", "requested_at", "state"
        )
    ):
        lines_by_pk[line_pk].requests.append(StoredRequest(*values))
    return stored


def plan_batch(orders, stored_orders, *, seller_pks, channel_pks):
    """Return ``(BatchChanges, [OrderOutcome])`` for a batch of orders."""
    changes = BatchChanges()
    outcomes = []
    for order in orders:
        seller_pk = seller_pks[order.seller_id]
        channel_pk = channel_pks[order.sales_channel_id]
        stored = stored_orders.get((seller_pk, order.order_id))
        if stored is None:
            outcomes.append(_plan_new_order(order, seller_pk, channel_pk, changes))
        else:
            outcomes.append(_plan_known_order(order, stored, channel_pk, changes))
    return changes, outcomes


def _plan_new_order(order, seller_pk, channel_pk, changes):
    changes.new_orders.append((order, seller_pk, channel_pk))
    for line in order.lines:
        changes.new_lines.append((order, line))
        if line.cancellation is not None:
            changes.new_requests.append((line, line.cancellation))
    return OrderOutcome(order, CREATED, lines_created=len(order.lines))


def conflicts_with_stored(order, stored):
    """Every reason the export may not be applied over the stored order."""
    reasons = []
    if order.updated_at < stored.updated_at:
        reasons.append(
            f"the export (updatedAt {order.updated_at.isoformat()}) is older "
            f"than the stored order (updated {stored.updated_at.isoformat()})"
        )
    forward = FORWARD_FROM_SHIPPED.get(stored.status)
    if forward is not None and order.status not in forward:
        reasons.append(
            f"the order is {stored.status} here; the export would make it "
            f"{order.status}"
        )

    exported_line_ids = set()
    for line in order.lines:
        exported_line_ids.add(line.order_line_id)
        stored_line = stored.lines.get(line.order_line_id)
        if stored_line is None:
            continue
        forward = FORWARD_FROM_SHIPPED.get(stored_line.status)
        if forward is not None and line.status not in forward:
            reasons.append(
                f"line {line.order_line_id} is {stored_line.status} here; the "
                f"export would make it {line.status}"
            )
        open_request = next(
            (
                r
                for r in stored_line.requests
                if r.state == CancellationRequest.State.OPEN
            ),
            None,
        )
        if open_request is not None and not _same_request(
            open_request, line.cancellation
        ):
            reasons.append(
                f"line {line.order_line_id} has an open cancellation request "
                f"({open_request.initiator}, {open_request.requested_at.isoformat()}) "
                "that the export does not list"
            )
    missing = [line_id for line_id in stored.lines if line_id not in exported_line_ids]
    if missing:
        reasons.append(
            f"stored line(s) {', '.join(missing)} are missing from the export"
        )
    return reasons


def open_stored_request(stored_line):
    return next(
        (
            request
            for request in stored_line.requests
            if request.state == CancellationRequest.State.OPEN
        ),
        None,
    )


def _same_request(stored_request, cancellation):
    return (
        cancellation is not None
        and stored_request.initiator == cancellation.initiator
        and stored_request.requested_at == cancellation.requested_at
    )


def _plan_known_order(order, stored, channel_pk, changes):
    order.pk = stored.pk
    reasons = conflicts_with_stored(order, stored)
    if reasons:
        reasons += _keep_requests_on_shipped_lines(order, stored, changes)
        return OrderOutcome(order, CONFLICTING, reasons)

    outcome = OrderOutcome(order, UNCHANGED)
    if (
        stored.sales_channel_pk,
        stored.status,
        stored.supply_mode,
        stored.shipping_country,
        stored.created_at,
        stored.updated_at,
    ) != (
        channel_pk,
        order.status,
        order.supply_mode,
        order.shipping_country,
        order.created_at,
        order.updated_at,
    ):
        changes.changed_orders.append((order, channel_pk))
        outcome.outcome = UPDATED

    for line in order.lines:
        stored_line = stored.lines.get(line.order_line_id)
        if stored_line is None:
            changes.new_lines.append((order, line))
            if line.cancellation is not None:
                changes.new_requests.append((line, line.cancellation))
            outcome.lines_created += 1
            continue

        line.pk = stored_line.pk
        line_changed = False
        if (
            stored_line.seller_product_id,
            stored_line.product_title,
            stored_line.quantity,
            stored_line.unit_price,
            stored_line.status,
        ) != (
            line.seller_product_id,
            line.product_title,
            line.quantity,
            line.unit_price,
            line.status,
        ):
            changes.changed_lines.append(line)
            line_changed = True
        if line.cancellation is not None:
            line_changed |= _plan_request(line, stored_line, changes)
        if line_changed:
            outcome.lines_updated += 1
        else:
            outcome.lines_unchanged += 1

    if outcome.lines_created or outcome.lines_updated:
        outcome.outcome = UPDATED
    return outcome


def _keep_requests_on_shipped_lines(order, stored, changes):
    """Record, closed by the shipment, each cancellation request a
    conflicting export carries for a line shipped here.

    The rest of the export is not applied, but a customer's request is never
    dropped: it is kept as it would be had it arrived through the API.
    """
    notes = []
    for line in order.lines:
        stored_line = stored.lines.get(line.order_line_id)
        if (
            line.cancellation is None
            or stored_line is None
            or stored_line.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
            or any(
                _same_request(request, line.cancellation)
                for request in stored_line.requests
            )
        ):
            continue
        line.pk = stored_line.pk
        closed = dataclasses.replace(
            line.cancellation, state=CancellationRequest.State.CLOSED_BY_SHIPMENT
        )
        changes.new_requests.append((line, closed))
        notes.append(
            f"its cancellation request on line {line.order_line_id} is recorded, "
            "closed by the shipment"
        )
    return notes


def _plan_request(line, stored_line, changes):
    """Plan the line's cancellation request; True when it changes."""
    cancellation = line.cancellation
    stored_request = next(
        (r for r in stored_line.requests if _same_request(r, cancellation)), None
    )
    if stored_request is None:
        changes.new_requests.append((line, cancellation))
        return True
    if (stored_request.reason, stored_request.state) != (
        cancellation.reason,
        cancellation.state,
    ):
        changes.changed_requests.append((stored_request.pk, cancellation))
        return True
    return False
