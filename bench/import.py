"""Benchmark of the order import on PostgreSQL.

Generates N random orders (about three lines each) as JSON Lines, creates an
empty database of its own, and measures in one run:

1. a raw COPY of the same rows straight into the order, line and
   cancellation request tables (the floor no import can beat);
2. ``import_orders`` of the file into the emptied tables;
3. a re-import of the same file (every order unchanged);
4. the peak memory (tracemalloc) of importing N and 2N orders.

The first three are each the fastest of ``--rounds`` rounds taken in turns.

It prints lines per second and ratios; it asserts nothing. Usage:

    DJANGO_DEBUG=true python bench/import.py --orders 20000
"""

import argparse
import datetime as dt
import io
import json
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--server",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL, without a database name",
    )
    parser.add_argument("--database", default="bench_import")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds; the fastest of each counts"
    )
    parser.add_argument(
        "--skip-memory", action="store_true", help="skip the N vs 2N memory run"
    )
    return parser.parse_args()


def recreate_database(server, name, *, drop_only=False):
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def main():
    arguments = parse_arguments()
    os.environ["DATABASE_URL"] = f"{arguments.server}/{arguments.database}"
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    recreate_database(arguments.server, arguments.database)
    try:
        run(arguments)
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(arguments.server, arguments.database, drop_only=True)


def run(arguments):
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from orders.demo import random_orders, write_json_lines

    call_command("migrate", verbosity=0)
    directory = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = directory / "orders.jsonl"
    line_count = write_json_lines(
        random_orders(arguments.orders, seed=arguments.seed), path
    )
    print(
        f"{arguments.orders} orders, {line_count} lines, "
        f"{path.stat().st_size / 1e6:.1f} MB of JSON Lines"
    )

    def empty_tables():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE orders_cancellationrequest, orders_orderline, "
                "orders_order RESTART IDENTITY CASCADE"
            )

    def import_file(file_path):
        started = time.perf_counter()
        call_command("import_orders", str(file_path), stdout=io.StringIO())
        return time.perf_counter() - started

    # The first import creates the seller and the extra sales channel, so the
    # raw COPY finds them like the measured imports do.
    import_file(path)
    rows = raw_rows(path, connection)
    empty_tables()
    raw_copy(connection, rows)

    # Each figure is the fastest of a few rounds, taken in turns, so that
    # noise from other work on the machine weighs on every figure alike.
    raw_times, first_times, second_times = [], [], []
    for _ in range(arguments.rounds):
        empty_tables()
        raw_times.append(raw_copy(connection, rows))
        empty_tables()
        first_times.append(import_file(path))
        second_times.append(import_file(path))
    raw_seconds, first_seconds, second_seconds = (
        min(raw_times),
        min(first_times),
        min(second_times),
    )

    def rate(seconds):
        return line_count / seconds

    print(f"raw COPY:   {raw_seconds:6.2f} s  {rate(raw_seconds):9,.0f} lines/s")
    print(
        f"import:     {first_seconds:6.2f} s  {rate(first_seconds):9,.0f} lines/s  "
        f"{raw_seconds / first_seconds:.2f} of the raw COPY rate"
    )
    print(
        f"re-import:  {second_seconds:6.2f} s  {rate(second_seconds):9,.0f} lines/s  "
        f"{first_seconds / second_seconds:.2f} times the first import's speed"
    )

    if arguments.skip_memory:
        return
    peaks = {}
    for count in (arguments.orders, 2 * arguments.orders):
        sized_path = directory / f"orders-{count}.jsonl"
        write_json_lines(random_orders(count, seed=arguments.seed), sized_path)
        empty_tables()
        tracemalloc.start()
        import_file(sized_path)
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    for count, peak in peaks.items():
        print(f"peak memory importing {count} orders: {peak / 1e6:.1f} MB")
    first, second = peaks.values()
    print(f"2N / N peak memory: {second / first:.2f}")


def raw_rows(path, connection):
    """The rows the import writes, with primary keys, ready for COPY."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seller_id, id FROM orders_seller")
        sellers = dict(cursor.fetchall())
        cursor.execute("SELECT sales_channel_id, id FROM orders_saleschannel")
        channels = dict(cursor.fetchall())
    now = dt.datetime.now(dt.UTC)
    orders, lines, requests = [], [], []
    with open(path, encoding="utf-8") as stream:
        for text in stream:
            order = json.loads(text)
            order_pk = len(orders) + 1
            orders.append(
                (
                    order_pk,
                    sellers[order["sellerId"]],
                    channels[order["salesChannelId"]],
                    order["orderId"],
                    order["status"],
                    order["supplyMode"],
                    order["shippingCountry"],
                    dt.datetime.fromisoformat(order["createdAt"]),
                    dt.datetime.fromisoformat(order["updatedAt"]),
                )
            )
            for line in order["lines"]:
                line_pk = len(lines) + 1
                lines.append(
                    (
                        line_pk,
                        order_pk,
                        line["orderLineId"],
                        line["sellerProductId"],
                        line["productTitle"],
                        line["quantity"],
                        Decimal(line["unitPrice"]),
                        line["status"],
                        now,
                        now,
                    )
                )
                request = line.get("cancellationRequest")
                if request:
                    requests.append(
                        (
                            len(requests) + 1,
                            line_pk,
                            request["initiator"],
                            request["reason"],
                            dt.datetime.fromisoformat(request["requestedAt"]),
                            "Open",
                            now,
                            now,
                        )
                    )
    return orders, lines, requests


def raw_copy(connection, rows):
    orders, lines, requests = rows
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table, columns, table_rows in (
            (
                "orders_order",
                "id, seller_id, sales_channel_id, order_id, status, supply_mode, "
                "shipping_country, created_at, updated_at",
                orders,
            ),
            (
                "orders_orderline",
                "id, order_id, order_line_id, seller_product_id, product_title, "
                "quantity, unit_price, status, created_at, updated_at",
                lines,
            ),
            (
                "orders_cancellationrequest",
                "id, order_line_id, initiator, reason, requested_at, state, "
                "created_at, updated_at",
                requests,
            ),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in table_rows:
                    copy.write_row(row)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
