"""Per-seller limit on shipment declarations, counted in Django's cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class SellerDeclarationThrottle(SimpleRateThrottle):
    """Counts a seller's declarations across all its tokens.

    The rate is ``settings.SHIPMENT_THROTTLE_RATE`` (environment variable of
    the same name), read at each request. Counters live in the default cache:
    Redis when ``REDIS_URL`` is set, shared by every server process; without
    it each process counts on its own, so the effective limit is multiplied
    by the number of processes.
    """

    scope = "shipment_declarations"

    def get_rate(self):
        return settings.SHIPMENT_THROTTLE_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user is None:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": request.user.seller.pk,
        }
