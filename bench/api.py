"""Benchmark of the seller API under gunicorn on PostgreSQL, with baselines.

Creates the ``bench_api`` database, loads N orders for one seller, issues a
token, and measures, with the same closed-loop load generator (its own
process, loopback only) and the same gunicorn settings:

1. ``POST /seller/v2/orders/{orderId}/shipments``, each order declared once;
2. the bare view (``bench/bare_views.py``): the same SQL without DRF;
3. psycopg sending the same statements as one transaction per order
   (``bench/psycopg_replay.py``), no HTTP and no Django;
4. ``GET /seller/v2/orders?pageSize=100`` and the admin order list.

It prints the statements a declaration sends, each phase's rate and latency
percentiles, then the ratios. It asserts nothing. Usage:

    DJANGO_DEBUG=true python bench/api.py --orders 30000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import servers  # noqa: E402
from bench.closed_loop import merge_summaries  # noqa: E402

DATABASE = "bench_api"
# Far above what the benchmark sends: the throttle still counts every call.
THROTTLE_RATE = "10000000/hour"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=30_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--read-duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns the phases take, each"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="gunicorn sync workers (4 for 2 cores; see the README)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="shared cache for the throttle counters; '' for per-process memory",
    )
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    servers.recreate_database(DATABASE)
    environment = {
        "SHIPMENT_THROTTLE_RATE": THROTTLE_RATE,
        "REDIS_URL": arguments.redis_url,
    }
    os.environ.update(servers.bench_environment(DATABASE, **environment))
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    try:
        run(arguments, environment)
    finally:
        from django.db import connections

        connections.close_all()


def run(arguments, environment):
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.fixtures import SELLER_ID, load_orders
    from orders.models import Seller
    from shipments.api.tokens import issue_api_token, note_token_use

    orders = load_orders(arguments.orders)
    # Autovacuum would analyze the fresh tables in a while; the planner needs
    # their statistics now.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seller = Seller.objects.get(seller_id=SELLER_ID)
    token, secret = issue_api_token(seller=seller, name="benchmark")
    print(f"machine: {os.cpu_count()} cores, load average {load_average()}")
    print(
        f"{len(orders)} orders, {sum(len(o.line_ids) for o in orders)} lines for "
        f"seller {SELLER_ID}; gunicorn: {arguments.workers} sync workers; load: "
        f"{arguments.concurrency} concurrent clients, {arguments.duration:.0f} s"
    )

    # Three orders of each shape (1 line; 2 lines; 2 lines, one with a
    # customer's cancel request) for the statement captures; the rest in
    # three equal shares, one per measured phase.
    capture, rest = orders[:12], orders[12:]
    share = len(rest) // 3
    endpoint_orders = rest[:share]
    bare_orders = rest[share : 2 * share]
    replay_orders = rest[2 * share : 3 * share]

    # Every call within a minute of the token's last noted use skips the
    # note: capture the statements of such calls.
    note_token_use(token)
    endpoint_statements = capture_statements(
        capture[1:4], secret, "/seller/v2/orders/{}/shipments", "marketplace.urls"
    )
    bare_statements = capture_statements(
        capture[5:8], secret, "/bare/orders/{}/shipments", "bench.bare_urls"
    )
    replay_statements = replay_texts(capture[9:12], token)
    print_statements(endpoint_statements, bare_statements, replay_statements)

    directory = Path(tempfile.mkdtemp(prefix="bench-api-"))
    authorization = {"Authorization": f"Bearer {secret}"}
    rounds = arguments.rounds
    plans = {"endpoint": [], "bare": [], "replay": []}
    for number in range(rounds):
        chunk = slice(number * share // rounds, (number + 1) * share // rounds)
        plans["endpoint"].append(
            write_plan(
                directory / f"endpoint-{number}.jsonl",
                [
                    post_request("/seller/v2/orders/{}/shipments", order, secret)
                    for order in endpoint_orders[chunk]
                ],
            )
        )
        plans["bare"].append(
            write_plan(
                directory / f"bare-{number}.jsonl",
                [
                    post_request("/bare/orders/{}/shipments", order, secret)
                    for order in bare_orders[chunk]
                ],
            )
        )
        plans["replay"].append(
            write_plan(
                directory / f"replay-{number}.jsonl",
                [replay_job(order, token) for order in replay_orders[chunk]],
            )
        )
    list_plan = write_plan(
        directory / "list.jsonl",
        [
            {
                "method": "GET",
                "path": "/seller/v2/orders?pageSize=100",
                "headers": authorization,
            }
        ],
    )
    admin_user = get_user_model().objects.create_superuser(
        "bench-admin", "bench@example.com", "unused-password-" + "x" * 20
    )
    admin_client = Client(HTTP_HOST="127.0.0.1")
    admin_client.force_login(admin_user)
    session = admin_client.cookies["sessionid"].value
    admin_plan = write_plan(
        directory / "admin.jsonl",
        [
            {
                "method": "GET",
                "path": "/admin/orders/order/",
                "headers": {"Cookie": f"sessionid={session}"},
            }
        ],
    )

    # The machine is shared: the phases take turns in short rounds so that
    # a burst of other work weighs on all of them alike.
    load = {
        "concurrency": arguments.concurrency,
        "duration": arguments.duration / rounds,
    }
    read_load = {**load, "duration": arguments.read_duration / rounds}
    results = {name: [] for name in ("endpoint", "bare", "replay", "list", "admin")}
    print(f"load average before: {load_average()}")
    with (
        servers.gunicorn_running(
            DATABASE, workers=arguments.workers, environment=environment
        ) as port,
        servers.gunicorn_running(
            DATABASE,
            workers=arguments.workers,
            settings="bench.bare_settings",
            environment=environment,
        ) as bare_port,
    ):
        for number in range(rounds):
            results["endpoint"].append(drive(plans["endpoint"][number], port, **load))
            results["bare"].append(drive(plans["bare"][number], bare_port, **load))
            results["replay"].append(
                run_module(
                    "bench.psycopg_replay",
                    str(plans["replay"][number]),
                    "--database-url",
                    servers.database_url(DATABASE),
                    "--concurrency",
                    str(load["concurrency"]),
                    "--duration",
                    str(load["duration"]),
                )
            )
            results["list"].append(drive(list_plan, port, repeat=True, **read_load))
            results["admin"].append(drive(admin_plan, port, repeat=True, **read_load))
    print(f"load average after:  {load_average()}")
    endpoint, bare, replay, order_list, admin_list = (
        merge_summaries(runs) for runs in results.values()
    )

    print()
    print(f"{'':34} {'per second':>10} {'p50 ms':>8} {'p99 ms':>8}  outcomes")
    for name, result in (
        ("POST shipments (endpoint)", endpoint),
        ("bare Django view, same SQL", bare),
        ("psycopg, same SQL, 1 transaction", replay),
        ("GET /seller/v2/orders?pageSize=100", order_list),
        ("admin order list (100 a page)", admin_list),
    ):
        outcomes = ", ".join(f"{k}: {v}" for k, v in result["outcomes"].items())
        exhausted = " (plan used up before the time)" if result["exhausted"] else ""
        print(
            f"{name:34} {result['per_second']:10.1f} {result['p50_ms']:8.2f} "
            f"{result['p99_ms']:8.2f}  {outcomes}{exhausted}"
        )
    print()
    print(f"statements per declaration (endpoint): {len(endpoint_statements[2])}")
    print(
        "endpoint / bare view:   "
        f"{endpoint['per_second'] / bare['per_second']:.2f}  (target >= 0.70)"
    )
    print(
        f"endpoint / psycopg:     {endpoint['per_second'] / replay['per_second']:.2f}"
    )
    print(f"bare view / psycopg:    {bare['per_second'] / replay['per_second']:.2f}")
    for name, result in (
        ("endpoint", endpoint),
        ("order list", order_list),
        ("admin list", admin_list),
    ):
        print(
            f"p99 / p50, {name + ':':12} {result['p99_ms'] / result['p50_ms']:.2f}"
            "  (target <= 3)"
        )


def capture_statements(orders, secret, path, urlconf):
    """Declare each order through the test client; return its SQL texts.

    Returns one list of statement texts (placeholders, no values) per order.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    captured = []
    for order in orders:
        texts = []

        def record(execute, sql, params, many, context, texts=texts):
            texts.append(sql)
            return execute(sql, params, many, context)

        with (
            override_settings(ROOT_URLCONF=urlconf),
            connection.execute_wrapper(record),
        ):
            response = client.post(
                path.format(order.order_id),
                json.dumps(order.parcel()),
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}"},
            )
        if response.status_code != 201:
            raise RuntimeError(f"{path} answered {response.status_code}")
        captured.append(texts)
    return captured


