"""Orders as the marketplace exports them: where each was read, and checks.

A reader turns a file into ``SourceRecord`` objects, one per order, in the
shape of the JSON export (camelCase keys, a ``lines`` list). ``validate``
turns a record into an ``ImportedOrder`` with Python values, or into the list
of everything wrong with it, each problem named by its file, its place in the
file (array index, line or row) and its field.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from orders.models import (
    CancellationInitiator,
    CancellationState,
    LineStatus,
    OrderStatus,
    SupplyMode,
)

MAX_QUANTITY = 2**31 - 1
LARGEST_PRICE = Decimal(10) ** 10
CENT = Decimal("0.01")

# The state a line's cancellation request must be in, for each line status
# that may carry one.
CANCELLATION_STATE_FOR_LINE_STATUS = {
    LineStatus.CANCEL_REQUEST: CancellationState.OPEN,
    LineStatus.CANCELLED: CancellationState.ACCEPTED,
    LineStatus.SHIPPED: CancellationState.CLOSED_BY_SHIPMENT,
    LineStatus.DELIVERED: CancellationState.CLOSED_BY_SHIPMENT,
}

# CSV columns for the fields of the JSON shape, by path inside an order.
CSV_HEADER_COLUMNS = {
    "orderId": "orderId",
    "sellerId": "sellerId",
    "salesChannelId": "salesChannelId",
    "status": "orderStatus",
    "supplyMode": "supplyMode",
    "shippingCountry": "shippingCountry",
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
}
CSV_LINE_COLUMNS = {
    ("orderLineId",): "orderLineId",
    ("sellerProductId",): "sellerProductId",
    ("productTitle",): "productTitle",
    ("quantity",): "quantity",
    ("unitPrice",): "unitPrice",
    ("status",): "lineStatus",
    ("cancellationRequest",): "cancellationInitiator",
    ("cancellationRequest", "initiator"): "cancellationInitiator",
    ("cancellationRequest", "reason"): "cancellationReason",
    ("cancellationRequest", "requestedAt"): "cancellationRequestedAt",
}
CSV_COLUMNS = [
    *CSV_HEADER_COLUMNS.values(),
    "orderLineId",
    "sellerProductId",
    "productTitle",
    "quantity",
    "unitPrice",
    "lineStatus",
    "cancellationInitiator",
    "cancellationReason",
    "cancellationRequestedAt",
]
CSV_OPTIONAL_COLUMNS = frozenset(
    {
        "shippingCountry",
        "productTitle",
        "cancellationInitiator",
        "cancellationReason",
        "cancellationRequestedAt",
    }
)


def json_field(path):
    """``("lines", 1, "quantity")`` reads ``lines[1].quantity``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True, slots=True)
class ArrayIndex:
    """An order at an index of a JSON array."""

    index: int

    @property
    def label(self):
        return f"index {self.index}"

    def describe(self, path):
        return self.label, json_field(path)


@dataclass(frozen=True, slots=True)
class FileLine:
    """An order on one line of a JSON Lines file (the first line is 1)."""

    number: int

    @property
    def label(self):
        return f"line {self.number}"

    def describe(self, path):
        return self.label, json_field(path)


@dataclass(frozen=True, slots=True)
class CsvRows:
    """An order spread over CSV rows, numbered as in a spreadsheet: the
    header is row 1, the first order line row 2."""

    rows: tuple[int, ...]

    @property
    def label(self):
        if len(self.rows) == 1:
            return f"row {self.rows[0]}"
        return f"rows {self.rows[0]}-{self.rows[-1]}"

    def describe(self, path):
        if len(path) >= 3 and path[0] == "lines":
            row = f"row {self.rows[path[1]]}"
            if path[2] == "header":
                return row, CSV_HEADER_COLUMNS[path[3]]
            if path[2] == "fields":
                return row, ""
            return row, CSV_LINE_COLUMNS.get(path[2:], json_field(path[2:]))
        if not path:
            return self.label, ""
        return f"row {self.rows[0]}", CSV_HEADER_COLUMNS.get(path[0], path[0])


@dataclass(frozen=True, slots=True)
class GeneratedOrder:
    """An order made by a generator rather than read from a file."""

    number: int

    @property
    def label(self):
        return f"order {self.number}"

    def describe(self, path):
        return self.label, json_field(path)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong at ``path`` inside an order (empty: the whole)."""

    path: tuple
    reason: str


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that was not imported, and why: file, place, field, reason."""

    file: str
    location: str
    field: str
    reason: str

    def __str__(self):
        place = f"{self.file}, {self.location}" if self.location else self.file
        if self.field:
            return f"{place}, {self.field}: {self.reason}"
        return f"{place}: {self.reason}"


