"""Running a job on a schedule in-process (APScheduler): `--every-night HH:MM` or `--cron EXPR` of the retrain."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


def schedule_trigger(every_night: str | None, cron: str | None):
    """The APScheduler trigger for `--every-night HH:MM` or `--cron EXPR`."""
    from apscheduler.triggers.cron import CronTrigger

    if cron:
        return CronTrigger.from_crontab(cron)
    hour, _, minute = (every_night or "").partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ValueError(f"--every-night takes a time as HH:MM, got {every_night!r}")
    return CronTrigger(hour=int(hour), minute=int(minute))


def run_on_schedule(job: Callable[[], None], trigger, name: str) -> None:
    """Run `job` at each time of `trigger`, for good; a run that fails is logged and the next one runs."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    def guarded() -> None:
        try:
            job()
        except Exception:  # a failed night must not stop the schedule; the traceback goes to the log
            log.exception("the %s failed; the next one runs as scheduled", name)

    scheduler = BlockingScheduler()
    scheduler.add_job(guarded, trigger, max_instances=1, coalesce=True, misfire_grace_time=3600)
    log.info("%s scheduled: %s", name, trigger)
    scheduler.start()
