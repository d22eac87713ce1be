"""How long raw text is kept: turns older than `retention_days` lose their text, at start-up and once a day.

`purge_expired` applies the setting once (`FeedbackStore.purge_text_before` does the work: message, reply and
output text replaced, ratings' reasons and corrections removed; skill, times and thumbs kept). `run_every` is the
daily timer: a daemon thread, so it never keeps the process alive. 0 days keeps everything forever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.store import FeedbackStore

log = logging.getLogger(__name__)

DAY_SECONDS = 86_400.0


def purge_expired(store: FeedbackStore, days: int, now: datetime) -> dict[str, int]:
    """Purge the text of turns created more than `days` days before `now`; {"turns": 0, "ratings": 0} for 0 days."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"retention days must be a whole number of at least 0, got {days!r}")
    if days == 0:
        return {"turns": 0, "ratings": 0}
    counts = store.purge_text_before(now - timedelta(days=days))
    if counts["turns"]:
        log.info("retention %d days: text of %d answers purged", days, counts["turns"])
    return counts


@dataclass(frozen=True)
class RepeatingJob:
    """A job `run_every` calls on its own thread; `stop` ends it (and waits for a call under way)."""

    stopped: threading.Event
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.stopped.set()
        self.thread.join(timeout)


def run_every(seconds: float, job: Callable[[], object], name: str) -> RepeatingJob:
    """Call `job` every `seconds` on a daemon thread until the returned job is stopped.

    A job that fails is logged with its traceback and tried again at the next interval.
    """
    if seconds <= 0:
        raise ValueError(f"interval must be positive, got {seconds}")
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            try:
                job()
            except Exception:
                log.exception("%s failed; trying again in %.0f s", name, seconds)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return RepeatingJob(stop, thread)
