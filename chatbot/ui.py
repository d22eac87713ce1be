"""The Gradio app: a thin layer over `Assistant`. Every event is also callable through `gradio_client`:

/chat ({"text", "files"}, history, show_explanations) -> chat, box, scores, highlights, rationale, turn choices
      files: at most one recording (wav, mp3, ogg, webm, m4a, flac) and one picture (png, jpeg, gif, webp, bmp, tiff)
/rate (turn_id, thumb, reason, correction)  -> status    thumb: "up"/"👍 right", "down"/"👎 wrong", "retract"
/kb_upload (files)                          -> status, documents
/reply (message, session_id) -> Reply as a dict;  /rate_turn (turn_id, thumb, reason, correction) -> rating
/choose (turn_id, option, session_id) -> the Reply to a clarifying question's option (index or skill)
/reanswer (turn_id, skill, session_id) -> the Reply of that turn's message answered with another skill
/reply_media (message, session_id, audio file or None, image file or None) -> Reply as a dict (or {"error"})
/correct_input (turn_id, text, session_id) -> the Reply to that turn's recording or picture text as the user edited it
"""

from __future__ import annotations

import logging
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from chatbot import render
from chatbot.admin import build_admin_tab
from chatbot.assistant import Assistant, Reply
from chatbot.media.files import sort_files
from chatbot.planner import CLARIFY
from chatbot.ratings import answer_id
from core.errors import InputError
from core.records import Thumb, TurnOutput
from skills.markup import esc
from skills.registry import registered, skill_names

log = logging.getLogger(__name__)
THUMBS = {"👍 right": Thumb.UP, "👎 wrong": Thumb.DOWN, "take my thumb back": Thumb.RETRACTED}
EXAMPLES = [
    "find the names in: Priya Nair joined Infosys in Pune",
    "what's the sentiment of: the plot was dull and the ending never came",
    "Context: The Eiffel Tower was completed in 1889 for the World's Fair in Paris. Question: when was it completed?",
    "how do I correct a wrong answer?",
    "what can you do?",
]
# Gradio gives every listener its own concurrency limit unless listeners share a concurrency_id: events that run
# the one model (chat, /reply, uploads) share `config.concurrency` slots so the two cores never run 6 passes at
# once; ratings only write to the database and have their own group. A full queue refuses at once ("queue is
# full") instead of letting waits grow without bound: 64 waiting turns are ~12 s at the 5 turns/s measured with 32
# clients (docs/RELIABILITY.md).
MODEL, RATINGS = "model", "ratings"
QUEUE_MAX_SIZE = 64


def new_session() -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "message_turns": {}, "turns": []}


