"""One retrieval pipeline: what answers are built from is what `retrieve` returns."""

from __future__ import annotations

from engine import BookAssistant, ChatQuery
from engine.payloads import PayloadLayout
from engine.retrieval import public_metadata
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings


async def scores_of(settings_maker: MakeSettings, **engine: object) -> list[float]:
    assistant = await BookAssistant.open(settings_maker(engine=engine))
    try:
        sources = (
            await assistant.retrieve(ChatQuery("What does an IMU measure?", top_k=5))
        ).sources
    finally:
        await assistant.aclose()
    return [source.score for source in sources]


async def test_min_score_drops_passages_under_it(make_settings: MakeSettings) -> None:
    every = await scores_of(make_settings)
    cutoff = (every[0] + every[1]) / 2  # between the best passage and the next

    kept = await scores_of(make_settings, min_score=cutoff)

    assert len(every) == 5
    assert kept == every[:1]


async def test_chat_is_given_what_retrieve_returns(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    every = await scores_of(make_settings)
    settings = make_settings(engine={"min_score": (every[0] + every[1]) / 2})
    assistant = await BookAssistant.open(settings)
    try:
        retrieved = (
            await assistant.retrieve(ChatQuery("What does an IMU measure?", top_k=5))
        ).sources
    finally:
        await assistant.aclose()
    async with app_client(settings) as client:
        response = await client.post(
            "/chat", json={"message": "What does an IMU measure?", "top_k": 5}
        )

    chat_ids = [node["id"] for node in response.json()["source_nodes"]]
    assert len(retrieved) == 1 < len(every)
    assert chat_ids == [source.id for source in retrieved]


async def test_cutoff_above_every_score_answers_without_the_llm(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with app_client(make_settings(engine={"min_score": 0.99})) as strict:
        response = await strict.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    assert response.json()["source_nodes"] == []
    assert "could not find" in response.json()["answer"]
    assert fake.of_kind("generate") == []


def test_public_metadata_hides_internals_and_text() -> None:
    layout = PayloadLayout(
        "content", None, {"title": "title", "url": None, "heading": "heading", "source": "path"}
    )
    shown = public_metadata(
        {"_node_content": "{}", "doc_id": "d", "content": "the text", "path": "a/b.md"}, layout
    )

    assert shown == {"path": "a/b.md", "source": "a/b.md", "title": "", "heading": ""}


SELECTED = "angular velocity with gyroscopes; fused, they estimate the robot's orientation"
"""Words of the test book's IMU passage, as a reader selects them on its page."""


async def selection_sources(make_settings: MakeSettings, selected: str) -> list[str]:
    """The sources "Explain this passage." about `selected` is given, under a gate no
    passage's score passes."""
    assistant = await BookAssistant.open(make_settings(engine={"min_score": 0.99}))
    try:
        query = ChatQuery("Explain this passage.", selected_text=selected, top_k=3)
        sources = (await assistant.retrieve(query)).sources
    finally:
        await assistant.aclose()
    return [str(source.metadata.get("source")) for source in sources]


async def test_the_passage_holding_the_selection_comes_first_whatever_the_gate(
    make_settings: MakeSettings,
) -> None:
    assert await selection_sources(make_settings, SELECTED) == ["sensors/imu.md"]


async def test_a_selection_no_passage_holds_passes_the_gate_like_any_question(
    make_settings: MakeSettings,
) -> None:
    assert await selection_sources(make_settings, "Bake the loaf for forty minutes.") == []


async def test_chat_answers_about_a_selection_from_the_passage_holding_it(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(engine={"min_score": 0.99})) as client:
        body = (
            await client.post(
                "/chat", json={"message": "Explain this passage.", "selected_text": SELECTED}
            )
        ).json()

    assert body["outcome"] == "answered"
    assert body["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
