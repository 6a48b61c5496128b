"""Bearer tokens, the SellerId header and the token commands."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from orders.models import Seller
from shipments.api.tokens import issue_api_token, revoke_api_token, token_digest
from shipments.models import ApiToken, ShipmentRequest
from tests.api.calls import PARCEL, error_codes, order_url, post_shipments
from tests.factories import SellerFactory, announcement_order
from tests.state import order_state

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def client_with(authorization):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization)
    return client


def test_call_without_token_is_401_and_changes_nothing(anonymous_api):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = post_shipments(anonymous_api, "2312011200A1B2", PARCEL)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == 'Bearer realm="seller-api"'
    assert response.json()["code"] == "not_authenticated"
    assert error_codes(response) == [("Authorization", "not_authenticated")]
    assert order_state(order) == before
    assert ShipmentRequest.objects.count() == 0


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer mkt_notARealTokenAtAll", id="unknown-token"),
        pytest.param("Bearer", id="no-token-after-bearer"),
        pytest.param("Bearer two words", id="token-with-a-space"),
    ],
)
def test_bad_token_is_401(seller, authorization):
    order, _, _ = announcement_order()
    before = order_state(order)

    response = post_shipments(client_with(authorization), "2312011200A1B2", PARCEL)

    assert response.status_code == 401
    assert error_codes(response) == [("Authorization", "authentication_failed")]
    assert order_state(order) == before


def test_revoked_token_is_401(seller):
    announcement_order()
    token, secret = issue_api_token(seller=seller)
    revoke_api_token(token)

    response = client_with(f"Bearer {secret}").get(order_url("2312011200A1B2"))

    assert response.status_code == 401
    assert response.json()["detail"] == "The token is unknown or revoked."


def test_token_is_stored_as_a_digest_with_a_readable_prefix(seller):
    token, secret = issue_api_token(seller=seller)

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == token_digest(secret)
    assert stored.prefix == secret[:12]
    assert secret not in {stored.digest, stored.prefix, stored.name}


def test_successful_call_notes_when_the_token_was_last_used(seller):
    announcement_order()
    token, secret = issue_api_token(seller=seller)

    client_with(f"Bearer {secret}").get(order_url("2312011200A1B2"))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(seller):
    announcement_order()
    token, secret = issue_api_token(seller=seller)
    client = client_with(f"Bearer {secret}")
    client.get(order_url("2312011200A1B2"))
    token.refresh_from_db()
    first_use = token.last_used_at

    client.get(order_url("2312011200A1B2"))
    token.refresh_from_db()
    unchanged = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=first_use - dt.timedelta(seconds=61)
    )
    client.get(order_url("2312011200A1B2"))
    token.refresh_from_db()

    assert unchanged == first_use
    assert token.last_used_at > first_use


def test_seller_id_header_of_another_seller_is_403(api):
    order, _, _ = announcement_order()
    SellerFactory(seller_id="12345")
    before = order_state(order)

    response = post_shipments(api, "2312011200A1B2", PARCEL, SellerId="12345")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "seller_id_mismatch"
    assert order_state(order) == before


def test_seller_id_header_of_the_tokens_seller_is_accepted(api):
    announcement_order()

    response = post_shipments(api, "2312011200A1B2", PARCEL, SellerId="98979")

    assert response.status_code == 201


def test_create_api_token_creates_the_seller_and_prints_a_working_token():
    announcement_order(seller=SellerFactory(seller_id="55555"))
    output = StringIO()

    call_command("create_api_token", "55555", stdout=output)
    call_command("create_api_token", "77777", stdout=StringIO())

    secret = output.getvalue().splitlines()[-1]
    assert secret.startswith("mkt_")
    assert " " not in secret
    response = client_with(f"Bearer {secret}").get(order_url("2312011200A1B2"))
    assert response.status_code == 200
    assert list(Seller.objects.values_list("seller_id", flat=True)) == [
        "55555",
        "77777",
    ]


def test_revoke_api_token_command_revokes_by_prefix(seller):
    token, _ = issue_api_token(seller=seller)
    output = StringIO()

    call_command("revoke_api_token", token.prefix, stdout=output)

    token.refresh_from_db()
    assert token.is_revoked is True
    assert output.getvalue() == f"Revoked {token.prefix}… of seller 98979.\n"
    with pytest.raises(CommandError, match="No active token starts with"):
        call_command("revoke_api_token", token.prefix, stdout=StringIO())
