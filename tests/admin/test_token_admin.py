import pytest

from shipments.api.tokens import find_active_token, issue_api_token
from shipments.models import ApiToken
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db


def test_token_list_shows_the_prefix_and_never_the_digest(operator_client):
    token, _ = issue_api_token(seller=SellerFactory(seller_id="98979"), name="wms")

    response = operator_client.get("/admin/shipments/apitoken/")

    assert response.status_code == 200
    content = response.content.decode()
    assert token.prefix in content
    assert token.digest not in content


def test_revoking_tokens_stops_them_authenticating(operator_client):
    token, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))

    response = operator_client.post(
        "/admin/shipments/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Revoked 1 API token(s)." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert find_active_token(secret) is None


def test_tokens_cannot_be_added_or_deleted_from_the_admin(operator_client):
    token, _ = issue_api_token(seller=SellerFactory(seller_id="98979"))

    add = operator_client.get("/admin/shipments/apitoken/add/")
    delete = operator_client.post(
        f"/admin/shipments/apitoken/{token.pk}/delete/", {"post": "yes"}
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [token.pk]


def test_reviewers_do_not_see_tokens(reviewer_client):
    issue_api_token(seller=SellerFactory(seller_id="98979"))

    response = reviewer_client.get("/admin/shipments/apitoken/")

    assert response.status_code == 403
