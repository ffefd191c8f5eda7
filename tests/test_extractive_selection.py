"""Offline answers about the reader's selection: a question that asks only about it
("Explain this passage.") is answered with the selection's context in the passage that
holds it, the sentence before and the sentence after; any other question, or a selection
no passage holds, is answered by the ranking."""

from __future__ import annotations

import pytest

from engine.providers.extractive import asks_about_selection, extract_answer

DOMAINS = (
    "DDS gives ROS 2 automatic discovery with no central master. "
    "ROS_DOMAIN_ID separates machines: only participants with the same domain ID discover "
    "each other. Give each robot its own ID - on Linux a value between 0 and 101 is the "
    "safe range. If two laptops cannot see each other, check the domain ID first."
)
SAFETY = "A general-purpose computer running Linux is not a safe controller for a robot."
SELECTED = "on Linux a value between 0 and 101 is the safe range."


def flat(texts: list[str]) -> list[list[float]]:
    return [[1.0, 0.0] for _ in texts]  # every sentence as close: the words decide


@pytest.mark.parametrize(
    "question", ["Explain this passage.", "What does this mean?", "Explain it more simply."]
)
def test_a_question_with_no_word_of_its_own_asks_about_the_selection(question: str) -> None:
    assert asks_about_selection(question)


@pytest.mark.parametrize("question", ["Why is 101 the limit?", "How do I set it on Windows?"])
def test_a_question_with_words_of_its_own_does_not(question: str) -> None:
    assert not asks_about_selection(question)


def test_the_selection_is_answered_with_the_sentences_around_it() -> None:
    answer = extract_answer(
        f"Explain this passage.\n{SELECTED}", [SAFETY, DOMAINS], flat, explain=SELECTED
    )

    assert answer.text == (
        "ROS_DOMAIN_ID separates machines: only participants with the same domain ID "
        "discover each other. Give each robot its own ID - on Linux a value between 0 and "
        "101 is the safe range. If two laptops cannot see each other, check the domain ID "
        "first. [2]"
    )


def test_a_selection_no_passage_holds_is_answered_by_the_ranking() -> None:
    selected = "Bake the loaf at 220 degrees for forty minutes."

    answer = extract_answer(
        f"Explain this passage.\n{selected}", [SAFETY, DOMAINS], flat, explain=selected
    )
    ranked = extract_answer(f"Explain this passage.\n{selected}", [SAFETY, DOMAINS], flat)

    assert answer.text == ranked.text
