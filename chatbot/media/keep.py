"""The recordings and pictures users send, kept only when the operator opts in (`EXCHAT_KEEP_MEDIA`), under
HOME/media/<session key>/, and deleted with their session or after the retention period like the turns' text.

A session's folder is named by a hash of its id (ids are any printable text, not safe as file names).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import uuid
from datetime import datetime
from pathlib import Path

from chatbot.media.files import sniff

log = logging.getLogger(__name__)


class MediaKeeper:
    def __init__(self, folder: Path, enabled: bool) -> None:
        self.folder = Path(folder)
        self.enabled = enabled

    def keep(self, session_id: str, data: bytes) -> str | None:
        """Store `data` for `session_id`; its name relative to the media folder, or None when keeping is off."""
        if not self.enabled:
            return None
        name = f"{session_key(session_id)}/{uuid.uuid4().hex}.{sniff(data) or 'bin'}"
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return name

    def discard(self, names: list[str]) -> None:
        """Delete files kept for a turn that was not stored after all."""
        for name in names:
            (self.folder / name).unlink(missing_ok=True)

    def forget_session(self, session_id: str) -> int:
        """Delete every file kept for `session_id`; how many there were."""
        folder = self.folder / session_key(session_id)
        if not folder.is_dir():
            return 0
        count = sum(1 for _ in folder.iterdir())
        shutil.rmtree(folder)
        return count

    def forget_before(self, cutoff: datetime) -> int:
        """Delete the files kept before `cutoff` (their turns' text is purged at the same time); how many."""
        if not self.folder.is_dir():
            return 0
        count = 0
        for path in self.folder.glob("*/*"):
            if path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
                count += 1
        if count:
            log.info("%d media files older than %s deleted", count, cutoff)
        return count


def session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()[:32]