class ChatEvents:
    """What each event of the chat tab does; `build_demo` lays out the components and wires them to these."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def chat(self, message: str | dict, history: list, show_explanations: bool, session: dict):
        """A turn from the chat's box: typed text, with at most one recording and one picture (a plain string is
        text alone)."""
        history = list(history or [])
        session = session or new_session()
        text, files = (
            (message.get("text") or "", message.get("files") or []) if isinstance(message, dict) else (message, [])
        )
        for path in files:
            history.append({"role": "user", "content": {"path": path}})
        if text or not files:
            history.append({"role": "user", "content": esc(text or "")})
        try:
            audio, image = sort_files(files)
        except InputError as error:
            history.append({"role": "assistant", "content": f"⚠️ {esc(str(error))}"})
            return history, session, "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        heard = {"role": "user", "content": "🎤 …"}  # what was heard, filled in once the reply is there
        if audio:
            history.append(heard)
        ask = partial(self.assistant.reply, text, session["id"], audio=audio, image=image)
        said = text or ("🎤 a recording" if audio else "🖼️ a picture")
        answered = len(session["turns"])
        outputs = self.answered(ask, said, history, show_explanations, session)
        if len(session["turns"]) > answered:
            latest = session["turns"][-1][1]
            if image:  # the picture, to draw what was read on it
                session.setdefault("pictures", {})[str(latest)] = image
            reply = self.stored_reply(latest, session) if audio else None
            if reply is not None and reply.rationale.input is not None:
                heard["content"] = f"🎤 {render.heard_words(reply.rationale.input)}"
        return outputs

    def heard(self, turn_id, session: dict):
        """The text heard or read for the chosen answer, to edit and send again; hidden for a typed message."""
        reply = self.stored_reply(turn_id, session)
        reading = reply.rationale.input if reply else None
        if reading is None or reading.modality == "text":
            return gr.update(visible=False), gr.update(value="")
        verb = "heard" if reading.modality == "audio" else "read in your picture"
        label = f"What I {verb}: edit the words I got wrong and send it again"
        return gr.update(visible=True), gr.update(value=reading.text, label=label)

    def resend_input(self, turn_id, text: str, history: list, show_explanations: bool, session: dict):
        """The chosen answer's recording or picture text, as the user edited it, answered again."""
        history, session = list(history or []), session or new_session()
        said = f"→ correcting answer #{turn_id}: {text}"
        history.append({"role": "user", "content": esc(said)})
        ask = partial(self.assistant.correct_input, answer_id(turn_id), text or "", session["id"])
        return self.answered(ask, said, history, show_explanations, session)

    def picture(self, turn_id, session: dict):
        """The picture the chosen answer read, with its lines and the answer's highlights boxed; hidden for an
        answer without one (or one from an earlier page load: the app keeps no pictures)."""
        path = (session or {}).get("pictures", {}).get(str(turn_id))
        reply = self.stored_reply(turn_id, session) if path else None
        if reply is None:
            return gr.update(visible=False, value=None)
        return gr.update(visible=True, value=(path, render.picture_marks(reply)))

    def choose_option(self, data: gr.SelectData, history: list, show_explanations: bool, session: dict):
        """A click on one of a clarifying question's options (shown under the last message only, so the question
        is the session's latest turn): the original message answered that way."""
        history, session = list(history or []), session or new_session()
        turn_id = session["turns"][-1][1] if session["turns"] else None
        said = f"→ {data.value}"
        history.append({"role": "user", "content": esc(said)})
        ask = partial(self.assistant.choose, turn_id, data.value, session["id"])
        return self.answered(ask, said, history, show_explanations, session)

    def answer_again(self, turn_id, skill: str, history: list, show_explanations: bool, session: dict):
        """ "Wrong skill": the chosen answer's message answered again with another skill."""
        history, session = list(history or []), session or new_session()
        said = f"→ answer #{turn_id} again with {skill}"
        history.append({"role": "user", "content": esc(said)})
        ask = partial(self.assistant.reanswer, turn_id, skill, session["id"])
        return self.answered(ask, said, history, show_explanations, session)

    def answered(self, ask, said: str, history: list, show_explanations: bool, session: dict):
        """The chat's outputs after `ask()` returns a reply (or refuses with its message)."""
        try:
            reply = ask()
        except InputError as error:
            history.append({"role": "assistant", "content": f"⚠️ {esc(str(error))}"})
            return history, session, "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        history.append({"role": "assistant", "content": render.answer_markdown(reply)})
        session["message_turns"][len(history) - 1] = reply.turn_id
        if show_explanations:
            history.append(
                {
                    "role": "assistant",
                    "content": render.rationale_markdown(reply),
                    "metadata": {"title": render.rationale_title(reply), "status": "done"},
                }
            )
            session["message_turns"][len(history) - 1] = reply.turn_id
        if reply.skill == CLARIFY:  # the options are buttons; a click answers the original message
            # Gradio shows options only under the conversation's last message: the explanation when it is shown.
            history[-1]["options"] = [{"value": o["skill"], "label": o["label"]} for o in reply.data["options"]]
        session["turns"].append((f"#{reply.turn_id} {reply.skill}: {said[:40]}", reply.turn_id))
        choices = gr.update(choices=list(reversed(session["turns"])), value=reply.turn_id)
        return (
            history,
            session,
            "",
            reply.rationale.route.scores,
            render.highlights(reply),
            reply.rationale.to_dict(),
            choices,
        )

    def on_like(self, data: gr.LikeData, session: dict) -> str:
        turn_id = (session or {}).get("message_turns", {}).get(data.index if isinstance(data.index, int) else -1)
        thumb = Thumb.UP if data.liked is True else Thumb.DOWN if data.liked is False else Thumb.RETRACTED
        if turn_id is None:
            message = "⚠️ That message is not an answer I can rate."
        else:
            message = self.rate(turn_id, thumb, "", "", session)
        # The status line sits in the collapsed "Rate an answer" panel: a toast shows the outcome beside the click.
        (gr.Warning if message.startswith("⚠️") else gr.Info)(message, duration=4)
        return message

    def rate(self, turn_id, thumb, reason: str, correction: str, session: dict | None = None) -> str:
        if turn_id in (None, ""):
            return "⚠️ Choose an answer to rate first."
        try:
            thumb = Thumb.parse(THUMBS.get(thumb, thumb))
        except InputError as error:
            return f"⚠️ {esc(str(error))}"
        reason, correction = (reason or "").strip(), (correction or "").strip()
        if thumb == Thumb.RETRACTED:
            reason, correction = "", ""
        elif thumb is None and not reason and not correction:
            return "⚠️ Choose 👍 or 👎, or write a correction."
        try:
            rating = self.assistant.rate(
                turn_id,
                thumb=thumb,
                reason=reason,
                correction=correction or None,
                session_id=(session or {}).get("id"),
            )
        except (InputError, ValueError) as error:
            return f"⚠️ {esc(str(error))}"
        saved = {"up": "👍 saved", "down": "👎 saved", "retracted": "thumb taken back"}[rating.thumb]
        extra = " with your correction" if rating.correction else ""
        return f"Answer #{rating.turn_id}: {saved}{extra}. Thank you — this is how I learn."

    def draft(self, turn_id) -> str:
        """The correction box's text for the chosen answer: its own answer, to edit rather than retype."""
        if turn_id in (None, ""):
            return ""
        try:
            return self.assistant.ratings.draft(turn_id)
        except InputError:
            return ""

    def select(self, turn_id, session: dict):
        """The answer chosen in the Rate panel: its correction draft, and the side panel shows its explanation."""
        reply = self.stored_reply(turn_id, session)
        if reply is None:
            return self.draft(turn_id), gr.skip(), gr.skip(), gr.skip()
        rationale = reply.rationale
        return self.draft(turn_id), rationale.route.scores, render.highlights(reply), rationale.to_dict()

    def stored_reply(self, turn_id, session: dict) -> Reply | None:
        """One of this session's answers as stored, or None (not one of its answers, or its text purged)."""
        if turn_id in (None, ""):
            return None
        try:
            turn = self.assistant.store.turn(answer_id(turn_id))
        except InputError:
            return None
        output = TurnOutput.from_json(turn.output)
        if turn.session_id != (session or {}).get("id") or output.rationale is None:
            return None
        return Reply(
            turn.id,
            turn.session_id,
            turn.skill,
            turn.reply_text,
            turn.confidence,
            output.data,
            output.rationale,
            turn.adapter_version,
        )

    def thumbs(self, history: list, session: dict) -> dict:
        """The chat's 👍/👎 marks as stored, so a rating saved in the Rate panel shows in the chat as well."""
        turns = (session or {}).get("message_turns", {})
        marks = {"up": "Like", "down": "Dislike"}
        values = []
        for index, message in enumerate(history or []):
            if message["role"] == "assistant":
                rating = self.assistant.store.current_rating(turns[index]) if index in turns else None
                values.append(marks[rating.thumb] if rating else None)
        return gr.update(feedback_value=values)

    def upload(self, files: list | None) -> tuple[str, list[list[Any]]]:
        if not files:
            return "⚠️ Choose one or more .txt or .md files.", self.document_rows()
        messages = []
        for file in files:
            path = Path(file if isinstance(file, str) else file.name)
            try:
                chunks = self.assistant.knowledge.add_document(path.name, path.read_bytes())
                messages.append(f"{esc(path.name)}: {chunks} chunks added")
            except InputError as error:
                messages.append(f"⚠️ {esc(str(error))}")
        return "\n\n".join(messages), self.document_rows()

    def document_rows(self) -> list[list[Any]]:
        return [[d["name"], d["chunks"]] for d in self.assistant.knowledge.documents()]

    def api_reply(self, message: str, session_id: str) -> dict:
        try:
            return self.assistant.reply(message, session_id).to_dict()
        except InputError as error:
            return {"error": str(error)}

    def api_reply_media(self, message: str | None, session_id: str, audio: str | None, image: str | None) -> dict:
        """/reply_media: a message with a recording and/or a picture (uploaded files, by their paths here)."""
        try:
            return self.assistant.reply(message or "", session_id, audio=audio or None, image=image or None).to_dict()
        except InputError as error:
            return {"error": str(error)}

    def api_correct_input(self, turn_id: int, text: str, session_id: str) -> dict:
        try:
            return self.assistant.correct_input(turn_id, text, session_id).to_dict()
        except InputError as error:
            return {"error": str(error)}

    def api_choose(self, turn_id: int, option: str, session_id: str) -> dict:
        try:
            return self.assistant.choose(turn_id, option, session_id).to_dict()
        except InputError as error:
            return {"error": str(error)}

    def api_reanswer(self, turn_id: int, skill: str, session_id: str) -> dict:
        try:
            return self.assistant.reanswer(turn_id, skill, session_id).to_dict()
        except InputError as error:
            return {"error": str(error)}

    def api_rate(self, turn_id: int, thumb: str | None, reason: str | None, correction: str | None) -> dict:
        try:
            return self.assistant.rate(turn_id, thumb=thumb, reason=reason, correction=correction).to_dict()
        except (InputError, ValueError) as error:
            return {"error": str(error)}


