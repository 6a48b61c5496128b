"""The endpoint's SQL statements, replayed straight through psycopg.

The floor under the shipment endpoint: for each order of the plan, one
transaction sends the statements Django sends for a declaration of the whole
order (token lookup, order lookup, the declaration, the answer's reads), with
the same text, written here by hand, and parameters from the plan. Run in its
own process like the load generator, with the same closed loop; prints the
same JSON summary. ``bench/api.py`` checks that the texts are those Django
sends.
"""

import argparse
import datetime as dt
import json
import sys

import psycopg
from psycopg.types.json import Jsonb

from bench.closed_loop import run_closed_loop

TOKEN_LOOKUP = (
    'SELECT "shipments_apitoken"."id", "shipments_apitoken"."seller_id", '
    '"shipments_apitoken"."name", "shipments_apitoken"."prefix", '
    '"shipments_apitoken"."digest", "shipments_apitoken"."created_at", '
    '"shipments_apitoken"."last_used_at", "shipments_apitoken"."revoked_at", '
    '"orders_seller"."id", "orders_seller"."seller_id", "orders_seller"."name", '
    '"orders_seller"."created_at", "orders_seller"."updated_at" '
    'FROM "shipments_apitoken" INNER JOIN "orders_seller" '
    'ON ("shipments_apitoken"."seller_id" = "orders_seller"."id") '
    'WHERE ("shipments_apitoken"."prefix" = %s '
    'AND "shipments_apitoken"."revoked_at" IS NULL) '
    'ORDER BY "orders_seller"."seller_id" ASC, '
    '"shipments_apitoken"."created_at" DESC, "shipments_apitoken"."id" ASC'
)
ORDER_COLUMNS = (
    '"orders_order"."id", "orders_order"."seller_id", '
    '"orders_order"."sales_channel_id", "orders_order"."order_id", '
    '"orders_order"."status", "orders_order"."supply_mode", '
    '"orders_order"."shipping_country", "orders_order"."created_at", '
    '"orders_order"."updated_at"'
)
ORDER_LOOKUP = (
    f'SELECT {ORDER_COLUMNS} FROM "orders_order" '
    'WHERE ("orders_order"."seller_id" = %s AND "orders_order"."order_id" = %s) '
    'ORDER BY "orders_order"."created_at" DESC, "orders_order"."id" ASC LIMIT 1'
)
LOCK_ORDER = (
    f"SELECT {ORDER_COLUMNS}, "
    '"orders_seller"."id", "orders_seller"."seller_id", "orders_seller"."name", '
    '"orders_seller"."created_at", "orders_seller"."updated_at", '
    '"orders_saleschannel"."id", "orders_saleschannel"."sales_channel_id", '
    '"orders_saleschannel"."name", '
    '"orders_saleschannel"."ships_customer_cancel_requests", '
    '"orders_saleschannel"."created_at", "orders_saleschannel"."updated_at" '
    'FROM "orders_order" INNER JOIN "orders_seller" '
    'ON ("orders_order"."seller_id" = "orders_seller"."id") '
    'INNER JOIN "orders_saleschannel" '
    'ON ("orders_order"."sales_channel_id" = "orders_saleschannel"."id") '
    'WHERE "orders_order"."id" = %s LIMIT 21 FOR UPDATE OF "orders_order"'
)
LINE_COLUMNS = (
    '"orders_orderline"."id", "orders_orderline"."order_id", '
    '"orders_orderline"."order_line_id", "orders_orderline"."seller_product_id", '
    '"orders_orderline"."product_title", "orders_orderline"."quantity", '
    '"orders_orderline"."unit_price", "orders_orderline"."status", '
    '"orders_orderline"."created_at", "orders_orderline"."updated_at"'
)
LOCK_LINES = (
    f'SELECT {LINE_COLUMNS} FROM "orders_orderline" '
    'WHERE "orders_orderline"."order_id" = %s '
    'ORDER BY "orders_orderline"."id" ASC FOR UPDATE'
)
OPEN_CANCEL_REQUESTS = (
    'SELECT "orders_cancellationrequest"."id", '
    '"orders_cancellationrequest"."order_line_id", '
    '"orders_cancellationrequest"."initiator", '
    '"orders_cancellationrequest"."reason", '
    '"orders_cancellationrequest"."requested_at", '
    '"orders_cancellationrequest"."state", '
    '"orders_cancellationrequest"."created_at", '
    '"orders_cancellationrequest"."updated_at" '
    'FROM "orders_cancellationrequest" INNER JOIN "orders_orderline" '
    'ON ("orders_cancellationrequest"."order_line_id" = "orders_orderline"."id") '
    'WHERE ("orders_orderline"."order_id" = %s '
    'AND "orders_cancellationrequest"."state" = %s)'
)
DECLARED_PARCELS = (
    'SELECT "shipments_shipment"."parcel_number" AS "parcel_number" '
    'FROM "shipments_shipment" WHERE ("shipments_shipment"."order_id" = %s '
    'AND "shipments_shipment"."parcel_number" IN (%s))'
)
INSERT_SHIPMENT = (
    'INSERT INTO "shipments_shipment" ("order_id", "parcel_number", '
    '"carrier_name", "tracking_url", "declared_by", "created_at") '
    'VALUES (%s, %s, %s, %s, %s, %s) RETURNING "shipments_shipment"."id"'
)
INSERT_SHIPMENT_LINE = (
    'INSERT INTO "shipments_shipmentline" ("shipment_id", "order_line_id") '
    'VALUES (%s, %s) RETURNING "shipments_shipmentline"."id"'
)
INSERT_SHIPMENT_LINES = (
    'INSERT INTO "shipments_shipmentline" ("shipment_id", "order_line_id") '
    "SELECT * FROM UNNEST((%s)::bigint[], (%s)::bigint[]) "
    'RETURNING "shipments_shipmentline"."id"'
)
SHIP_LINES = (
    'UPDATE "orders_orderline" SET "status" = %s, "updated_at" = %s '
    'WHERE "orders_orderline"."id" IN ({})'
)
CLOSE_CANCEL_REQUESTS = (
    'UPDATE "orders_cancellationrequest" SET "state" = %s, "updated_at" = %s '
    'WHERE "orders_cancellationrequest"."id" IN ({})'
)
SETTLE_ORDER = (
    'UPDATE "orders_order" SET "status" = %s, "updated_at" = %s '
    'WHERE "orders_order"."id" = %s'
)
INSERT_REQUEST = (
    'INSERT INTO "shipments_shipmentrequest" ("seller_id", "order_id", '
    '"requested_order_id", "declared_by", "idempotency_key", "body", "outcome", '
    '"http_status", "replay_of_id", "created_at") '
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    'RETURNING "shipments_shipmentrequest"."id"'
)
REQUEST_LINE_COLUMNS = (
    '"shipments_shipmentrequestline" ("shipment_request_id", '
    '"requested_line_id", "order_line_id", "parcel_number", "shippable", '
    '"checks")'
)
INSERT_REQUEST_LINE = (
    f"INSERT INTO {REQUEST_LINE_COLUMNS} VALUES (%s, %s, %s, %s, %s, %s) "
    'RETURNING "shipments_shipmentrequestline"."id"'
)
INSERT_REQUEST_LINES = (
    f"INSERT INTO {REQUEST_LINE_COLUMNS} SELECT * FROM UNNEST((%s)::bigint[], "
    "(%s)::varchar[], (%s)::bigint[], (%s)::varchar[], (%s)::boolean[], "
    '(%s)::jsonb[]) RETURNING "shipments_shipmentrequestline"."id"'
)
LINK_REQUEST = (
    'INSERT INTO "shipments_shipmentrequest_shipments" ("shipmentrequest_id", '
    '"shipment_id") VALUES (%s, %s) '
    'RETURNING "shipments_shipmentrequest_shipments"."id"'
)
READ_SHIPMENTS = (
    'SELECT "shipments_shipment"."id", "shipments_shipment"."order_id", '
    '"shipments_shipment"."parcel_number", "shipments_shipment"."carrier_name", '
    '"shipments_shipment"."tracking_url", "shipments_shipment"."declared_by", '
    '"shipments_shipment"."created_at" FROM "shipments_shipment" '
    'WHERE "shipments_shipment"."id" IN (%s) '
    'ORDER BY "shipments_shipment"."created_at" ASC, "shipments_shipment"."id" ASC'
)
READ_SHIPMENT_LINES = (
    'SELECT ("shipments_shipmentline"."shipment_id") '
    f'AS "_prefetch_related_val_shipment_id", {LINE_COLUMNS} '
    'FROM "orders_orderline" INNER JOIN "shipments_shipmentline" '
    'ON ("orders_orderline"."id" = "shipments_shipmentline"."order_line_id") '
    'INNER JOIN "orders_order" '
    'ON ("orders_orderline"."order_id" = "orders_order"."id") '
    'WHERE "shipments_shipmentline"."shipment_id" IN (%s) '
    'ORDER BY "orders_order"."created_at" DESC, "orders_order"."id" ASC, '
    '"orders_orderline"."id" ASC'
)


