"""The real app and a throw-away PostgreSQL server as child processes, for the load bench and the reliability tests.

`AppProcess` runs `python app.py` (what users run) on a free loopback port with its own `EXCHAT_HOME`, waits until
it answers, and stops or `kill -9`s it. `PostgresServer` makes a temporary cluster with Debian's server binaries
(`initdb` + `pg_ctl` under /usr/lib/postgresql/*/bin): loopback only, a free port, its unix socket in its own
folder, trust authentication; as root it runs them as the `postgres` user, since the server refuses root.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 180.0  # loading the encoder takes ~8 s alone; several at once on 2 cores take longer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppProcess:
    """`python app.py` in a child process: `start()`, then `url`; `kill()` is `kill -9`, `stop()` a SIGTERM."""

    def __init__(self, home: Path, db_url: str | None = None, env: dict[str, str] | None = None) -> None:
        self.home = Path(home)
        self.db_url = db_url or f"sqlite:///{self.home / 'feedback.db'}"
        self.env = env or {}
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.home / "app.log"

    def launch(self) -> AppProcess:
        """Start the process and return at once; `wait_ready()` waits for it (start several, then wait)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "EXCHAT_HOME": str(self.home),
            "EXCHAT_DB_URL": self.db_url,
            "EXCHAT_HOST": "127.0.0.1",
            "EXCHAT_PORT": str(self.port),
            **self.env,
        }
        env.pop("SPACE_ID", None)  # app.py would listen on every interface
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "app.py"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> AppProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "gradio_api/info", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        self.kill()
        raise TimeoutError(f"the app did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def start(self) -> AppProcess:
        return self.launch().wait_ready()

    def kill(self) -> None:
        """`kill -9`: no clean-up of any kind runs in the app."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process:
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def postgres_bindir() -> Path | None:
    """The newest Debian PostgreSQL server's bin folder, or None when no server is installed."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl") if (p.parent / "initdb").exists()]
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, default=None)


class PostgresServer:
    """A temporary PostgreSQL cluster with one database, `exchat`, owned by the trusted user `exchat`."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root: Path | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return self.database_url("exchat")

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://exchat@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        """A new empty database on this server; returns its SQLAlchemy URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "exchat", name)
        return self.database_url(name)

    def start(self) -> PostgresServer:
        # mkdtemp, not a pytest tmp_path: the postgres user must be able to reach the folder.
        self.root = Path(tempfile.mkdtemp(prefix="exchat-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.port = free_port()
        data = self.root / "data"
        try:
            self._run("initdb", "-D", str(data), "-U", "exchat", "--auth=trust", "-E", "UTF8", "--no-sync")
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
            self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")
            self.create_database("exchat")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        if (self.root / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")  # thrown away next
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
