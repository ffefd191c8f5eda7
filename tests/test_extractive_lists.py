"""Offline answers over several places: a question asking for a list or a set of causes
draws every item of a list and sentences of more than one passage."""

from __future__ import annotations

from engine.providers.extractive import asks_for_several, extract_answer

TRIGGERS = """## Common triggers
- Overcharging beyond the maximum cell voltage triggers thermal runaway.
- Internal short circuits from manufacturing defects.
- Mechanical abuse such as crushing the pack.
"""
OTHER = "Thermal runaway spreads from cell to cell once one cell fails and heats up."


def flat(texts: list[str]) -> list[list[float]]:
    return [[1.0, 0.0] for _ in texts]  # every sentence as close: the words decide


def test_a_cause_set_question_asks_for_several() -> None:
    assert asks_for_several("What are the common triggers of thermal runaway?")
    assert not asks_for_several("What does an IMU measure?")


def test_one_item_chosen_brings_its_sibling_items() -> None:
    answer = extract_answer("What are the triggers of thermal runaway?", [TRIGGERS], flat)

    assert "Overcharging" in answer.text
    assert "Internal short" in answer.text
    assert "Mechanical abuse" in answer.text


def test_a_list_question_draws_from_more_than_one_passage() -> None:
    answer = extract_answer("What are the triggers of thermal runaway?", [TRIGGERS, OTHER], flat)

    assert {item.sentence.passage for item in answer.chosen} == {1, 2}
