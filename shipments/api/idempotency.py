"""``Idempotency-Key``: a retried declaration gets the first answer again.

The key is looked up and stored in the transaction that holds the order
lock, so concurrent retries of one declaration queue on the order row: the
first declares and stores its answer, the others find it and replay it.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.services import lock_order
from shipments.api.problems import IdempotencyKeyReused
from shipments.models import IdempotencyKey


@dataclass(frozen=True)
class Answer:
    status: int
    body: object
    shipment_request: object = None
    replayed: bool = False


def request_fingerprint(order_id, body):
    """A digest of what makes two calls the same: the order and the body."""
    canonical = json.dumps(
        {"orderId": order_id, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_once(*, seller, order, key, fingerprint, answer):
    """Return ``answer()``, or the stored answer of an earlier call.

    ``answer`` declares and returns an ``Answer``; it runs under the order
    lock, at most once per live key. Without a key it simply runs. Raises
    ``IdempotencyKeyReused`` when the key answered another request; then
    anything ``answer`` wrote is rolled back.
    """
    if not key:
        return answer()

    with transaction.atomic():
        lock_order(order.pk)
        now = timezone.now()
        stored = IdempotencyKey.objects.filter(seller=seller, key=key).first()
        if stored is not None and stored.expires_at <= now:
            stored.delete()
            stored = None

        if stored is not None:
            if stored.request_fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return Answer(
                status=stored.response_status,
                body=stored.response_body,
                shipment_request=stored.shipment_request,
                replayed=True,
            )

        fresh = answer()
        try:
            IdempotencyKey.objects.create(
                seller=seller,
                key=key,
                request_fingerprint=fingerprint,
                response_status=fresh.status,
                response_body=fresh.body,
                shipment_request=fresh.shipment_request,
                expires_at=now + IdempotencyKey.LIFETIME,
            )
        except IntegrityError as error:
            # The same key sent at the same moment for another order, which
            # holds another lock: this declaration is rolled back, although
            # the service has already logged it as accepted.
            raise IdempotencyKeyReused() from error
    return fresh


def purge_expired_keys(*, now=None):
    """Delete the keys past their lifetime; return how many."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    return deleted
