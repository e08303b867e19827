"""Write rate limits: a token bucket per API key, held in each worker process.

The buckets live in process memory, so with `gunicorn -w N` a key may make up to N times the
configured rate across the server; a shared limit would need a shared store (Redis, the
database), which is not worth a write per request here.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass(slots=True)
class TokenBucket:
    """`capacity` tokens, refilled at `rate` tokens a second; each request takes one."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take a token and return 0, or return the seconds until one will be there."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimiter:
    """Token buckets by key id; `per_minute` 0 lets everything through."""

    MAX_BUCKETS = 10_000  # forget idle keys past this many, so memory stays bounded

    def __init__(self, per_minute: float, burst: int, *, clock=time.monotonic) -> None:
        self.rate = per_minute / 60
        self.burst = max(1, int(burst))
        self.clock = clock
        self._buckets: dict[object, TokenBucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def retry_after(self, key: object) -> int:
        """Take a token for `key`; return 0 when allowed, else whole seconds to wait (at least 1)."""
        if not self.enabled:
            return 0
        with self._lock:
            now = self.clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.MAX_BUCKETS:
                    self._buckets.clear()
                bucket = self._buckets[key] = TokenBucket(self.burst, self.rate, self.burst, now)
            wait = bucket.take(now)
        return 0 if wait == 0 else max(1, math.ceil(wait))