@dataclass(slots=True)
class SourceRecord:
    """One order as read, before validation.

    ``data`` is in the JSON export's shape; ``problems`` holds what the reader
    already found wrong (a broken line, rows that disagree). CSV values are
    all text, so ``text_values`` lets numbers arrive as strings.
    """

    file: str
    position: object
    data: object
    problems: list[Problem] = field(default_factory=list)
    line_count: int = 0
    text_values: bool = False

    def rejections(self, problems):
        rejections = []
        for problem in problems:
            location, field_name = self.position.describe(problem.path)
            rejections.append(
                Rejection(self.file, location, field_name, problem.reason)
            )
        return rejections


@dataclass(slots=True)
class ImportedCancellation:
    initiator: str
    reason: str
    requested_at: dt.datetime
    state: str


@dataclass(slots=True)
class ImportedLine:
    order_line_id: str
    seller_product_id: str
    product_title: str
    quantity: int
    unit_price: Decimal
    status: str
    cancellation: ImportedCancellation | None
    pk: int | None = None


@dataclass(slots=True)
class ImportedOrder:
    seller_id: str
    order_id: str
    sales_channel_id: str
    status: str
    supply_mode: str
    shipping_country: str
    created_at: dt.datetime
    updated_at: dt.datetime
    lines: list[ImportedLine]
    source: SourceRecord
    pk: int | None = None

    @property
    def key(self):
        return (self.seller_id, self.order_id)


NOT_UTF_8 = "holds bytes that are not UTF-8; save the file as UTF-8"


