"""The rule that decides whether an order line may be declared shipped.

``assess_line`` is the one place the rule is written. It is a pure function:
it reads the attributes of the objects it is given and never queries the
database, so the API, the admin and the eligibility preview share it and can
never disagree. ``shippable_line_condition`` restates the same rule as a
queryset filter, for lists that must filter or count shippable lines; a test
proves the two agree on every combination of inputs.
"""

from dataclasses import dataclass

from django.db import models

from orders.models import CancellationRequest, Order, OrderLine


class ReasonCode(models.TextChoices):
    """Stable machine codes for every reason a line or request is refused."""

    ORDER_NOT_IN_PREPARATION = "order_not_in_preparation"
    SUPPLY_MODE_NOT_SELLER = "supply_mode_not_seller"
    LINE_ALREADY_SHIPPED = "line_already_shipped"
    LINE_CANCELLED = "line_cancelled"
    LINE_NOT_READY = "line_not_ready"
    CHANNEL_DISALLOWS_CANCEL_REQUEST_SHIPMENT = (
        "channel_disallows_cancel_request_shipment"
    )
    CANCEL_REQUEST_MISSING = "cancel_request_missing"
    CANCELLATION_NOT_INITIATED_BY_CUSTOMER = "cancellation_not_initiated_by_customer"
    LINE_NOT_FOUND = "line_not_found"
    LINE_LISTED_TWICE = "line_listed_twice"
    PARCEL_ALREADY_DECLARED = "parcel_already_declared"
    PARCEL_LISTED_TWICE = "parcel_listed_twice"


class CheckName(models.TextChoices):
    """The checks of the rule, in the order they are made."""

    ORDER_STATUS = "order_status", "Order header is InPreparation"
    SUPPLY_MODE = "supply_mode", "Supply mode is Seller"
    LINE_STATUS = "line_status", "Line is InPreparation or CancelRequest"
    CHANNEL_POLICY = "channel_policy", "Sales channel ships customer cancel requests"
    CANCEL_REQUEST_OPEN = "cancel_request_open", "An open cancellation request exists"
    CANCELLATION_INITIATOR = (
        "cancellation_initiator",
        "Cancellation was initiated by the customer",
    )


