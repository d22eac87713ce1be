"""The understanding benchmark: how a reply is read back, how a turn is scored, and one tiny run through the app."""

from __future__ import annotations

import json

import pytest

from bench.understanding import Observed, keyword_skill, main, observe, score_turn, summarise

PASSAGE = "The Millau Viaduct opened in December 2004. It was designed by Michel Virlogeux."


def reply(skill: str, data: dict, evidence: dict | None = None, overridden_by: str | None = None) -> dict:
    skill_rationale = {"evidence": evidence} if evidence else {}
    return {
        "skill": skill,
        "data": data,
        "rationale": {"route": {"overridden_by": overridden_by}, "skill": skill_rationale},
    }


def seen(skill: str, kind: str, **fields) -> Observed:
    base = {"text": None, "passage": None, "question": None, "document": None, "answer": None, "seconds": 0.01}
    return Observed(skill, kind, **{**base, **fields})


def test_a_reply_is_read_back_as_what_the_app_read():
    qa = observe(reply("qa", {"answer": "2004", "question": "when?"}, {"text": PASSAGE, "source": "message"}), 0.1)
    assert (qa.kind, qa.passage, qa.question, qa.answer) == ("passage_question", PASSAGE, "when?", "2004")
    kb = observe(reply("qa", {"answer": "9 pm"}, {"text": "x", "source": "kb:gym.md"}), 0.1)
    assert (kb.kind, kb.document) == ("kb_question", "gym.md")
    kept = observe(reply("help", {"kind": "passage_saved"}), 0.1)
    assert kept.kind == "passage_keep"
    ner = observe(reply("ner", {"text": "Priya joined Infosys", "entities": []}), 0.1)
    assert (ner.skill, ner.text) == ("ner", "Priya joined Infosys")


def test_a_turn_is_right_only_with_the_right_skill_and_what_it_read():
    gold = {"skill": "sentiment", "kind": "new_text", "text": "the soup was cold"}
    right = score_turn(gold, seen("sentiment", "analysis", text="“the soup was cold”"), [])
    assert right["skill_right"] and right["turn_right"] and right["spans"] == {"text": True}
    wrong_span = score_turn(gold, seen("sentiment", "analysis", text="is this negative: the soup was cold"), [])
    assert wrong_span["skill_right"] and not wrong_span["turn_right"]
    assert right["misread"] == {} and wrong_span["misread"] == {"text": "is this negative: the soup was cold"}
    assert not score_turn(gold, seen("ner", "analysis", text="the soup was cold"), [])["turn_right"]


def test_follow_ups_and_pending_passages_are_scored_against_earlier_turns():
    earlier = [{"skill": "help", "kind": "passage_keep", "passage": PASSAGE, "text": None}]
    question = {
        "skill": "qa",
        "kind": "pending_passage_question",
        "passage_turn": 0,
        "question": "who designed it",
        "answer": "Michel Virlogeux",
    }
    answered = score_turn(
        question,
        seen("qa", "pending_passage_question", passage=PASSAGE, question="who designed it", answer="Michel Virlogeux"),
        earlier,
    )
    assert answered["turn_right"] and answered["answer_f1"] == 1.0
    from_kb = score_turn(question, seen("qa", "kb_question", passage="other text", document="gym.md"), earlier)
    assert from_kb["skill_right"] and not from_kb["turn_right"]
    names = {"skill": "ner", "kind": "followup_text", "text": None}
    assert score_turn(names, seen("ner", "analysis", text=PASSAGE), earlier)["turn_right"]


def test_the_summary_counts_the_confusion_and_the_spans():
    rows = [
        score_turn({"skill": "ner", "kind": "new_text", "text": "a"}, seen("ner", "analysis", text="a"), []),
        score_turn({"skill": "ner", "kind": "new_text", "text": "b"}, seen("help", "help"), []),
        score_turn({"skill": "help", "kind": "help"}, seen("help", "help"), []),
    ]
    summary = summarise(rows)
    assert (summary["skill_accuracy"], summary["turn_accuracy"], summary["span_exact_match"]) == (66.67, 66.67, 50.0)
    assert summary["confusion"]["ner"] == {"ner": 1, "sentiment": 0, "qa": 0, "help": 1, "asked": 0}


def test_the_keyword_baseline_picks_by_the_first_matching_rule():
    assert keyword_skill("hi there") == "help"
    assert keyword_skill("is this review negative? awful pizza") == "sentiment"
    assert keyword_skill("which companies are mentioned: Google hired Ana") == "ner"
    assert keyword_skill("meh. it was fine i guess") == "help"


@pytest.mark.slow
def test_a_tiny_set_runs_through_the_app_and_reports(tmp_path):
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "gym.md").write_text("# Gym\n\nThe gym opens at 6 am and closes at 10 pm on weekdays.\n")
    messages = [
        {
            "id": "m1",
            "message": "find the names in: Priya Nair joined Infosys in Pune",
            "skill": "ner",
            "kind": "new_text",
            "text": "Priya Nair joined Infosys in Pune",
            "passage": None,
            "question": None,
            "answer": None,
            "document": None,
            "hard": False,
        },
        {
            "id": "m2",
            "message": "when does the gym close on weekdays?",
            "skill": "qa",
            "kind": "kb_question",
            "text": None,
            "passage": None,
            "question": "when does the gym close on weekdays?",
            "answer": "10 pm",
            "document": "gym.md",
            "hard": False,
        },
    ]
    dialogue = {
        "id": "d1",
        "turns": [
            {"message": "hello", "skill": "help", "kind": "help"},
            {"message": "thanks, bye", "skill": "help", "kind": "help"},
        ],
    }
    for split in ("heldout", "dev"):
        (tmp_path / f"{split}_messages.jsonl").write_text("\n".join(json.dumps(m) for m in messages))
        (tmp_path / f"{split}_dialogues.jsonl").write_text(json.dumps(dialogue))
    result = main(
        ["--data", str(tmp_path), "--json", str(tmp_path / "out.json"), "--markdown", str(tmp_path / "out.md")]
    )
    [rules] = result["systems"].values()
    assert rules["single"]["n"] == 2 and rules["dialogue"]["n"] == 2
    assert rules["single"]["by_kind"]["new_text"] == 100.0
    assert [row["seen"] for row in next(iter(result["rows"].values()))["single"]] == ["ner", "qa"]
    assert "| keyword rules (skill only) |" in (tmp_path / "out.md").read_text()
    kb_row = next(iter(result["rows"].values()))["single"][1]
    assert kb_row["floor"] is not None  # the score the reader's floor compared, kept for bench.answer_floor
    from core.config import REPO_ROOT

    alone = main(["--data", str(tmp_path), "--request-model", str(REPO_ROOT / "adapters" / "request"), "--model-only"])
    assert list(alone["systems"]) == ["request model"]
    with pytest.raises(SystemExit):
        main(["--data", str(tmp_path), "--model-only"])  # it needs a request model
