"""The joint floor sweep scores each floor from rows of runs made with the floor off."""

from __future__ import annotations

from bench.answer_floor import sweep, turn_right_at


def kb_row(f1, floor, skill="qa"):
    return {"f1": f1, "floor": floor, "skill": skill}


KB = {
    "rows": [kb_row(1.0, 25.0), kb_row(0.5, 12.0), kb_row(1.0, None), kb_row(0.0, None, skill="help")],
    "unanswerable_rows": [
        {"refused": False, "floor": 8.0},
        {"refused": False, "floor": 20.0},
        {"refused": True, "floor": None},
    ],
}
UNDERSTANDING = {
    "single": [
        {"seen": "qa", "floor": 15.0, "gold": "qa", "turn_right": True},
        {"seen": "qa", "floor": 5.0, "gold": "help", "turn_right": False},
    ],
    "dialogue": [{"seen": "ner", "floor": None, "gold": "ner", "turn_right": True}],
}


def test_each_floor_refuses_the_answers_scored_below_it_on_both_sets():
    rows = {row["floor"]: row for row in sweep(KB, UNDERSTANDING, floors=[0.0, 10.0, 18.0])}
    assert rows[0.0]["kb_points"] == 2.5 + 1 and rows[0.0]["answerable_refused"] == 0
    assert rows[10.0]["kb_points"] == 2.5 + 2  # the unanswerable answer scored 8 is now refused
    assert rows[18.0]["kb_points"] == 2.0 + 2 and rows[18.0]["answerable_refused"] == 1  # 0.5 lost at 12
    assert [rows[f]["single_right"] for f in (0.0, 10.0, 18.0)] == [1, 2, 1]
    assert rows[10.0]["joint"] == 4.5 + 2 + 1


def test_a_refused_knowledge_turn_is_right_only_where_help_was_meant():
    asked = {"seen": "qa", "floor": 3.0, "gold": "qa", "turn_right": True}
    assert turn_right_at(asked, 0.0) and not turn_right_at(asked, 5.0)
    unbound = {"seen": "qa", "floor": None, "gold": "qa", "turn_right": True}  # a follow-up: no floor applies
    assert turn_right_at(unbound, 100.0)
