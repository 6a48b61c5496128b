"""Building export files and reading back what an import stored."""

import io
import json
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import CommandError

from orders.demo import write_csv, write_json_lines
from orders.models import Order
from shipments.services import ParcelDeclaration, declare_shipments


def export_line(order_line_id="LINE_1", **fields):
    line = {
        "orderLineId": order_line_id,
        "sellerProductId": "SKU-KETTLE-17",
        "productTitle": "Electric kettle 1.7 L",
        "quantity": 1,
        "unitPrice": "39.90",
        "status": "InPreparation",
    }
    line.update(fields)
    return line


def customer_request(**fields):
    return {
        "initiator": "Customer",
        "reason": "Ordered by mistake",
        "requestedAt": "2026-11-29T17:40:11Z",
        **fields,
    }


def export_order(order_id="2312011200A1B2", lines=None, **fields):
    order = {
        "orderId": order_id,
        "sellerId": "98979",
        "salesChannelId": "CDISFR",
        "status": "InPreparation",
        "supplyMode": "Seller",
        "shippingCountry": "FR",
        "createdAt": "2026-11-28T09:14:03Z",
        "updatedAt": "2026-11-29T17:40:11Z",
        "lines": lines if lines is not None else [export_line()],
    }
    order.update(fields)
    return order


def three_orders(middle=None):
    """Three orders; ``middle`` replaces the second one."""
    return [
        export_order("ORDER-1"),
        middle if middle is not None else export_order("ORDER-2"),
        export_order("ORDER-3"),
    ]


def write_export(directory, orders, file_format, name="orders"):
    path = directory / f"{name}.{file_format}"
    if file_format == "json":
        path.write_text(json.dumps({"orders": orders}), encoding="utf-8")
    elif file_format == "jsonl":
        write_json_lines(orders, path)
    else:
        write_csv(orders, path)
    return path


@dataclass
class ImportRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def problems(self):
        """The Rejected: and Conflict: lines of standard error."""
        return [
            line
            for line in self.stderr.splitlines()
            if line.startswith(("Rejected: ", "Conflict: "))
        ]


def run_import(*paths, **options):
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_orders", *map(str, paths), stdout=stdout, stderr=stderr, **options
        )
    except CommandError as error:
        return ImportRun(error.returncode, stdout.getvalue(), stderr.getvalue())
    return ImportRun(0, stdout.getvalue(), stderr.getvalue())


def stored_orders():
    """Every stored order with its lines and requests, as plain values."""
    orders = Order.objects.select_related("seller", "sales_channel").prefetch_related(
        "lines__cancellation_requests"
    )
    return sorted(
        (
            order.seller.seller_id,
            order.order_id,
            order.sales_channel.sales_channel_id,
            order.status,
            order.supply_mode,
            order.shipping_country,
            order.created_at.isoformat(),
            order.updated_at.isoformat(),
            sorted(
                (
                    line.order_line_id,
                    line.seller_product_id,
                    line.product_title,
                    line.quantity,
                    str(line.unit_price),
                    line.status,
                    sorted(
                        (
                            request.initiator,
                            request.reason,
                            request.requested_at.isoformat(),
                            request.state,
                        )
                        for request in line.cancellation_requests.all()
                    ),
                )
                for line in order.lines.all()
            ),
        )
        for order in orders
    )


def stored_order_ids():
    return sorted(Order.objects.values_list("order_id", flat=True))


def ship(order, *order_line_ids):
    return declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                parcel_number="PKG-1",
                carrier_name="Chronopost",
                order_line_ids=list(order_line_ids),
            )
        ],
        declared_by="seller 98979",
    )
