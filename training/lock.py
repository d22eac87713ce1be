"""A lock file that keeps two retrains from running at once, and recovers from one a killed run left behind.

The file is created with O_EXCL (atomic on every local file system) and holds the owner's host, pid and start
time. A lock is stale when its owner ran on this host and that process no longer exists, or when it is older than
`max_age` (an owner on another host that died; a run never takes that long).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class LockHeld(RuntimeError):
    """Another live run holds the lock; the message names it."""


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class RunLock:
    def __init__(self, path: Path, max_age: float = 6 * 3600) -> None:
        self.path = Path(path)
        self.max_age = max_age
        self.recovered: dict[str, Any] | None = None  # the stale lock this acquisition replaced, if any

    def owner(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return None
        except json.JSONDecodeError:  # a run killed between creating and writing the file
            return {"host": socket.gethostname(), "pid": -1, "started": self.path.stat().st_mtime}

    def is_stale(self, owner: dict[str, Any]) -> bool:
        if time.time() - float(owner.get("started", 0)) > self.max_age:
            return True
        return owner.get("host") == socket.gethostname() and not process_alive(int(owner.get("pid", -1)))

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self.owner()
                if owner is None:
                    continue  # released meanwhile
                if not self.is_stale(owner):
                    raise LockHeld(
                        f"another retrain is running (pid {owner.get('pid')} on {owner.get('host')}, "
                        f"since {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(float(owner['started'])))})"
                    ) from None
                log.warning("recovering a stale retrain lock left by %s", owner)
                self.recovered = owner
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(handle, "w") as file:
                json.dump({"host": socket.gethostname(), "pid": os.getpid(), "started": time.time()}, file)
            return
        raise LockHeld(f"could not take {self.path}: another run keeps taking it")

    def release(self) -> None:
        owner = self.owner()
        if owner and owner.get("pid") == os.getpid() and owner.get("host") == socket.gethostname():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