def replay_texts(orders, token):
    """Run the psycopg replay on each order; return its SQL texts."""
    import psycopg

    from bench.psycopg_replay import declare

    captured = []
    with psycopg.connect(servers.database_url(DATABASE)) as connection:
        for order in orders:
            with connection.transaction(), connection.cursor() as cursor:
                captured.append(declare(cursor, replay_job(order, token)))
    return captured


STATEMENT_NAMES = [
    ("SELECT", "shipments_apitoken", "token lookup by prefix (authentication)"),
    ("UPDATE", "shipments_apitoken", "token last use, at most once a minute"),
    ("SELECT", "orders_order", "order lookup, the caller's own (404 otherwise)"),
    ("SELECT", "orders_order", "lock the order row (FOR UPDATE)"),
    ("SELECT", "orders_orderline", "lock its lines by pk (FOR UPDATE)"),
    ("SELECT", "orders_cancellationrequest", "open cancel requests of the lines"),
    ("SELECT", "shipments_shipment", "parcel numbers already declared"),
    ("INSERT", "shipments_shipment", "the parcel"),
    ("INSERT", "shipments_shipmentline", "its lines (a line ships once)"),
    ("UPDATE", "orders_orderline", "lines become Shipped"),
    ("UPDATE", "orders_cancellationrequest", "customer's request closed"),
    ("UPDATE", "orders_order", "header settled (Shipped) or updated_at bumped"),
    ("INSERT", "shipments_shipmentrequest", "audit: the call and its body"),
    ("INSERT", "shipments_shipmentrequestline", "audit: each line's verdict"),
    ("INSERT", "shipments_shipmentrequest_shipments", "audit: call -> parcel"),
    ("SELECT", "shipments_shipment", "answer: the parcel as stored"),
    ("SELECT", "orders_orderline", "answer: the parcel's line ids"),
]


