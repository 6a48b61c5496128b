"""The demo data covers every branch of the rule, the same for one seed."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from orders.demo import demo_orders
from orders.models import (
    CancellationInitiator,
    CancellationRequest,
    LineStatus,
    Order,
    OrderLine,
    OrderStatus,
    SalesChannel,
    SupplyMode,
)
from shipments.api.tokens import find_active_token
from tests.imports.exports import stored_orders

pytestmark = pytest.mark.django_db


def test_setup_demo_imports_every_branch_of_the_rule_and_prints_the_login():
    output = io.StringIO()

    call_command("setup_demo", "--seed", "3", "--orders", "13", stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[:4] == [
        "Imported sample orders.json: orders 3 created, 0 updated, 0 unchanged, "
        "0 conflicting, 0 rejected",
        "Imported sample orders.jsonl: orders 0 created, 0 updated, 3 unchanged, "
        "0 conflicting, 0 rejected",
        "Imported sample orders.csv: orders 0 created, 0 updated, 3 unchanged, "
        "0 conflicting, 0 rejected",
        "Imported 13 generated orders (seed 3): orders 13 created, 0 updated, "
        "0 unchanged, 0 conflicting, 0 rejected",
    ]
    assert "  username: operator" in lines
    token = lines[-2].removeprefix("  API token of seller 98979: ")
    assert find_active_token(token).seller.seller_id == "98979"
    assert lines[-1] == (
        f"  try: curl -H 'Authorization: Bearer {token}' "
        "http://127.0.0.1:8000/seller/v2/orders/2312011200A1B2/shipment-eligibility"
    )
    assert get_user_model().objects.get(username="operator").is_staff is True
    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus)
    assert set(Order.objects.values_list("supply_mode", flat=True)) == set(SupplyMode)
    assert set(OrderLine.objects.values_list("status", flat=True)) == set(LineStatus)
    assert set(
        CancellationRequest.objects.filter(state="Open").values_list(
            "initiator", flat=True
        )
    ) == set(CancellationInitiator)
    assert list(
        SalesChannel.objects.values_list(
            "sales_channel_id", "ships_customer_cancel_requests"
        )
    ) == [("CDISFR", True), ("DEMOMKT", False)]


def test_setup_demo_twice_leaves_the_same_orders():
    call_command("setup_demo", "--seed", "5", stdout=io.StringIO())
    first = stored_orders()

    call_command("setup_demo", "--seed", "5", stdout=io.StringIO())

    assert stored_orders() == first


def test_one_seed_generates_the_same_orders_and_another_seed_others():
    assert list(demo_orders(40, seed=9)) == list(demo_orders(40, seed=9))
    assert list(demo_orders(40, seed=9))[13:] != list(demo_orders(40, seed=10))[13:]
