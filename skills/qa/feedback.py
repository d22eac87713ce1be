"""QA feedback rules: a correction is the right answer text, located in the passage the answer came from; labels are
`{"answer", "start"}` with `start` the answer's offset in that passage. A 👎 without a correction is a negative record
(no guessed answer). Pure functions, no I/O."""

from __future__ import annotations

from typing import Any

from core.errors import InputError, UnusableFeedback
from skills.qa.data import QAExample


def parse_correction(correction: str, inputs: dict[str, str | None], data: dict[str, Any]) -> dict[str, Any]:
    answer = correction.strip()
    if not answer:
        raise InputError("write the right answer, as it appears in the passage")
    if answer in (data.get("answer"), data.get("span_text")):
        raise InputError(f"That is the answer I gave ({answer!r}): write the right one, as it appears in the passage.")
    passage = inputs.get("passage")
    start = passage.find(answer) if passage else -1
    return {"answer": answer, "start": start if start >= 0 else None, "in_source": start >= 0}


def correction_draft(data: dict[str, Any]) -> str:
    """The Rate panel's starting text: the answer's exact span in the passage, to widen, shorten or replace."""
    return data.get("span_text") or data.get("answer") or ""


def recalled(
    correction: dict[str, Any], data: dict[str, Any], inputs: dict[str, str | None]
) -> tuple[str, dict[str, Any]] | None:
    """The remembered answer where it occurs in the passage this answer came from; None elsewhere."""
    answer, passage = correction.get("answer"), inputs.get("passage") or ""
    start = passage.find(answer) if isinstance(answer, str) and answer else -1
    if start < 0:
        return None
    recalled_data = {k: v for k, v in data.items() if k not in ("yes_no", "evidence_sentence")}
    span = {"answer": answer, "span_text": answer, "start": start, "end": start + len(answer), "corrected": True}
    return answer, {**recalled_data, **span}


def lexicon(correction: dict[str, Any]) -> list:
    """An answer belongs to its question: no words to remember on their own."""
    return []


def output_label(data: dict[str, Any]) -> dict[str, Any]:
    """The answer as a label: the exact span of the passage (`span_text`), not the text shown, which may be cleaned of
    Markdown or be a "Yes – ..." sentence; answers stored before `span_text` existed were the span itself."""
    return {"answer": data.get("span_text", data.get("answer")), "start": data.get("start")}


def gold_label(correction: dict[str, Any], inputs: dict[str, str | None], data: dict[str, Any]) -> dict[str, Any]:
    answer, start, passage = correction.get("answer"), correction.get("start"), inputs["passage"] or ""
    if not isinstance(answer, str) or not answer:
        raise UnusableFeedback(f"the correction has no answer text: {correction!r}")
    if start is None:
        start = passage.find(answer)
        if start < 0:
            raise UnusableFeedback(f"the corrected answer {answer!r} is not in the passage")
    return checked({"answer": answer, "start": start}, inputs)


def thumb_down_label(data: dict[str, Any], inputs: dict[str, str | None]) -> None:
    """A bare 👎 does not say what the right answer is: no label (a negative record)."""
    return None


def checked(label: dict[str, Any], inputs: dict[str, str | None]) -> dict[str, Any]:
    passage, answer, start = inputs["passage"] or "", label["answer"], label["start"]
    if not isinstance(answer, str) or not answer or isinstance(start, bool) or not isinstance(start, int):
        raise UnusableFeedback(f"the answer {answer!r} has no valid start ({start!r})")
    if start < 0 or passage[start : start + len(answer)] != answer:
        raise UnusableFeedback(f"the answer {answer!r} is not at offset {start} of the passage")
    return {"answer": answer, "start": start}


def benchmark_example(
    text: str, label: dict[str, Any], question: str | None, passage: str | None, example_id: str, **_: Any
) -> QAExample:
    return QAExample(
        id=example_id,
        title="feedback",
        question=question or text,
        context=passage or "",
        answers=[label["answer"]],
        answer_starts=[label["start"]],
    )


def shown_label(label: dict[str, Any]) -> dict[str, Any]:
    return {"answer": label["answer"], "title": None}