def build_demo(assistant: Assistant) -> gr.Blocks:
    events = ChatEvents(assistant)
    with gr.Blocks(title="Explainable Chat") as demo:
        session = gr.State(new_session)
        gr.Markdown(
            "# Explainable Chat\nNames, sentiment and answers from your text — each answer says **why**. "
            "Rate answers with 👍/👎 or correct them: that is how the bot learns."
        )
        with gr.Tab("Chat"), gr.Row():
            parts = chat_tab(events)
        with gr.Tab("Admin"):
            build_admin_tab(assistant)
        wire(events, parts, session)
    demo.queue(default_concurrency_limit=assistant.config.concurrency, max_size=QUEUE_MAX_SIZE)
    return demo


def chat_tab(events: ChatEvents) -> dict[str, Any]:
    """The chat column and the side panels (why, rate, knowledge base); returns the components by name."""
    with gr.Column(scale=3):
        chatbot = gr.Chatbot(label="Chat", height=520, buttons=["copy"])
        with gr.Row():
            # Any file is taken: its bytes, not its name or type, say whether it is a recording or a picture, and
            # anything else is refused in the chat with the reason. Long pasted text stays text (Gradio's default
            # turns over 1,000 characters into a file).
            box = gr.MultimodalTextbox(
                placeholder="Type a message, paste a text, or /help; add a picture or a recording (📎, 🎤)",
                show_label=False,
                scale=5,
                sources=["upload", "microphone"],
                file_count="multiple",
                max_plain_text_length=events.assistant.config.max_message_chars,
            )
            send = gr.Button("Send", variant="primary", scale=1)
        show = gr.Checkbox(value=True, label="Show explanations")
        gr.Examples(EXAMPLES, inputs=box)
    with gr.Column(scale=2):
        with gr.Accordion("Why this answer", open=True) as why:
            scores = gr.Label(label="Skill scores (what decided the skill)", num_top_classes=4)
            marked = gr.HighlightedText(
                label="Entities · word attributions · evidence", combine_adjacent=False, show_legend=True
            )
            picture = gr.AnnotatedImage(label="What I read in your picture", visible=False, show_legend=True)
            with gr.Group(visible=False) as heard_group:
                heard_text = gr.Textbox(label="What I heard or read", lines=2)
                heard_button = gr.Button("Answer again with this text")
            with gr.Accordion("Details: the full rationale (JSON)", open=False):
                rationale = gr.JSON(label="Full rationale")
        with gr.Accordion("Rate an answer", open=False):
            turn = gr.Dropdown(label="Answer", choices=[], allow_custom_value=True)
            thumb = gr.Radio(list(THUMBS), label="Your rating (a correction alone counts as 👎)", value=None)
            reason = gr.Textbox(label="Reason (optional)", max_lines=3)
            correction = gr.Textbox(
                label="Correction (optional; starts from the chosen answer: edit it)",
                placeholder=" · ".join(d.spec.correction_help for d in registered() if d.spec.correction_help),
            )
            rate_button = gr.Button("Save rating")
            status = gr.Markdown()
            with gr.Row():
                other_skill = gr.Dropdown(label="It was for another skill", choices=list(skill_names()), value=None)
                reanswer_button = gr.Button("Answer again with it")
        with gr.Accordion("API: a message with a recording or a picture", open=False, visible=False):
            # The components of the /reply_media endpoint (gradio_client sends files through components).
            media_inputs = [
                gr.Textbox(label="message"),
                gr.Textbox(label="session_id"),
                gr.File(label="audio", type="filepath"),
                gr.File(label="image", type="filepath"),
            ]
            media_reply = gr.JSON(label="reply")
            media_button = gr.Button("reply_media")
        with gr.Accordion("Knowledge base", open=False):
            files = gr.File(label="Add .txt or .md documents", file_count="multiple", type="filepath")
            kb_status = gr.Markdown()
            documents = gr.Dataframe(headers=["document", "chunks"], value=events.document_rows, interactive=False)
    return {
        "chatbot": chatbot,
        "box": box,
        "send": send,
        "show": show,
        "why": why,
        "picture": picture,
        "heard_group": heard_group,
        "heard_text": heard_text,
        "heard_button": heard_button,
        "scores": scores,
        "marked": marked,
        "rationale": rationale,
        "turn": turn,
        "thumb": thumb,
        "reason": reason,
        "correction": correction,
        "rate_button": rate_button,
        "status": status,
        "other_skill": other_skill,
        "reanswer_button": reanswer_button,
        "files": files,
        "kb_status": kb_status,
        "documents": documents,
        "media_inputs": media_inputs,
        "media_reply": media_reply,
        "media_button": media_button,
    }


