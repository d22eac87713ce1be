"""Token buckets per key (a chat session): a burst of events at once, then a steady rate.

The classic token bucket: a bucket holds up to `burst` tokens and refills at `per_minute / 60` tokens a second;
each event takes one token, and an event that finds less than one is refused with the wait until there is one.
Pure bookkeeping: time comes from an injectable clock (seconds, monotonic), nothing is stored or raised.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 10_000  # buckets kept; the least recently used is forgotten (it comes back full)


@dataclass
class TokenBucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    updated: float  # clock time of the last refill

    def take(self, now: float) -> float:
        """Take one token: 0.0 when taken, else the seconds until one is available (nothing taken)."""
        # max(): a clock that steps back must not drain the bucket
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = max(self.updated, now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class RateLimiter:
    """One token bucket per key, safe to share between threads."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        if per_minute <= 0 or burst < 1 or max_keys < 1:
            raise ValueError(f"need per_minute > 0, burst >= 1, max_keys >= 1; got {per_minute}, {burst}, {max_keys}")
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Count one event for `key`: 0.0 when allowed, else the seconds to wait (the event is not counted)."""
        with self._lock:
            now = self.clock()
            bucket = self._buckets.pop(key, None) or TokenBucket(self.burst, self.rate, float(self.burst), now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return bucket.take(now)
