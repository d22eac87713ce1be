"""The admin tab: feedback over time, adapter versions, promote/rollback, the last retrain, export and delete, and the
correction memory (list, approve for everyone, delete).

Everything here needs the password from `EXCHAT_ADMIN_PASSWORD`; without one set the tab only says it is off.
Every action checks the password itself (compared in constant time), so a crafted request to an event skips
nothing; failed attempts are rate-limited per process.
"""

from __future__ import annotations

import hmac
import json
import logging
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot.assistant import Assistant
from chatbot.ratelimit import RateLimiter
from core.errors import InputError
from core.registry import AdapterRegistry, RegistryError, parse_version, versions_table
from core.store import RatingRecord, TurnRecord
from skills.markup import esc
from skills.registry import skill_names
from training.feedback import current_ratings
from training.feedback_export import load_feedback, write_examples

log = logging.getLogger(__name__)
LOGIN_ATTEMPTS_PER_MINUTE = 5
VERSION_COLUMNS = ["skill", "version", "current", "status", "created", "parent", "benchmark", "feedback", "reason"]
MEMORY_COLUMNS = ["id", "skill", "text", "correction", "sessions", "shared", "created"]


def feedback_timeline(turns: list[TurnRecord], ratings: list[RatingRecord]) -> list[dict[str, Any]]:
    """Per day and skill: how many answers have a thumb (their current rating), and the share of 👍."""
    skill_of = {turn.id: turn.skill for turn in turns}
    days: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"up": 0, "down": 0})
    for rating in current_ratings(ratings):
        if rating.turn_id in skill_of:
            days[(rating.created_at.date().isoformat(), skill_of[rating.turn_id])][rating.thumb] += 1
    return [
        {"day": day, "skill": skill, "ratings": c["up"] + c["down"], "approval": c["up"] / (c["up"] + c["down"])}
        for (day, skill), c in sorted(days.items())
    ]


def timeline_figure(rows: list[dict[str, Any]]):
    """Two panels: ratings per day and approval rate per day, one line per skill."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (counts, approval) = plt.subplots(1, 2, figsize=(9, 3.2))
    for skill in sorted({row["skill"] for row in rows}):
        mine = [row for row in rows if row["skill"] == skill]
        days = [row["day"] for row in mine]
        counts.plot(days, [row["ratings"] for row in mine], marker="o", label=skill)
        approval.plot(days, [100 * row["approval"] for row in mine], marker="o", label=skill)
    counts.set_title("rated answers per day")
    approval.set_title("👍 share per day (%)")
    approval.set_ylim(0, 100)
    for axis in (counts, approval):
        axis.tick_params(axis="x", labelrotation=30, labelsize=7)
        axis.grid(alpha=0.3)
        if rows:
            axis.legend(fontsize=7)
    figure.tight_layout()
    plt.close(figure)
    return figure


class Admin:
    """The admin actions behind the password; the Gradio tab below is a thin layer over these."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.password = assistant.config.admin_password
        self.registry = AdapterRegistry(assistant.config.registry)
        self.failures = RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE, LOGIN_ATTEMPTS_PER_MINUTE)

    @property
    def enabled(self) -> bool:
        return bool(self.password)

    def check(self, password: str | None) -> None:
        """InputError unless `password` is the admin password."""
        if not self.enabled:
            raise InputError("The admin tab is off: the operator sets EXCHAT_ADMIN_PASSWORD to turn it on.")
        given = (password or "").encode("utf-8")
        if not hmac.compare_digest(given, self.password.encode("utf-8")):
            wait = self.failures.take("login")
            if wait:
                raise InputError(f"Too many wrong passwords; try again in {int(wait) + 1} s.")
            raise InputError("Wrong admin password.")

    def versions(self) -> list[list[Any]]:
        rows = versions_table(self.registry)
        return [[_cell(row.get(column)) for column in VERSION_COLUMNS] for row in rows]

    def promote(self, password: str, version: str) -> str:
        self.check(password)
        try:
            skill, name = parse_version(version or "")
            self.registry.promote(skill, name, "promoted in the admin tab")
        except RegistryError as error:
            raise InputError(str(error)) from None
        self._serve_current()
        return f"{skill} {name} is current and serving."

    def rollback(self, password: str, skill: str) -> str:
        self.check(password)
        try:
            version = self.registry.rollback(skill or "", "rolled back in the admin tab")
        except RegistryError as error:
            raise InputError(str(error)) from None
        self._serve_current()
        return f"{skill} rolled back: {version} is current and serving."

    def _serve_current(self) -> None:
        if self.assistant.adapters:
            self.assistant.adapters.refresh(force=True)

    def export(self, password: str) -> Path:
        self.check(password)
        folder = Path(tempfile.mkdtemp(prefix="exchat-export-"))
        dataset = load_feedback(self.assistant.store)
        return write_examples(list(dataset.examples), folder / "feedback.jsonl", "jsonl")

    def delete_session(self, password: str, session_id: str) -> str:
        self.check(password)
        counts = self.assistant.delete_session((session_id or "").strip())
        deleted = ", ".join(f"{n} {what}" for what, n in counts.items())
        return f"Session {esc(session_id)}: deleted {deleted}."

    def memory_rows(self, password: str) -> list[list[Any]]:
        """The correction memory, newest first: what was corrected, how, by how many sessions, whether everyone
        sees it (two sessions agree, or approved)."""
        self.check(password)
        memory = self._memory()
        shared = {True: "yes", False: "only its session"}
        return [
            [
                e.id,
                e.skill,
                e.text,
                json.dumps(e.correction, ensure_ascii=False),
                len(e.sessions),
                shared[e.confirmed],
                e.created_at.isoformat(timespec="minutes"),
            ]
            for e in reversed(memory.entries())
        ]

    def approve_memory(self, password: str, entry_id: Any) -> str:
        self.check(password)
        entry = _entry_id(entry_id)
        if not self._memory().approve(entry):
            raise InputError(f"No remembered correction #{entry}.")
        return f"Correction #{entry} now answers every session."

    def delete_memory(self, password: str, entry_id: Any) -> str:
        self.check(password)
        entry = _entry_id(entry_id)
        if not self._memory().delete([entry]):
            raise InputError(f"No remembered correction #{entry}.")
        return f"Correction #{entry} deleted: it no longer answers anyone (the rating stays for the retrain)."

    def _memory(self):
        if self.assistant.memory is None:
            raise InputError("This app runs without a correction memory.")
        return self.assistant.memory

    def overview(self, password: str) -> tuple[Any, list[list[Any]], dict[str, Any] | None, str]:
        self.check(password)
        store = self.assistant.store
        rows = feedback_timeline(store.rated_turns(), store.ratings())
        report = self.registry.last_report()
        counts = store.counts()
        return timeline_figure(rows), self.versions(), report, f"Store: {counts}"

    def open_panel(self, secret: str):
        """The tab's outputs for the Open button: the panel and its contents, or why not."""
        try:
            figure, rows, last, counts = self.overview(secret)
        except InputError as error:
            return gr.update(visible=False), f"⚠️ {esc(str(error))}", gr.skip(), gr.skip(), gr.skip(), "", gr.skip()
        choices = gr.update(choices=[f"{row[0]}/{row[1]}" for row in rows])  # skill/version
        return gr.update(visible=True), "", figure, rows, last, counts, choices

    def guarded(self, action):
        """`action(secret, *args)` as an event: its message and the refreshed versions, or the error."""

        def run(secret: str, *args):
            try:
                return f"✅ {action(secret, *args)}", self.versions()
            except InputError as error:
                return f"⚠️ {esc(str(error))}", gr.skip()

        return run

    def memory_event(self, action):
        """An event for the memory's buttons: `action(secret, entry id)` (None: only show), then the entries."""

        def run(secret: str, entry_id: str):
            try:
                done = f"✅ {action(secret, entry_id)}" if action else ""
                return done, self.memory_rows(secret)
            except InputError as error:
                return f"⚠️ {esc(str(error))}", gr.skip()

        return run

    def export_file(self, secret: str):
        try:
            return "✅ Exported.", str(self.export(secret))
        except InputError as error:
            return f"⚠️ {esc(str(error))}", None