def statement_name(text, position):
    verb = text.split(None, 1)[0].upper()
    table = text.split('"', 2)[1] if verb in {"INSERT", "UPDATE"} else None
    if verb == "SELECT":
        table = text.split(" FROM ", 1)[1].split('"', 2)[1]
    for index, (name_verb, name_table, name) in enumerate(STATEMENT_NAMES):
        if index > position and (name_verb, name_table) == (verb, table):
            return index, name
    return position, f"{verb} {table}"


def print_statements(endpoint, bare, replay):
    print()
    print("Statements of one declaration through the endpoint (BEGIN ... COMMIT")
    print("around the order lock up to the audit link), for an order of 1 line,")
    print("of 2 lines, and of 2 lines with a customer's cancel request:")
    longest = max(endpoint, key=len)
    position = -1
    for number, text in enumerate(longest, start=1):
        position, name = statement_name(text, position)
        print(f"  {number:2}. {name:48} {text[:60]}...")
    for label, statements in (("bare view", bare), ("psycopg replay", replay)):
        same = [
            "same" if theirs == ours else "DIFFERENT"
            for theirs, ours in zip(statements, endpoint, strict=True)
        ]
        counts = "/".join(str(len(texts)) for texts in statements)
        print(f"  {label}: {counts} statements; texts vs the endpoint: {same}")
    counts = "/".join(str(len(texts)) for texts in endpoint)
    print(f"  endpoint: {counts} statements (plus the token's note once a minute)")


def post_request(path, order, secret):
    return {
        "method": "POST",
        "path": path.format(order.order_id),
        "headers": {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
        },
        "body": json.dumps(order.parcel()),
    }


def replay_job(order, token):
    from orders.eligibility import assess_line
    from orders.models import CancellationRequest, Order

    stored = (
        Order.objects.select_related("sales_channel")
        .prefetch_related("lines__cancellation_requests")
        .get(seller=token.seller, order_id=order.order_id)
    )
    lines = list(stored.lines.all())
    open_requests = {
        line.pk: request
        for line in lines
        for request in line.cancellation_requests.all()
        if request.state == CancellationRequest.State.OPEN
    }
    return {
        "order_pk": stored.pk,
        "order_id": stored.order_id,
        "seller_pk": token.seller_id,
        "token_prefix": token.prefix,
        "declared_by": f"API token {token.prefix}",
        "parcel": order.parcel(),
        "cancel_request_pks": sorted(r.pk for r in open_requests.values()),
        "lines": [
            {
                "pk": line.pk,
                "id": line.order_line_id,
                "checks": [
                    check.as_dict()
                    for check in assess_line(
                        order=stored,
                        line=line,
                        open_cancellation_request=open_requests.get(line.pk),
                        sales_channel=stored.sales_channel,
                    ).checks
                ],
            }
            for line in lines
        ],
    }


def load_average():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def write_plan(path, entries):
    with open(path, "w") as plan:
        for entry in entries:
            plan.write(json.dumps(entry) + "\n")
    return path


def drive(plan, port, *, concurrency, duration, repeat=False):
    options = ["--port", str(port), "--concurrency", str(concurrency)]
    options += ["--duration", str(duration)]
    return run_module(
        "bench.loadgen", str(plan), *options, *(["--repeat"] if repeat else [])
    )


def run_module(module, *arguments):
    finished = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(finished.stdout)


if __name__ == "__main__":
    main()
