"""Generated order exports, for the demo data and the import benchmark.

``demo_orders`` starts with one order for every branch of the shipment rule
(each header status, supply mode, line status and cancellation initiator, and
a channel other than Cdiscount), then adds random orders. The same seed gives
the same orders. Orders are dictionaries in the JSON export's shape, ready
for ``write_json_lines``, ``write_csv`` or ``json.dump``.
"""

import csv
import datetime as dt
import json
import random

from orders.importing.records import CSV_COLUMNS
from orders.models import CancellationInitiator, LineStatus, OrderStatus, SupplyMode

DEMO_SELLER_ID = "98979"
CDISCOUNT_FRANCE = "CDISFR"
# Not known to the database: the import creates it with the baseline policy.
OTHER_CHANNEL = "DEMOMKT"
EPOCH = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)

PRODUCTS = [
    ("SKU-KETTLE-17", "Electric kettle 1.7 L", "39.90"),
    ("SKU-MUG-SET4", "Set of 4 stoneware mugs", "24.50"),
    ("SKU-LAMP-DESK", "Desk lamp, brushed steel", "54.00"),
    ("SKU-CABLE-USB-C", "USB-C cable 2 m", "7.99"),
    ("SKU-TOASTER-2", "Two-slot toaster", "32.00"),
    ("SKU-PAN-28", "Frying pan 28 cm", "27.45"),
    ("SKU-BLANKET", "Wool blanket 150 x 200", "64.90"),
    ("SKU-HEADPHONES", "Wireless headphones", "89.00"),
]

CANCEL_REASONS = {
    CancellationInitiator.CUSTOMER: "Ordered by mistake",
    CancellationInitiator.SELLER: "Out of stock",
    CancellationInitiator.SALES_CHANNEL: "Payment not confirmed",
}

# One scenario per branch of the rule: (header status, supply mode, channel,
# [(line status, cancellation initiator or None), ...]).
COVERAGE = [
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [
            (LineStatus.IN_PREPARATION, None),
            (LineStatus.CANCEL_REQUEST, CancellationInitiator.CUSTOMER),
        ],
    ),
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.CANCEL_REQUEST, CancellationInitiator.SELLER)],
    ),
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.CANCEL_REQUEST, CancellationInitiator.SALES_CHANNEL)],
    ),
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.SELLER,
        OTHER_CHANNEL,
        [
            (LineStatus.IN_PREPARATION, None),
            (LineStatus.CANCEL_REQUEST, CancellationInitiator.CUSTOMER),
        ],
    ),
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.FULFILLMENT,
        CDISCOUNT_FRANCE,
        [(LineStatus.IN_PREPARATION, None)],
    ),
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.XDOCK,
        CDISCOUNT_FRANCE,
        [(LineStatus.IN_PREPARATION, None)],
    ),
    (
        OrderStatus.IN_PREPARATION,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [
            (LineStatus.IN_PREPARATION, None),
            (LineStatus.SHIPPED, None),
            (LineStatus.CANCELLED, CancellationInitiator.SELLER),
        ],
    ),
    (
        OrderStatus.WAITING_ACCEPTANCE,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.WAITING_ACCEPTANCE, None)],
    ),
    (
        OrderStatus.ACCEPTED,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.ACCEPTED, None)],
    ),
    (
        OrderStatus.REFUSED,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.REFUSED, None)],
    ),
    (
        OrderStatus.SHIPPED,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [
            (LineStatus.SHIPPED, None),
            (LineStatus.SHIPPED, CancellationInitiator.CUSTOMER),
        ],
    ),
    (
        OrderStatus.DELIVERED,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.DELIVERED, None)],
    ),
    (
        OrderStatus.CANCELLED,
        SupplyMode.SELLER,
        CDISCOUNT_FRANCE,
        [(LineStatus.CANCELLED, CancellationInitiator.SALES_CHANNEL)],
    ),
]

# Random orders: what each header status lets its lines be.
LINE_STATUSES_FOR_HEADER = {
    OrderStatus.WAITING_ACCEPTANCE: [LineStatus.WAITING_ACCEPTANCE],
    OrderStatus.ACCEPTED: [LineStatus.ACCEPTED],
    OrderStatus.REFUSED: [LineStatus.REFUSED],
    OrderStatus.IN_PREPARATION: [
        LineStatus.IN_PREPARATION,
        LineStatus.IN_PREPARATION,
        LineStatus.IN_PREPARATION,
        LineStatus.CANCEL_REQUEST,
        LineStatus.SHIPPED,
        LineStatus.CANCELLED,
    ],
    OrderStatus.SHIPPED: [LineStatus.SHIPPED, LineStatus.SHIPPED, LineStatus.CANCELLED],
    OrderStatus.DELIVERED: [LineStatus.DELIVERED],
    OrderStatus.CANCELLED: [LineStatus.CANCELLED],
}
HEADER_WEIGHTS = {
    OrderStatus.WAITING_ACCEPTANCE: 1,
    OrderStatus.ACCEPTED: 1,
    OrderStatus.REFUSED: 1,
    OrderStatus.IN_PREPARATION: 10,
    OrderStatus.SHIPPED: 4,
    OrderStatus.DELIVERED: 2,
    OrderStatus.CANCELLED: 1,
}


