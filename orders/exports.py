"""Order line verdicts as CSV, for operators who work in a spreadsheet.

Cells are escaped against formula injection: a spreadsheet would run a cell
that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one), and product titles and reasons come from outside.
"""

import csv
import io

from orders.eligibility import assess_line
from orders.services import assess_order_lines, open_request_among

VERDICT_COLUMNS = [
    "orderId",
    "orderLineId",
    "sellerId",
    "salesChannelId",
    "orderStatus",
    "supplyMode",
    "lineStatus",
    "sellerProductId",
    "productTitle",
    "quantity",
    "unitPrice",
    "cancellationInitiator",
    "cancellationReason",
    "shippable",
    "reasonCodes",
    "reasons",
]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Return ``value`` as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return f"'{text}"
    return text


def assess_orders(orders):
    """Yield ``(order, line, open request, verdict)`` for each line.

    ``orders`` should select ``seller`` and ``sales_channel`` and prefetch
    ``lines__cancellation_requests`` to read in a constant number of queries.
    """
    for order in orders:
        for line, open_request, verdict in assess_order_lines(order):
            yield order, line, open_request, verdict


def assess_lines(lines):
    """Yield ``(order, line, open request, verdict)`` for each line.

    ``lines`` should select ``order__seller`` and ``order__sales_channel`` and
    prefetch ``cancellation_requests``.
    """
    for line in lines:
        open_request = open_request_among(line.cancellation_requests.all())
        verdict = assess_line(
            order=line.order,
            line=line,
            open_cancellation_request=open_request,
            sales_channel=line.order.sales_channel,
        )
        yield line.order, line, open_request, verdict


def verdict_row(order, line, open_request, verdict):
    """Return one CSV row, unescaped, in the order of ``VERDICT_COLUMNS``."""
    return [
        order.order_id,
        line.order_line_id,
        order.seller.seller_id,
        order.sales_channel.sales_channel_id,
        order.status,
        order.supply_mode,
        line.status,
        line.seller_product_id,
        line.product_title,
        line.quantity,
        line.unit_price,
        open_request.initiator if open_request else "",
        open_request.reason if open_request else "",
        "yes" if verdict.shippable else "no",
        " ".join(str(code) for code in verdict.reason_codes),
        " ".join(check.detail for check in verdict.failures),
    ]


def verdicts_csv(assessments):
    """Return the CSV text of ``assessments``, one row per line."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(VERDICT_COLUMNS)
    for assessment in assessments:
        writer.writerow([escape_formula(cell) for cell in verdict_row(*assessment)])
    return output.getvalue()