@dataclass(frozen=True)
class Check:
    name: CheckName
    passed: bool
    detail: str
    code: ReasonCode | None = None

    @property
    def label(self):
        return self.name.label

    def as_dict(self):
        return {
            "name": self.name.value,
            "label": self.name.label,
            "passed": self.passed,
            "code": self.code.value if self.code else None,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class LineVerdict:
    order_line_id: str
    checks: tuple[Check, ...]

    @property
    def shippable(self):
        return all(check.passed for check in self.checks)

    @property
    def failures(self):
        return [check for check in self.checks if not check.passed]

    @property
    def reason_codes(self):
        return [check.code for check in self.failures]


SHIPPABLE_LINE_STATUSES = (
    OrderLine.Status.IN_PREPARATION,
    OrderLine.Status.CANCEL_REQUEST,
)
LINE_STATUS_FAILURES = {
    OrderLine.Status.SHIPPED: ReasonCode.LINE_ALREADY_SHIPPED,
    OrderLine.Status.DELIVERED: ReasonCode.LINE_ALREADY_SHIPPED,
    OrderLine.Status.CANCELLED: ReasonCode.LINE_CANCELLED,
}


def assess_line(*, order, line, open_cancellation_request, sales_channel):
    """Return whether ``line`` of ``order`` may be declared shipped, and why.

    Every applicable check is made, not only up to the first failure, so the
    verdict lists every reason at once. ``open_cancellation_request`` is the
    line's open request or None; ``sales_channel`` is the order's channel.
    """
    checks = [
        _check_order_status(order),
        _check_supply_mode(order),
        _check_line_status(line),
    ]
    if line.status == OrderLine.Status.CANCEL_REQUEST:
        checks += [
            _check_channel_policy(sales_channel),
            _check_cancel_request_open(open_cancellation_request),
        ]
        if open_cancellation_request is not None:
            checks.append(_check_cancellation_initiator(open_cancellation_request))
    return LineVerdict(order_line_id=line.order_line_id, checks=tuple(checks))


def _check_order_status(order):
    if order.status == Order.Status.IN_PREPARATION:
        return Check(CheckName.ORDER_STATUS, True, "The order is InPreparation.")
    return Check(
        CheckName.ORDER_STATUS,
        False,
        f"The order is {order.status}; only InPreparation orders can ship.",
        ReasonCode.ORDER_NOT_IN_PREPARATION,
    )


def _check_supply_mode(order):
    if order.supply_mode == Order.SupplyMode.SELLER:
        return Check(CheckName.SUPPLY_MODE, True, "The seller ships this order.")
    return Check(
        CheckName.SUPPLY_MODE,
        False,
        f"The supply mode is {order.supply_mode}; only Seller orders are "
        "declared by the seller.",
        ReasonCode.SUPPLY_MODE_NOT_SELLER,
    )


def _check_line_status(line):
    if line.status in SHIPPABLE_LINE_STATUSES:
        return Check(CheckName.LINE_STATUS, True, f"The line is {line.status}.")
    code = LINE_STATUS_FAILURES.get(line.status, ReasonCode.LINE_NOT_READY)
    if code == ReasonCode.LINE_ALREADY_SHIPPED:
        detail = f"The line is already {line.status}."
    elif code == ReasonCode.LINE_CANCELLED:
        detail = "The line is Cancelled."
    else:
        detail = (
            f"The line is {line.status}; it must be InPreparation or CancelRequest."
        )
    return Check(CheckName.LINE_STATUS, False, detail, code)


def _check_channel_policy(sales_channel):
    if sales_channel.ships_customer_cancel_requests:
        return Check(
            CheckName.CHANNEL_POLICY,
            True,
            f"{sales_channel.sales_channel_id} ships lines with a customer "
            "cancel request.",
        )
    return Check(
        CheckName.CHANNEL_POLICY,
        False,
        f"{sales_channel.sales_channel_id} does not allow shipping a line in "
        "CancelRequest.",
        ReasonCode.CHANNEL_DISALLOWS_CANCEL_REQUEST_SHIPMENT,
    )


def _check_cancel_request_open(open_cancellation_request):
    if open_cancellation_request is not None:
        return Check(
            CheckName.CANCEL_REQUEST_OPEN, True, "An open cancellation request exists."
        )
    return Check(
        CheckName.CANCEL_REQUEST_OPEN,
        False,
        "The line is in CancelRequest but no open cancellation request is "
        "recorded for it.",
        ReasonCode.CANCEL_REQUEST_MISSING,
    )


def _check_cancellation_initiator(open_cancellation_request):
    initiator = open_cancellation_request.initiator
    if initiator == CancellationRequest.Initiator.CUSTOMER:
        return Check(
            CheckName.CANCELLATION_INITIATOR, True, "The customer asked to cancel."
        )
    return Check(
        CheckName.CANCELLATION_INITIATOR,
        False,
        f"The cancellation was initiated by {initiator}; only a customer's "
        "request lets the line ship.",
        ReasonCode.CANCELLATION_NOT_INITIATED_BY_CUSTOMER,
    )


def shippable_line_condition():
    """Return a ``Q`` on order lines that keeps those ``assess_line`` ships.

    To filter orders by their lines, wrap it in ``Exists`` over a queryset
    of ``OrderLine.objects.filter(shippable_line_condition(), order=...)``.
    """
    open_customer_request = models.Exists(
        CancellationRequest.objects.filter(
            order_line=models.OuterRef("pk"),
            state=CancellationRequest.State.OPEN,
            initiator=CancellationRequest.Initiator.CUSTOMER,
        )
    )
    ships_after_customer_cancel = (
        models.Q(
            status=OrderLine.Status.CANCEL_REQUEST,
            order__sales_channel__ships_customer_cancel_requests=True,
        )
        & open_customer_request
    )
    return models.Q(
        order__status=Order.Status.IN_PREPARATION,
        order__supply_mode=Order.SupplyMode.SELLER,
    ) & (models.Q(status=OrderLine.Status.IN_PREPARATION) | ships_after_customer_cancel)
