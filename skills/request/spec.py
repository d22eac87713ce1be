"""The request model's labels, torch-free: the kinds of turn, the spans it marks and the intents it tells apart."""

from __future__ import annotations

# new_text: a text in this message to analyse; followup_text: the previous turn's text again; passage_question: a
# question with its passage in this message; pending_passage_question: about a passage pasted earlier; kb_question:
# about the user's documents; passage_keep: a passage with no request, kept for questions; help: the fallback.
KINDS = (
    "new_text",
    "followup_text",
    "passage_question",
    "pending_passage_question",
    "kb_question",
    "passage_keep",
    "help",
)
SPAN_LABELS = ("INSTRUCTION", "TEXT", "PASSAGE", "QUESTION")
# Which kinds each way of reading a message allows (SkillSpec.reads).
KINDS_BY_READS = {
    "text": ("new_text", "followup_text"),
    "question": ("passage_question", "pending_passage_question", "kb_question"),
    "message": ("passage_keep", "help"),
}
