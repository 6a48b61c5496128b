"""API tokens: stored as digests, compared in constant time, revocable."""

import hmac

import pytest
from django.db import connection
from rest_framework.test import APIClient

from shipments.api.tokens import issue_api_token, revoke_api_token
from shipments.models import ApiToken
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db


def client_with(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_secret_is_stored_nowhere_in_the_database():
    token, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
    client_with(secret).get("/seller/v2/orders")

    stored = ApiToken.objects.values().get(pk=token.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM shipments_apitoken")
        rows = cursor.fetchall()

    assert secret not in repr(stored)
    assert secret not in repr(rows)
    assert stored["prefix"] == secret[:12]
    assert len(stored["digest"]) == 64


def test_digests_are_compared_in_constant_time(monkeypatch):
    _, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
    comparisons = []
    constant_time_compare = hmac.compare_digest

    def compare_digest(stored, offered):
        comparisons.append((len(stored), len(offered)))
        return constant_time_compare(stored, offered)

    monkeypatch.setattr("shipments.api.tokens.hmac.compare_digest", compare_digest)

    accepted = client_with(secret).get("/seller/v2/orders")
    refused = client_with(secret[:-1] + ("A" if secret[-1] != "A" else "B")).get(
        "/seller/v2/orders"
    )

    assert (accepted.status_code, refused.status_code) == (200, 401)
    assert comparisons == [(64, 64), (64, 64)]


def test_revoked_token_is_refused_with_401():
    token, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
    revoke_api_token(token)

    response = client_with(secret).get("/seller/v2/orders")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The token is unknown or revoked."
