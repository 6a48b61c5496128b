import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from shipments.api.tokens import issue_api_token
from tests.factories import SellerFactory


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seller():
    return SellerFactory(seller_id="98979")


@pytest.fixture
def token_secret(seller):
    _, secret = issue_api_token(seller=seller, name="tests")
    return secret


@pytest.fixture
def api(token_secret):
    """An API client authenticated as seller 98979."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_secret}")
    return client


@pytest.fixture
def anonymous_api():
    return APIClient()