def placeholders(count):
    return ", ".join(["%s"] * count)


def declare(cursor, job):
    """Send one declaration's statements; return their texts, in order."""
    sent = []

    def execute(text, params):
        sent.append(text)
        cursor.execute(text, params)

    parcel = job["parcel"]
    lines = job["lines"]
    line_pks = [line["pk"] for line in lines]
    order_pk = job["order_pk"]
    now = dt.datetime.now(dt.UTC)

    execute(TOKEN_LOOKUP, (job["token_prefix"],))
    cursor.fetchall()
    execute(ORDER_LOOKUP, (job["seller_pk"], job["order_id"]))
    cursor.fetchall()
    execute(LOCK_ORDER, (order_pk,))
    execute(LOCK_LINES, (order_pk,))
    execute(OPEN_CANCEL_REQUESTS, (order_pk, "Open"))
    execute(DECLARED_PARCELS, (order_pk, parcel["parcelNumber"]))
    execute(
        INSERT_SHIPMENT,
        (
            order_pk,
            parcel["parcelNumber"],
            parcel["carrierName"],
            parcel["trackingUrl"],
            job["declared_by"],
            now,
        ),
    )
    shipment_pk = cursor.fetchone()[0]
    if len(lines) == 1:
        execute(INSERT_SHIPMENT_LINE, (shipment_pk, line_pks[0]))
    else:
        execute(INSERT_SHIPMENT_LINES, ([shipment_pk] * len(lines), line_pks))
    execute(SHIP_LINES.format(placeholders(len(lines))), ("Shipped", now, *line_pks))
    if job["cancel_request_pks"]:
        execute(
            CLOSE_CANCEL_REQUESTS.format(placeholders(len(job["cancel_request_pks"]))),
            ("ClosedByShipment", now, *job["cancel_request_pks"]),
        )
    execute(SETTLE_ORDER, ("Shipped", now, order_pk))
    execute(
        INSERT_REQUEST,
        (
            job["seller_pk"],
            order_pk,
            job["order_id"],
            job["declared_by"],
            "",
            Jsonb(parcel),
            "Accepted",
            201,
            None,
            now,
        ),
    )
    request_pk = cursor.fetchone()[0]
    verdicts = (
        [request_pk] * len(lines),
        [line["id"] for line in lines],
        line_pks,
        [parcel["parcelNumber"]] * len(lines),
        [True] * len(lines),
        [Jsonb(line["checks"]) for line in lines],
    )
    if len(lines) == 1:
        execute(INSERT_REQUEST_LINE, [column[0] for column in verdicts])
    else:
        execute(INSERT_REQUEST_LINES, verdicts)
    execute(LINK_REQUEST, (request_pk, shipment_pk))
    execute(READ_SHIPMENTS, (shipment_pk,))
    cursor.fetchall()
    execute(READ_SHIPMENT_LINES, (shipment_pk,))
    cursor.fetchall()
    return sent


def declare_in_one_transaction(connection, job):
    with connection.transaction(), connection.cursor() as cursor:
        declare(cursor, job)
    return "committed"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="JSON Lines file of declarations")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=int, default=20)
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    with open(arguments.plan) as plan_file:
        jobs = iter([json.loads(line) for line in plan_file if line.strip()])

    with psycopg.connect(arguments.database_url, autocommit=True) as connection:
        for _ in range(arguments.warmup):
            declare_in_one_transaction(connection, next(jobs))
    summary = run_closed_loop(
        jobs,
        declare_in_one_transaction,
        concurrency=arguments.concurrency,
        duration=arguments.duration,
        make_state=lambda: psycopg.connect(arguments.database_url, autocommit=True),
    )
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
