"""Schemathesis drives the served OpenAPI schema against the API in-process.

Every operation of ``/seller/v2/schema`` gets generated requests, valid and
invalid, with a real token of a seller who has real orders (and with another
seller's order in the database). Every answer must be documented: no 5xx, a
documented status code and content type, and a body that matches the
schema. The requests are counted, so the figure in the README is measured.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from orders.models import Order
from shipments.api.tokens import issue_api_token
from tests.factories import (
    CancellationRequestFactory,
    OrderFactory,
    OrderLineFactory,
    OtherChannelFactory,
    SellerFactory,
    announcement_order,
)
from tests.invariants import assert_order_consistent

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/seller/v2/schema"
# Generated requests per operation and generation mode; five operations and
# two modes make the total.
EXAMPLES_PER_RUN = 400
EXPECTED_OPERATIONS = {
    "GET /seller/v2/orders",
    "GET /seller/v2/orders/{orderId}",
    "GET /seller/v2/orders/{orderId}/shipment-eligibility",
    "GET /seller/v2/orders/{orderId}/shipments",
    "POST /seller/v2/orders/{orderId}/shipments",
}
MINIMUM_REQUESTS = 4000
# Two of Schemathesis's checks are left out. positive_data_acceptance: the
# schema cannot say every rule of a valid value (no NUL character in a query
# filter, for one), so some schema-valid requests are rightly refused with
# 400. negative_data_rejection: the test always sends the real token, which
# makes the requests meant to lack one valid, and unknown query parameters are
# ignored, as most HTTP APIs do.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


@pytest.fixture
def connections_kept_open():
    """Keep the test's connection across requests, as Django's test client
    does: the application would otherwise close it in the middle of the
    test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def served_schema(connections_kept_open):
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler())


def seller_orders():
    """The announcement order, a few more of its seller's, one of another."""
    announcement_order()
    accepted = OrderFactory(order_id="ORDER-ACCEPTED", status=Order.Status.ACCEPTED)
    OrderLineFactory(order=accepted, order_line_id="LINE_1", status="Accepted")
    fulfilled = OrderFactory(
        order_id="ORDER-FULFILMENT", supply_mode=Order.SupplyMode.FULFILLMENT
    )
    OrderLineFactory(order=fulfilled, order_line_id="LINE_1")
    elsewhere = OrderFactory(
        order_id="ORDER-OTHER-CHANNEL", sales_channel=OtherChannelFactory()
    )
    CancellationRequestFactory(
        order_line__order=elsewhere, order_line__order_line_id="LINE_1"
    )
    other_seller = OrderFactory(
        order_id="ORDER-OF-SELLER-2", seller=SellerFactory(seller_id="11111")
    )
    OrderLineFactory(order=other_seller, order_line_id="LINE_1")
    return list(Order.objects.values_list("order_id", flat=True))


def case_strategy(operation, mode, order_ids):
    """Generated cases; half of them aim at the stored orders' ids."""
    generated = operation.as_strategy(generation_mode=mode)
    if "{orderId}" not in operation.path:
        return generated
    stored = st.sampled_from(order_ids).flatmap(
        lambda order_id: operation.as_strategy(
            generation_mode=mode, path_parameters={"orderId": order_id}
        )
    )
    return st.one_of(stored, generated)


def send_generated_requests(operation, mode, *, order_ids, secret, sent):
    """Send ``EXAMPLES_PER_RUN`` generated requests; validate every answer."""

    @given(case=case_strategy(operation, mode, order_ids))
    @settings(
        max_examples=EXAMPLES_PER_RUN,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS
        )
        sent[case.operation.label] = sent.get(case.operation.label, 0) + 1

    send()


def test_every_generated_request_gets_a_documented_answer(served_schema):
    seller = SellerFactory(seller_id="98979")
    _, secret = issue_api_token(seller=seller, name="schemathesis")
    order_ids = seller_orders()
    operations = [result.ok() for result in served_schema.get_all_operations()]
    sent = {}

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            send_generated_requests(
                operation, mode, order_ids=order_ids, secret=secret, sent=sent
            )

    assert {operation.label for operation in operations} == EXPECTED_OPERATIONS
    assert sum(sent.values()) >= MINIMUM_REQUESTS, sent
    for order in Order.objects.all():
        assert_order_consistent(order)
