"""Two gunicorn servers against one PostgreSQL database behave as one.

Each test starts two real server processes on loopback, pointed at the test
database, and sends them requests over HTTP: row locks, idempotency keys and
throttling counters must be shared through PostgreSQL and Redis, not kept in
a process's memory.
"""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from orders.models import OrderLine
from shipments.api.tokens import issue_api_token
from shipments.models import Shipment, ShipmentRequest
from tests.factories import OrderFactory, OrderLineFactory, SellerFactory
from tests.invariants import assert_order_consistent
from tests.state import order_state

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

PROJECT_DIR = Path(__file__).resolve().parent.parent
# A database of the local Redis server kept for this test, so that its
# counters never mix with a development server's.
REDIS_URL = "redis://127.0.0.1:6379/7"
THROTTLE_KEYS = "*throttle_shipment_declarations_*"


def server_database_url():
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port, server, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited: {log.read().decode()}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not listen on port {port}")


@contextlib.contextmanager
def servers_running(count, *, throttle_rate):
    """Start ``count`` gunicorn servers on the test database; yield ports."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "scale-out-test-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": server_database_url(),
        "REDIS_URL": REDIS_URL,
        "SHIPMENT_THROTTLE_RATE": throttle_rate,
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    ports = []
    with contextlib.ExitStack() as running:
        for _ in range(count):
            port = free_port()
            log = running.enter_context(tempfile.TemporaryFile())
            command = [str(gunicorn), "marketplace.wsgi", "--workers", "1"]
            server = subprocess.Popen(
                [*command, "--bind", f"127.0.0.1:{port}"],
                cwd=PROJECT_DIR,
                env=environment,
                stdout=log,
                stderr=log,
            )
            running.callback(stop, server)
            wait_until_listening(port, server, log)
            ports.append(port)
        yield ports


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture
def throttle_counters():
    """The shared Redis counters, emptied before and after the test."""
    client = redis.Redis.from_url(REDIS_URL)

    def empty():
        for key in client.scan_iter(match=THROTTLE_KEYS):
            client.delete(key)

    empty()
    yield client
    empty()
    client.close()


@pytest.fixture
def token_secret():
    seller = SellerFactory(seller_id="98979")
    _, secret = issue_api_token(seller=seller, name="scale-out")
    return secret


def post_parcel(port, secret, order_id, parcel, **headers):
    """POST a parcel; return the status, the headers and the decoded body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            f"/seller/v2/orders/{order_id}/shipments",
            body=json.dumps(parcel),
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                **headers,
            },
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


def parcel(number, *line_ids):
    return {
        "parcelNumber": number,
        "carrierName": "Chronopost",
        "orderLineIds": list(line_ids),
    }


def order_ready_to_ship(order_id):
    order = OrderFactory(order_id=order_id)
    OrderLineFactory(order=order, order_line_id="LINE_1")
    return order


def test_same_line_declared_on_two_servers_at_once_has_one_winner(
    token_secret, throttle_counters
):
    order = order_ready_to_ship("RACE-1")
    answers = {}
    start = threading.Barrier(2)

    with servers_running(2, throttle_rate="1000/minute") as ports:

        def declare(port, number):
            start.wait()
            answers[number] = post_parcel(
                port, token_secret, "RACE-1", parcel(number, "LINE_1")
            )

        threads = [
            threading.Thread(target=declare, args=(port, f"PKG-{port}"))
            for port in ports
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    statuses = sorted(status for status, _, _ in answers.values())
    assert statuses == [201, 422]
    [(winner, _)] = [
        (number, body) for number, (status, _, body) in answers.items() if status == 201
    ]
    [loser] = [body for status, _, body in answers.values() if status == 422]
    assert [(e["orderLineId"], e["code"]) for e in loser["errors"]] == [
        ("LINE_1", "order_not_in_preparation"),
        ("LINE_1", "line_already_shipped"),
    ]
    assert list(Shipment.objects.values_list("parcel_number", flat=True)) == [winner]
    assert OrderLine.objects.get(order=order).status == "Shipped"
    assert sorted(ShipmentRequest.objects.values_list("http_status", flat=True)) == [
        201,
        422,
    ]
    assert_order_consistent(order)


def test_idempotent_retry_on_the_other_server_replays_the_first_answer(
    token_secret, throttle_counters
):
    order = order_ready_to_ship("RETRY-1")
    key = {"Idempotency-Key": "retry-across-servers-1"}

    with servers_running(2, throttle_rate="1000/minute") as (first, second):
        first_status, first_headers, first_body = post_parcel(
            first, token_secret, "RETRY-1", parcel("PKG-1", "LINE_1"), **key
        )
        second_status, second_headers, second_body = post_parcel(
            second, token_secret, "RETRY-1", parcel("PKG-1", "LINE_1"), **key
        )

    assert (first_status, second_status) == (201, 201)
    assert second_body == first_body
    assert "Idempotent-Replayed" not in first_headers
    assert second_headers["Idempotent-Replayed"] == "true"
    assert Shipment.objects.filter(order=order).count() == 1
    original = ShipmentRequest.objects.get(replay_of=None)
    assert list(
        ShipmentRequest.objects.filter(replay_of=original).values_list(
            "outcome", "http_status"
        )
    ) == [("Accepted", 201)]
    assert_order_consistent(order)


def test_throttle_counts_a_sellers_declarations_across_servers(
    token_secret, throttle_counters
):
    orders = [order_ready_to_ship(f"LIMIT-{number}") for number in range(4)]

    with servers_running(2, throttle_rate="3/minute") as (first, second):
        statuses = [
            post_parcel(port, token_secret, f"LIMIT-{number}", parcel("P", "LINE_1"))[0]
            for number, port in enumerate((first, second, first))
        ]
        before = order_state(orders[3])
        over_status, over_headers, over_body = post_parcel(
            second, token_secret, "LIMIT-3", parcel("P", "LINE_1")
        )

    assert statuses == [201, 201, 201]
    assert over_status == 429
    assert over_body["code"] == "throttled"
    assert 0 < int(over_headers["Retry-After"]) <= 60
    assert order_state(orders[3]) == before
    assert len(list(throttle_counters.scan_iter(match=THROTTLE_KEYS))) == 2
