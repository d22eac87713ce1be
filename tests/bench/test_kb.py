"""bench/kb.py scores a reply the way its docstring says (pure, on hand-made replies)."""

from __future__ import annotations

from bench.kb import score_reply

GOLD = {"id": "q1", "document": "flat.md", "answers": ["3:00 pm"], "kind": "date", "yesno": None, "style": "clean"}
YES_NO = {**GOLD, "answers": ["Pets are not allowed"], "kind": "yesno", "yesno": "no"}


def reply(data: dict, passages: list[tuple[str, str]], skill: str = "qa") -> dict:
    rows = [{"source": f"kb:{source}", "text": text} for source, text in passages]
    return {"skill": skill, "data": data, "rationale": {"skill": {"passages": rows}}}


def test_recall_needs_the_answer_in_a_passage_of_the_right_document_and_counts_ranks():
    passages = [("other.md", "Open at 3:00 pm."), ("flat.md", "Check-in is from **3:00\npm**.")]
    row = score_reply(GOLD, reply({"answer": "3:00 pm"}, passages), 0.1)
    assert (row["recall@1"], row["recall@3"], row["em"], row["f1"]) == (False, True, 1.0, 1.0)


def test_a_yes_no_counts_only_with_the_right_verdict_and_evidence():
    right = {
        "answer": "No – Pets are not allowed.",
        "yes_no": "no",
        "evidence_sentence": {"text": "Pets are not allowed."},
    }
    assert score_reply(YES_NO, reply(right, []), 0.1)["f1"] == 1.0
    wrong_evidence = {**right, "evidence_sentence": {"text": "Parking is free."}}
    assert score_reply(YES_NO, reply(wrong_evidence, []), 0.1)["f1"] == 0.0
    assert score_reply(YES_NO, reply({**right, "yes_no": "yes"}, []), 0.1)["yes_no_right"] is False


def test_a_refused_or_rerouted_question_scores_nothing():
    row = score_reply(GOLD, None, 0.1)
    assert (row["skill"], row["f1"], row["recall@3"]) == ("refused", 0.0, False)
    helped = score_reply(GOLD, reply({"kind": "cannot_answer"}, [], skill="help"), 0.1)
    assert (helped["f1"], helped["recall@3"]) == (0.0, False)
