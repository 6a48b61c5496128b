"""Per-seller limit on shipment declarations, counted in Django's cache."""

import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class SellerDeclarationThrottle(SimpleRateThrottle):
    """Counts a seller's declarations across all its tokens.

    The rate is ``settings.SHIPMENT_THROTTLE_RATE`` (environment variable of
    the same name), read at each request. A window of the rate's duration
    opens at a seller's first declaration; the calls in it are counted with
    the cache's atomic increment, so calls arriving at the same moment on
    several servers are all counted. (DRF's own throttle reads a list of
    timestamps, appends and writes it back: two servers doing so at once
    lose one of the calls, and the list grows with the rate.) Counters live
    in the default cache: Redis when ``REDIS_URL`` is set, shared by every
    server process; without it each process counts on its own, so the
    effective limit is multiplied by the number of processes. As with any
    fixed window, a burst straddling two windows may reach twice the count.
    """

    scope = "shipment_declarations"

    def get_rate(self):
        return settings.SHIPMENT_THROTTLE_RATE

    def allow_request(self, request, view):
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = key
        self.now = self.timer()
        try:
            count = self.cache.incr(key)
        except ValueError:
            count = self.open_window(key)
        if count <= self.num_requests:
            return True
        return self.throttle_failure()

    def open_window(self, key):
        """Start counting at 1, unless another call opened the window first."""
        if self.cache.add(key, 1, timeout=self.duration):
            self.cache.set(f"{key}:opened", self.now, timeout=self.duration)
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:
            # The window closed between the two calls: open the next one.
            return self.open_window(key)

    def wait(self):
        opened = self.cache.get(f"{self.key}:opened", self.now)
        return max(1, math.ceil(opened + self.duration - self.now))

    def get_cache_key(self, request, view):
        if request.user is None:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": request.user.seller.pk,
        }
