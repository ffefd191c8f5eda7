"""Offline answers over several places: a question asking for a list or a set of causes
draws every item of a list and sentences of more than one passage; a table row is read
with its header and answers when it holds the question's words; a passage of another page
that only shares a stray word with the question is not cited."""

from __future__ import annotations

from engine.providers.extractive import asks_for_several, extract_answer, passage_sentences

TRIGGERS = """## Common triggers
- Overcharging beyond the maximum cell voltage triggers thermal runaway.
- Internal short circuits from manufacturing defects.
- Mechanical abuse such as crushing the pack.
"""
OTHER = "Thermal runaway spreads from cell to cell once one cell fails and heats up."

DOF_TABLE = """## Counting degrees of freedom
A degree of freedom is one independent way a joint can move. A humanoid has about 30 of
them, distributed like this:

| Body part | Typical DoF | Notes |
|---|---|---|
| Each leg | 6 | hip yaw, hip roll, hip pitch, knee pitch, ankle pitch, ankle roll |
| Each arm | 7 | three at the shoulder, one at the elbow, three at the wrist |
"""
COMPARISON = """Stiffness is a trade-off:

| Softer spring | Stiffer spring |
|---|---|
| Better torque resolution | Higher torque-control bandwidth |
"""
MODES = """## Collaborative operation
ISO/TS 15066 describes how a robot may share space with a person. It defines four
collaborative operation types:

| Mode | Idea |
|---|---|
| Hand guiding | an operator moves the robot directly with an enabling device |
| Power and force limiting | contact may happen, but forces stay below body-region limits |
"""
STRAY = "## Links and joints\nEach link may contain a visual mesh and a collision shape."
PAGES = ["safety/standards.md", "ros2/urdf.md"]


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


def test_a_list_question_draws_from_two_passages_of_a_page() -> None:
    answer = extract_answer(
        "What are the triggers of thermal runaway?",
        [TRIGGERS, OTHER],
        flat,
        pages=["safety/batteries.md", "safety/batteries.md"],
    )

    assert {item.sentence.passage for item in answer.chosen} == {1, 2}


def test_a_table_row_reads_with_its_header_first_column_too() -> None:
    rows = [s.text for s in passage_sentences([COMPARISON]) if s.kind == "row"]

    assert rows == [
        "Softer spring: Better torque resolution; Stiffer spring: Higher torque-control bandwidth."
    ]


def test_a_table_row_holding_the_questions_words_is_the_answer() -> None:
    # "leg" is in the row, "joint" only in its table's lead-in: read together they match.
    answer = extract_answer("Which joints does each leg have?", [DOF_TABLE], flat)

    best = max(answer.candidates, key=lambda item: item.score)
    assert best.sentence.text.startswith("Body part: Each leg; Typical DoF: 6; Notes: hip yaw")
    assert "knee pitch" in answer.text


def test_a_passage_of_another_page_sharing_a_stray_word_is_not_cited() -> None:
    # The URDF passage shares only "may" with the question, yet scores within the list
    # window: it holds too little of the question's term weight to be drawn from.
    answer = extract_answer(
        "What are the four ways a cobot may collaborate with a person?",
        [MODES, STRAY],
        flat,
        pages=PAGES,
    )

    assert "Hand guiding" in answer.text
    assert {item.sentence.passage for item in answer.chosen} == {1}


def test_a_passage_of_another_page_holding_the_key_terms_is_drawn_from() -> None:
    other = "A cobot may collaborate with a person in four ways, says the standard."
    answer = extract_answer(
        "What are the four ways a cobot may collaborate with a person?",
        [MODES, other],
        flat,
        pages=PAGES,
    )

    assert 2 in {item.sentence.passage for item in answer.chosen}
