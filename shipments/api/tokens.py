"""Issuing, finding and revoking API tokens; secrets are stored as digests."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.utils import timezone

from shipments.models import ApiToken

TOKEN_MARK = "mkt_"
PREFIX_LENGTH = len(TOKEN_MARK) + 8


def token_digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_token(*, seller, name=""):
    """Create a token for ``seller`` and return it with its secret.

    The secret is returned only here: the database keeps its digest and its
    first characters.
    """
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        seller=seller,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        digest=token_digest(secret),
    )
    return token, secret


def find_active_token(secret):
    """Return the unrevoked token whose secret is ``secret``, or None.

    Tokens are looked up by their readable prefix and the digests compared in
    constant time, so the lookup does not reveal how much of a guess matched.
    """
    digest = token_digest(secret)
    candidates = ApiToken.objects.select_related("seller").filter(
        prefix=secret[:PREFIX_LENGTH], revoked_at__isnull=True
    )
    for token in candidates:
        if hmac.compare_digest(token.digest, digest):
            return token
    return None


# ``last_used_at`` tells an operator whether a token is still in use, not
# when each request came: writing it on every request would add an UPDATE of
# the same row to every call, and make concurrent calls with one token queue
# on that row lock. It is written at most once a minute.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def note_token_use(token):
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < (
        LAST_USED_PRECISION
    ):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def revoke_api_token(token):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