def _entry_id(value: Any) -> int:
    try:
        return int(str(value).strip().lstrip("#"))
    except ValueError:
        raise InputError(f"A remembered correction's id is a whole number, got {value!r}.") from None


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    return "" if value is None else value


def build_admin_tab(assistant: Assistant) -> None:
    """The admin tab's components and events, inside the caller's `gr.Blocks`."""
    admin = Admin(assistant)
    if not admin.enabled:
        gr.Markdown("The admin tab is off. The operator turns it on by setting `EXCHAT_ADMIN_PASSWORD`.")
        return
    password = gr.Textbox(label="Admin password", type="password")
    open_button = gr.Button("Open")
    message = gr.Markdown()
    with gr.Column(visible=False) as panel:
        timeline = gr.Plot(label="Feedback per skill over time")
        versions = gr.Dataframe(headers=VERSION_COLUMNS, label="Adapter versions", interactive=False)
        with gr.Row():
            version = gr.Dropdown(label="Version to promote (skill/version)", choices=[], allow_custom_value=True)
            promote = gr.Button("Promote")
            skill = gr.Dropdown(label="Skill to roll back", choices=list(skill_names(trainable=True, serving=None)))
            rollback = gr.Button("Roll back")
        report = gr.JSON(label="Last retrain report")
        store_counts = gr.Markdown()
        with gr.Row():
            session_id = gr.Textbox(label="Delete every answer and rating of session")
            delete = gr.Button("Delete session data", variant="stop")
            export = gr.Button("Export feedback (JSON Lines)")
        exported = gr.File(label="Export")
        memory = gr.Dataframe(headers=MEMORY_COLUMNS, label="Correction memory (newest first)", interactive=False)
        with gr.Row():
            entry = gr.Textbox(label="Remembered correction id")
            show_memory = gr.Button("Show")
            approve = gr.Button("Approve for everyone")
            forget = gr.Button("Delete", variant="stop")

    outputs = [panel, message, timeline, versions, report, store_counts, version]
    open_button.click(admin.open_panel, password, outputs, api_visibility="private")
    password.submit(admin.open_panel, password, outputs, api_visibility="private")
    promote.click(admin.guarded(admin.promote), [password, version], [message, versions], api_visibility="private")
    rollback.click(admin.guarded(admin.rollback), [password, skill], [message, versions], api_visibility="private")
    deleting = admin.guarded(admin.delete_session)
    delete.click(deleting, [password, session_id], [message, versions], api_visibility="private")
    export.click(admin.export_file, password, [message, exported], api_visibility="private")
    for button, action in ((show_memory, None), (approve, admin.approve_memory), (forget, admin.delete_memory)):
        button.click(admin.memory_event(action), [password, entry], [message, memory], api_visibility="private")
