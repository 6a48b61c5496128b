"""Accepting cancellation requests from the admin, through the service."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from orders.models import CancellationRequest, Order, OrderLine
from tests.admin.scenarios import seller_cancel_request_order
from tests.factories import CancellationRequestFactory, announcement_order
from tests.state import order_state

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_cancellationrequest_changelist")


def accept(client, *cancellation_requests):
    return client.post(
        CHANGELIST,
        {
            "action": "accept_selected",
            "_selected_action": [request.pk for request in cancellation_requests],
        },
        follow=True,
    )


def messages_of(response):
    return [
        (message.level_tag, message.message)
        for message in get_messages(response.wsgi_request)
    ]


def test_cancellation_request_list_shows_every_request(operator_client):
    announcement_order()
    seller_cancel_request_order()

    response = operator_client.get(CHANGELIST, {"initiator__exact": "Seller"})

    assert [
        (request.order_line.order_line_id, request.initiator, request.state)
        for request in response.context["cl"].result_list
    ] == [("SELLER_LINE", "Seller", "Open")]
    assert response.status_code == 200


def test_accepting_an_open_request_cancels_its_line(operator_client):
    order, _line_1, line_2 = announcement_order()
    cancellation_request = line_2.cancellation_requests.get()

    response = accept(operator_client, cancellation_request)

    cancellation_request.refresh_from_db()
    line_2.refresh_from_db()
    assert cancellation_request.state == CancellationRequest.State.ACCEPTED
    assert line_2.status == OrderLine.Status.CANCELLED
    assert Order.objects.get(pk=order.pk).status == Order.Status.IN_PREPARATION
    assert messages_of(response) == [
        (
            "success",
            "Accepted 1 cancellation request(s); their lines are now Cancelled.",
        )
    ]


def test_accepting_a_closed_request_is_refused_with_its_code(operator_client):
    order, _line_1, line_2 = announcement_order()
    closed = CancellationRequestFactory(
        order_line=line_2,
        state=CancellationRequest.State.ACCEPTED,
        reason="An earlier request",
    )
    before = order_state(order)

    response = accept(operator_client, closed)

    assert order_state(order) == before
    assert messages_of(response) == [
        (
            "error",
            "LINE_2: The cancellation request on line LINE_2 is no longer open. "
            "(cancel_request_not_open)",
        )
    ]


def test_reviewers_cannot_accept_cancellation_requests(reviewer_client):
    order, _line_1, line_2 = announcement_order()
    before = order_state(order)

    listing = reviewer_client.get(CHANGELIST)
    response = accept(reviewer_client, line_2.cancellation_requests.get())

    assert listing.status_code == 200
    assert "accept_selected" not in listing.content.decode()
    assert response.status_code == 200
    assert messages_of(response) == []
    assert order_state(order) == before
