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
def api():
    """An API client of seller 98979 that answers errors instead of raising."""
    _, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client