def is_utf_8(text):
    """False when ``text`` holds bytes a UTF-8 reading could not decode."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Checker:
    """Reads typed values out of one record, noting every problem."""

    def __init__(self, record):
        self.problems = list(record.problems)
        self.text_values = record.text_values

    def note(self, path, reason):
        self.problems.append(Problem(path, reason))

    def text(self, data, key, path, *, max_length, required=True):
        value = data.get(key)
        if type(value) is str and value and len(value) <= max_length:
            if "\x00" in value:
                self.note((*path, key), "contains a NUL character")
            elif not value.isascii() and not is_utf_8(value):
                self.note((*path, key), NOT_UTF_8)
            return value
        if value is None or value == "":
            if required:
                self.note((*path, key), "is required")
            return ""
        if not isinstance(value, str):
            self.note((*path, key), f"must be a string, not {type_name(value)}")
            return ""
        if len(value) > max_length:
            self.note((*path, key), f"is longer than {max_length} characters")
        elif "\x00" in value:
            self.note((*path, key), "contains a NUL character")
        elif not is_utf_8(value):
            self.note((*path, key), NOT_UTF_8)
        return value

    def choice(self, data, key, path, choices, what):
        value = self.text(data, key, path, max_length=64)
        if value and value not in choices:
            self.note(
                (*path, key),
                f"unknown {what} {value!r}; expected one of {', '.join(choices)}",
            )
        return value

    def moment(self, data, key, path):
        value = self.text(data, key, path, max_length=64)
        if not value:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            self.note((*path, key), f"{value!r} is not an ISO 8601 date and time")
            return None
        if moment.tzinfo is None:
            self.note((*path, key), f"{value!r} needs a UTC offset (Z or +01:00)")
            return None
        return moment.astimezone(dt.UTC)

    def quantity(self, data, key, path):
        value = data.get(key)
        if value is None or value == "":
            self.note((*path, key), "is required")
            return None
        if self.text_values and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                self.note((*path, key), f"{value!r} is not a whole number")
                return None
        elif isinstance(value, bool) or not isinstance(value, int):
            self.note((*path, key), f"must be a whole number, not {type_name(value)}")
            return None
        if value < 1:
            self.note((*path, key), f"must be at least 1, not {value}")
            return None
        if value > MAX_QUANTITY:
            self.note((*path, key), f"must be at most {MAX_QUANTITY}")
            return None
        return value

    def price(self, data, key, path):
        value = data.get(key)
        if value is None or value == "":
            self.note((*path, key), "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.note((*path, key), f"must be a decimal string, not {type_name(value)}")
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.note((*path, key), f"{value!r} is not a decimal number")
            return None
        if not amount.is_finite() or abs(amount) >= LARGEST_PRICE:
            self.note((*path, key), f"{value!r} is out of range")
            return None
        if amount < 0:
            self.note((*path, key), f"must not be negative, not {value}")
            return None
        rounded = amount.quantize(CENT)
        if rounded != amount:
            self.note((*path, key), f"{value!r} has more than two decimal places")
            return None
        return rounded


ORDER_STATUSES = tuple(OrderStatus.values)
SUPPLY_MODES = tuple(SupplyMode.values)
LINE_STATUSES = tuple(LineStatus.values)
INITIATORS = tuple(CancellationInitiator.values)


def validate(record):
    """Return ``(ImportedOrder, [])`` or ``(None, [Rejection, ...])``."""
    data = record.data
    if not isinstance(data, dict):
        if data is not None:
            record.problems.append(
                Problem((), f"an order must be an object, not {type_name(data)}")
            )
        return None, record.rejections(record.problems)

    check = _Checker(record)
    order = ImportedOrder(
        seller_id=check.text(data, "sellerId", (), max_length=64),
        order_id=check.text(data, "orderId", (), max_length=64),
        sales_channel_id=check.text(data, "salesChannelId", (), max_length=32),
        status=check.choice(data, "status", (), ORDER_STATUSES, "status"),
        supply_mode=check.choice(data, "supplyMode", (), SUPPLY_MODES, "supply mode"),
        shipping_country=check.text(
            data, "shippingCountry", (), max_length=2, required=False
        ),
        created_at=check.moment(data, "createdAt", ()),
        updated_at=check.moment(data, "updatedAt", ()),
        lines=[],
        source=record,
    )
    if order.shipping_country and not (
        len(order.shipping_country) == 2 and order.shipping_country.isalpha()
    ):
        check.note(("shippingCountry",), "must be a two-letter country code")

    lines = data.get("lines")
    if not isinstance(lines, list):
        check.note(
            ("lines",),
            "is required"
            if lines is None
            else f"must be an array, not {type_name(lines)}",
        )
        lines = []
    elif not lines:
        check.note(("lines",), "an order needs at least one line")

    seen_line_ids = set()
    for index, line_data in enumerate(lines):
        line = _validate_line(check, line_data, ("lines", index))
        if line is None:
            continue
        if line.order_line_id in seen_line_ids:
            check.note(
                ("lines", index, "orderLineId"),
                f"{line.order_line_id!r} appears twice in this order",
            )
        seen_line_ids.add(line.order_line_id)
        order.lines.append(line)

    if check.problems:
        return None, record.rejections(check.problems)
    return order, []


def _validate_line(check, data, path):
    if not isinstance(data, dict):
        check.note(path, f"a line must be an object, not {type_name(data)}")
        return None
    line = ImportedLine(
        order_line_id=check.text(data, "orderLineId", path, max_length=64),
        seller_product_id=check.text(data, "sellerProductId", path, max_length=128),
        product_title=check.text(
            data, "productTitle", path, max_length=500, required=False
        ),
        quantity=check.quantity(data, "quantity", path),
        unit_price=check.price(data, "unitPrice", path),
        status=check.choice(data, "status", path, LINE_STATUSES, "status"),
        cancellation=None,
    )

    request_data = data.get("cancellationRequest")
    expected_state = CANCELLATION_STATE_FOR_LINE_STATUS.get(line.status)
    request_path = (*path, "cancellationRequest")
    if request_data is None:
        if line.status == LineStatus.CANCEL_REQUEST:
            check.note(request_path, "is required on a CancelRequest line")
        return line
    if not isinstance(request_data, dict):
        check.note(request_path, f"must be an object, not {type_name(request_data)}")
        return line
    if line.status and expected_state is None:
        check.note(
            request_path,
            f"a {line.status} line cannot have a cancellation request",
        )
        return line

    cancellation = ImportedCancellation(
        initiator=check.choice(
            request_data, "initiator", request_path, INITIATORS, "initiator"
        ),
        reason=check.text(
            request_data, "reason", request_path, max_length=500, required=False
        ),
        requested_at=check.moment(request_data, "requestedAt", request_path),
        state=expected_state,
    )
    stated = request_data.get("state")
    if stated is not None and expected_state is not None and stated != expected_state:
        check.note(
            (*request_path, "state"),
            f"must be {expected_state} on a {line.status} line, not {stated!r}",
        )
    line.cancellation = cancellation
    return line
