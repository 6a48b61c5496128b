"""Idempotency-Key: a retried declaration is answered once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from orders.models import CancellationRequest
from shipments.api.tokens import issue_api_token
from shipments.models import IdempotencyKey, Shipment, ShipmentRequest
from tests.api.calls import PARCEL, error_codes, post_shipments
from tests.concurrency import run_in_threads
from tests.factories import (
    OrderFactory,
    OrderLineFactory,
    SellerFactory,
    announcement_order,
)
from tests.state import order_state

pytestmark = pytest.mark.django_db


def test_same_key_and_body_replays_the_first_answer_without_a_second_shipment(api):
    announcement_order()
    first = post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})

    retry = post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Shipment.objects.count() == 1
    original, replay = ShipmentRequest.objects.order_by("pk")
    assert (original.outcome, original.http_status, original.replay_of) == (
        "Accepted",
        201,
        None,
    )
    assert (replay.outcome, replay.http_status, replay.replay_of) == (
        "Accepted",
        201,
        original,
    )
    assert (replay.idempotency_key, list(replay.shipments.all())) == ("k1", [])
    assert list(replay.line_verdicts.all()) == []


def test_same_key_replays_a_rejection_too(api):
    order, _, line_2 = announcement_order()
    line_2.cancellation_requests.update(initiator=CancellationRequest.Initiator.SELLER)
    first = post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})
    before = order_state(order)

    retry = post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})

    assert (first.status_code, retry.status_code) == (422, 422)
    assert retry["Content-Type"] == "application/problem+json"
    assert retry.json() == first.json()
    assert order_state(order) == before
    original, replay = ShipmentRequest.objects.order_by("pk")
    assert (replay.outcome, replay.http_status, replay.replay_of) == (
        "Rejected",
        422,
        original,
    )


def test_same_key_with_another_body_is_409_and_changes_nothing(api):
    order, _, _ = announcement_order()
    post_shipments(
        api,
        "2312011200A1B2",
        {**PARCEL, "orderLineIds": ["LINE_1"]},
        **{"Idempotency-Key": "k1"},
    )
    before = order_state(order)

    response = post_shipments(
        api,
        "2312011200A1B2",
        {**PARCEL, "parcelNumber": "PKG-2", "orderLineIds": ["LINE_2"]},
        **{"Idempotency-Key": "k1"},
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert error_codes(response) == [("Idempotency-Key", "idempotency_key_reused")]
    assert order_state(order) == before
    refused = ShipmentRequest.objects.order_by("-pk").first()
    assert (refused.outcome, refused.http_status, refused.idempotency_key) == (
        "Rejected",
        409,
        "k1",
    )


def test_same_key_for_another_order_is_409(api):
    announcement_order()
    other_order = OrderFactory(order_id="OTHER-ORDER")
    OrderLineFactory(order=other_order, order_line_id="LINE_1")
    post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})
    before = order_state(other_order)

    response = post_shipments(
        api,
        "OTHER-ORDER",
        {**PARCEL, "orderLineIds": ["LINE_1"]},
        **{"Idempotency-Key": "k1"},
    )

    assert response.status_code == 409
    assert order_state(other_order) == before


def test_keys_are_scoped_to_the_seller(api):
    announcement_order()
    other_order, _, _ = announcement_order(seller=SellerFactory(seller_id="12345"))
    _, other_secret = issue_api_token(seller=other_order.seller)
    other_api = APIClient()
    other_api.credentials(HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})

    response = post_shipments(
        other_api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"}
    )

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Shipment.objects.filter(order=other_order).count() == 1


def test_expired_key_is_forgotten(api):
    announcement_order()
    post_shipments(
        api,
        "2312011200A1B2",
        {**PARCEL, "orderLineIds": ["LINE_1"]},
        **{"Idempotency-Key": "k1"},
    )
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = post_shipments(
        api,
        "2312011200A1B2",
        {**PARCEL, "parcelNumber": "PKG-2", "orderLineIds": ["LINE_2"]},
        **{"Idempotency-Key": "k1"},
    )

    assert response.status_code == 201
    assert list(
        IdempotencyKey.objects.values_list("key", "response_body__parcelNumber")
    ) == [("k1", "PKG-2")]


def test_key_lives_24_hours(api):
    announcement_order()

    post_shipments(api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k1"})

    key = IdempotencyKey.objects.get()
    assert key.expires_at - key.created_at == pytest.approx(
        dt.timedelta(hours=24), abs=dt.timedelta(seconds=1)
    )


def test_purge_command_deletes_only_expired_keys(api):
    announcement_order()
    post_shipments(
        api,
        "2312011200A1B2",
        {**PARCEL, "orderLineIds": ["LINE_1"]},
        **{"Idempotency-Key": "old"},
    )
    post_shipments(
        api,
        "2312011200A1B2",
        {**PARCEL, "parcelNumber": "PKG-2", "orderLineIds": ["LINE_2"]},
        **{"Idempotency-Key": "fresh"},
    )
    IdempotencyKey.objects.filter(key="old").update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    output = StringIO()

    call_command("purge_idempotency_keys", stdout=output)

    assert output.getvalue() == "Deleted 1 expired idempotency key(s).\n"
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_overlong_key_is_400(api):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = post_shipments(
        api, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "k" * 256}
    )

    assert response.status_code == 400
    assert error_codes(response) == [("Idempotency-Key", "invalid")]
    assert order_state(order) == before


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_retries_declare_once_and_all_get_the_same_201(
    token_secret, close_thread_connections
):
    order, _, _ = announcement_order()

    def retry():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_secret}")
        response = post_shipments(
            client, "2312011200A1B2", PARCEL, **{"Idempotency-Key": "retry-1"}
        )
        return response.status_code, response.json()

    results = run_in_threads(*[retry] * 10)

    assert [status for status, _ in results] == [201] * 10
    bodies = [body for _, body in results]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["orderLineIds"] == ["LINE_1", "LINE_2"]
    assert Shipment.objects.filter(order=order).count() == 1
    original = ShipmentRequest.objects.get(replay_of=None)
    assert original.outcome == "Accepted"
    assert (
        list(
            ShipmentRequest.objects.exclude(pk=original.pk).values_list(
                "replay_of", "outcome", "http_status"
            )
        )
        == [(original.pk, "Accepted", 201)] * 9
    )
    assert IdempotencyKey.objects.count() == 1