def demo_orders(count, *, seed, prefix="DEMO"):
    """Yield ``count`` orders: the coverage set first, then random ones."""
    rng = random.Random(seed)
    for number in range(count):
        order_id = f"{prefix}{seed:03d}{number:07d}"
        if number < len(COVERAGE):
            status, supply_mode, channel, lines = COVERAGE[number]
        else:
            status, supply_mode, channel, lines = _random_scenario(rng)
        yield _order(rng, order_id, status, supply_mode, channel, lines)


def random_orders(count, *, seed, prefix="BENCH"):
    """Yield ``count`` random orders, three lines each on average."""
    rng = random.Random(seed)
    for number in range(count):
        order_id = f"{prefix}{seed:03d}{number:07d}"
        yield _order(rng, order_id, *_random_scenario(rng))


def _random_scenario(rng):
    status = rng.choices(list(HEADER_WEIGHTS), weights=HEADER_WEIGHTS.values())[0]
    supply_mode = rng.choice(
        [SupplyMode.SELLER, SupplyMode.SELLER, SupplyMode.FULFILLMENT, SupplyMode.XDOCK]
    )
    channel = CDISCOUNT_FRANCE if rng.random() < 0.9 else OTHER_CHANNEL
    lines = []
    for _ in range(rng.randint(1, 5)):
        line_status = rng.choice(LINE_STATUSES_FOR_HEADER[status])
        initiator = None
        if line_status == LineStatus.CANCEL_REQUEST or (
            line_status == LineStatus.CANCELLED and rng.random() < 0.7
        ):
            initiator = rng.choice(list(CancellationInitiator))
        lines.append((line_status, initiator))
    return status, supply_mode, channel, lines


def _order(rng, order_id, status, supply_mode, channel, lines):
    created_at = EPOCH + dt.timedelta(minutes=rng.randint(0, 40_000))
    updated_at = created_at + dt.timedelta(minutes=rng.randint(0, 4_000))
    order = {
        "orderId": order_id,
        "sellerId": DEMO_SELLER_ID,
        "salesChannelId": str(channel),
        "status": str(status),
        "supplyMode": str(supply_mode),
        "shippingCountry": rng.choice(["FR", "FR", "FR", "BE", "LU"]),
        "createdAt": _timestamp(created_at),
        "updatedAt": _timestamp(updated_at),
        "lines": [],
    }
    for number, (line_status, initiator) in enumerate(lines, start=1):
        sku, title, price = rng.choice(PRODUCTS)
        line = {
            "orderLineId": f"LINE_{number}",
            "sellerProductId": sku,
            "productTitle": title,
            "quantity": rng.choice([1, 1, 1, 2, 3]),
            "unitPrice": price,
            "status": str(line_status),
        }
        if initiator is not None:
            line["cancellationRequest"] = {
                "initiator": str(initiator),
                "reason": CANCEL_REASONS[initiator],
                "requestedAt": _timestamp(updated_at),
            }
        order["lines"].append(line)
    return order


def _timestamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_json_lines(orders, path):
    """Write orders as JSON Lines; return the number of lines they hold."""
    line_count = 0
    with open(path, "w", encoding="utf-8") as stream:
        for order in orders:
            stream.write(json.dumps(order, separators=(",", ":")) + "\n")
            line_count += len(order["lines"])
    return line_count


def write_csv(orders, path):
    """Write orders as CSV, one order line a row."""
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for order in orders:
            for line in order["lines"]:
                request = line.get("cancellationRequest") or {}
                writer.writerow(
                    [
                        order["orderId"],
                        order["sellerId"],
                        order["salesChannelId"],
                        order["status"],
                        order["supplyMode"],
                        order["shippingCountry"],
                        order["createdAt"],
                        order["updatedAt"],
                        line["orderLineId"],
                        line["sellerProductId"],
                        line["productTitle"],
                        line["quantity"],
                        line["unitPrice"],
                        line["status"],
                        request.get("initiator", ""),
                        request.get("reason", ""),
                        request.get("requestedAt", ""),
                    ]
                )
