"""Sellers and sales channels: the policy flag is edited and on record."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from orders.models import SalesChannel
from tests.factories import OtherChannelFactory, announcement_order

pytestmark = pytest.mark.django_db


def channel_form(channel, **changes):
    return {
        "sales_channel_id": channel.sales_channel_id,
        "name": channel.name,
        **(
            {"ships_customer_cancel_requests": "on"}
            if channel.ships_customer_cancel_requests
            else {}
        ),
        **changes,
    }


def test_turning_the_policy_on_is_saved_and_logged(operator_client, operator):
    channel = OtherChannelFactory()

    response = operator_client.post(
        reverse("admin:orders_saleschannel_change", args=[channel.pk]),
        channel_form(channel, ships_customer_cancel_requests="on"),
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.ships_customer_cancel_requests is True
    [entry] = LogEntry.objects.filter(object_id=str(channel.pk))
    assert (entry.user, entry.action_flag, entry.get_change_message()) == (
        operator,
        CHANGE,
        "Changed Ships customer cancel requests.",
    )


def test_policy_change_shows_in_the_channel_history(operator_client):
    channel = SalesChannel.objects.get(sales_channel_id="CDISFR")
    operator_client.post(
        reverse("admin:orders_saleschannel_change", args=[channel.pk]),
        {"sales_channel_id": "CDISFR", "name": channel.name},
    )

    response = operator_client.get(
        reverse("admin:orders_saleschannel_history", args=[channel.pk])
    )

    channel.refresh_from_db()
    assert channel.ships_customer_cancel_requests is False
    assert "Changed Ships customer cancel requests." in response.content.decode()


def test_channel_list_shows_the_policy(operator_client):
    OtherChannelFactory()

    response = operator_client.get(
        reverse("admin:orders_saleschannel_changelist"),
        {"ships_customer_cancel_requests__exact": "1"},
    )

    assert [
        channel.sales_channel_id for channel in response.context["cl"].result_list
    ] == ["CDISFR"]


def test_seller_list_counts_orders_and_searches(operator_client):
    announcement_order()

    response = operator_client.get(
        reverse("admin:orders_seller_changelist"), {"q": "98979"}
    )

    assert [
        (seller.seller_id, seller.order_count)
        for seller in response.context["cl"].result_list
    ] == [("98979", 1)]


def test_admin_names_the_product(operator_client):
    response = operator_client.get(reverse("admin:index"))

    content = response.content.decode()
    assert "<title>Orders, shipments and the reasons behind them | " in content
    assert (
        '<div id="site-name"><a href="/admin/">Marketplace back office</a></div>'
        in content
    )
