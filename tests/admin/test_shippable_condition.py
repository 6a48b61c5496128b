"""The queryset expression of the rule agrees with ``assess_line``.

The admin's *shippable now* filter and column use
``shippable_line_condition``; these tests write every combination of the
rule's inputs to the database and compare the expression's answer with the
pure function's, line by line.
"""

import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.eligibility import assess_line, shippable_line_condition
from orders.models import (
    CancellationRequest,
    Order,
    OrderLine,
    SalesChannel,
    Seller,
)
from orders.services import open_request_among
from tests.factories import NOW

pytestmark = pytest.mark.django_db

INITIATORS = [None, *CancellationRequest.Initiator.values]
STATES = CancellationRequest.State.values
COMBINATIONS = list(
    itertools.product(
        Order.Status.values,
        OrderLine.Status.values,
        INITIATORS,
        STATES,
        Order.SupplyMode.values,
        [True, False],
    )
)


def create_cases(cases):
    """Write one order and line per case; a case is (header status, line
    status, requests as (initiator, state) pairs, supply mode, policy)."""
    seller = Seller.objects.create(seller_id="AGREEMENT")
    channels = {
        policy: SalesChannel.objects.create(
            sales_channel_id=f"POLICY-{policy}", ships_customer_cancel_requests=policy
        )
        for policy in (True, False)
    }
    orders = Order.objects.bulk_create(
        [
            Order(
                seller=seller,
                sales_channel=channels[policy],
                order_id=f"CASE-{index}",
                status=header_status,
                supply_mode=supply_mode,
                created_at=NOW,
                updated_at=NOW,
            )
            for index, (header_status, _, _, supply_mode, policy) in enumerate(cases)
        ]
    )
    lines = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                order_line_id="LINE",
                seller_product_id="SKU",
                quantity=1,
                unit_price=1,
                status=line_status,
            )
            for order, (_, line_status, _, _, _) in zip(orders, cases, strict=True)
        ]
    )
    CancellationRequest.objects.bulk_create(
        [
            CancellationRequest(
                order_line=line,
                initiator=initiator,
                state=state,
                requested_at=NOW,
            )
            for line, (_, _, requests, _, _) in zip(lines, cases, strict=True)
            for initiator, state in requests
        ]
    )


def disagreements():
    """Lines on which the expression and the pure function disagree."""
    shippable_by_query = set(
        OrderLine.objects.filter(shippable_line_condition()).values_list(
            "pk", flat=True
        )
    )
    lines = OrderLine.objects.select_related("order__sales_channel").prefetch_related(
        "cancellation_requests"
    )
    return [
        (line.order.order_id, verdict.shippable)
        for line in lines
        if (
            verdict := assess_line(
                order=line.order,
                line=line,
                open_cancellation_request=open_request_among(
                    line.cancellation_requests.all()
                ),
                sales_channel=line.order.sales_channel,
            )
        ).shippable
        != (line.pk in shippable_by_query)
    ]


def test_expression_agrees_with_the_rule_on_every_combination():
    create_cases(
        [
            (
                header_status,
                line_status,
                [] if initiator is None else [(initiator, state)],
                supply_mode,
                policy,
            )
            for header_status, line_status, initiator, state, supply_mode, policy in (
                COMBINATIONS
            )
        ]
    )

    assert OrderLine.objects.count() == 7 * 8 * 4 * 3 * 3 * 2
    assert OrderLine.objects.filter(shippable_line_condition()).exists()
    assert disagreements() == []


request_histories = st.lists(
    st.tuples(
        st.sampled_from(CancellationRequest.Initiator.values),
        st.sampled_from(STATES),
    ),
    max_size=3,
).filter(
    lambda requests: (
        sum(state == CancellationRequest.State.OPEN for _, state in requests) <= 1
    )
)
cases = st.tuples(
    st.sampled_from(Order.Status.values),
    st.sampled_from(OrderLine.Status.values),
    request_histories,
    st.sampled_from(Order.SupplyMode.values),
    st.booleans(),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(cases, min_size=1, max_size=12))
def test_expression_agrees_with_the_rule_whatever_the_request_history(cases):
    with transaction.atomic():
        create_cases(cases)

        found = disagreements()

        transaction.set_rollback(True)
    assert found == []
