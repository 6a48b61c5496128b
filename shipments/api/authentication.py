"""Bearer tokens bound to a seller, and the ``SellerId`` header check."""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from orders.models import Seller
from shipments.api.tokens import find_active_token, note_token_use
from shipments.models import ApiToken


@dataclass(frozen=True)
class ApiCaller:
    """Who is calling: the seller a token belongs to, and the token."""

    seller: Seller
    token: ApiToken
    is_authenticated = True

    @property
    def declared_by(self):
        return f"API token {self.token.prefix}"


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``; ``request.user`` is an ApiCaller."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>', with no spaces "
                "in the token."
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(
                "The token contains characters a token never has."
            ) from error

        token = find_active_token(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown or revoked.")
        note_token_use(token)
        return ApiCaller(seller=token.seller, token=token), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="seller-api"'


class SellerIdMismatch(exceptions.PermissionDenied):
    default_detail = "The SellerId header does not match the seller of the token."
    default_code = "seller_id_mismatch"


class SellerIdMatchesToken(BasePermission):
    """An optional ``SellerId`` header must name the token's own seller."""

    def has_permission(self, request, view):
        seller_id = request.headers.get("SellerId")
        if seller_id is None or request.user is None:
            return True
        if seller_id.strip() != request.user.seller.seller_id:
            raise SellerIdMismatch()
        return True


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A seller's API token: `python manage.py create_api_token "
                "SELLER_ID` prints one. Send it as `Authorization: Bearer "
                "<token>`."
            ),
        }