def wire(events: ChatEvents, parts: dict[str, Any], session: gr.State) -> None:
    """Connect the components to the events; each event with a name is also an API endpoint."""
    chatbot, box, show = parts["chatbot"], parts["box"], parts["show"]
    outputs = [chatbot, session, box, parts["scores"], parts["marked"], parts["rationale"], parts["turn"]]
    box.submit(events.chat, [box, chatbot, show, session], outputs, api_name="chat", concurrency_id=MODEL)
    parts["send"].click(
        events.chat, [box, chatbot, show, session], outputs, api_visibility="private", concurrency_id=MODEL
    )
    show.change(lambda visible: gr.update(visible=visible), show, parts["why"], api_visibility="private")
    # A thumb changed while the previous rating is still on its way must count (Gradio's default drops the
    # click); "always_last" sends the latest one after the pending one returns, so they cannot swap places.
    chatbot.like(
        events.on_like,
        [session],
        parts["status"],
        api_visibility="private",
        concurrency_id=RATINGS,
        trigger_mode="always_last",
    )
    chatbot.option_select(
        events.choose_option, [chatbot, show, session], outputs, api_visibility="private", concurrency_id=MODEL
    )
    again = [parts["turn"], parts["other_skill"], chatbot, show, session]
    parts["reanswer_button"].click(events.answer_again, again, outputs, api_visibility="private", concurrency_id=MODEL)
    rating = [parts["turn"], parts["thumb"], parts["reason"], parts["correction"], session]
    parts["rate_button"].click(events.rate, rating, parts["status"], api_name="rate", concurrency_id=RATINGS).then(
        events.thumbs, [chatbot, session], chatbot, api_visibility="private", concurrency_id=RATINGS
    )
    chosen = [parts["correction"], parts["scores"], parts["marked"], parts["rationale"]]
    parts["turn"].change(events.select, [parts["turn"], session], chosen, api_visibility="private")
    parts["turn"].change(events.picture, [parts["turn"], session], parts["picture"], api_visibility="private")
    heard = [parts["heard_group"], parts["heard_text"]]
    parts["turn"].change(events.heard, [parts["turn"], session], heard, api_visibility="private")
    resend = [parts["turn"], parts["heard_text"], chatbot, show, session]
    parts["heard_button"].click(events.resend_input, resend, outputs, api_visibility="private", concurrency_id=MODEL)
    uploaded = [parts["kb_status"], parts["documents"]]
    parts["files"].upload(events.upload, parts["files"], uploaded, api_name="kb_upload", concurrency_id=MODEL)
    gr.api(events.api_reply, api_name="reply", concurrency_id=MODEL)
    parts["media_button"].click(
        events.api_reply_media,
        parts["media_inputs"],
        parts["media_reply"],
        api_name="reply_media",
        concurrency_id=MODEL,
    )
    gr.api(events.api_rate, api_name="rate_turn", concurrency_id=RATINGS)
    gr.api(events.api_choose, api_name="choose", concurrency_id=MODEL)
    gr.api(events.api_correct_input, api_name="correct_input", concurrency_id=MODEL)
    gr.api(events.api_reanswer, api_name="reanswer", concurrency_id=MODEL)
