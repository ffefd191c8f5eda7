"""Metadata filters: how `filters` becomes a Qdrant filter, and what the API refuses."""

from __future__ import annotations

import re

import httpx
import pytest
from qdrant_client.http import models as rest

from engine.errors import InvalidQuery
from engine.retrieval import qdrant_filter
from service.schemas import FILTER_INT_BOUND
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events


def test_filters_become_exact_and_any_matches() -> None:
    filters = qdrant_filter({"source": "a.md", "chapter": ["x", "y"], "n": 3, "draft": True})

    assert filters is not None
    assert filters.must == [
        rest.FieldCondition(key="source", match=rest.MatchValue(value="a.md")),
        rest.FieldCondition(key="chapter", match=rest.MatchAny(any=["x", "y"])),
        rest.FieldCondition(key="n", match=rest.MatchValue(value=3)),
        rest.FieldCondition(key="draft", match=rest.MatchValue(value=True)),
    ]


def test_mixed_filter_list_is_an_invalid_query() -> None:
    with pytest.raises(InvalidQuery):
        qdrant_filter({"source": ["a", 1]})


@pytest.mark.parametrize("route", ["/chat", "/chat/stream"])
async def test_a_boolean_filter_value_is_an_exact_match_not_a_500(
    client: httpx.AsyncClient, route: str
) -> None:
    response = await client.post(
        route, json={"message": "What does an IMU measure?", "filters": {"deprecated": True}}
    )

    assert response.status_code == 200
    if route == "/chat":
        assert response.json()["outcome"] == "not_in_book"  # no passage has that flag
    else:
        assert parse_events(response.text)[-1][1]["outcome"] == "not_in_book"


async def test_the_same_probe_through_a_fresh_app(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    """A boolean filter no longer drops the connection: the next request on it works."""
    async with app_client(make_settings()) as client:
        first = await client.post("/chat", json={"message": "IMU", "filters": {"ok": False}})
        second = await client.post("/chat", json={"message": "IMU"})

    assert (first.status_code, second.status_code) == (200, 200)


async def test_the_filters_schema_refuses_the_keys_the_server_refuses(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()
    filters = schema["components"]["schemas"]["ChatRequest"]["properties"]["filters"]
    refused = await client.post("/chat", json={"message": "IMU", "filters": {"bad key!": "x"}})

    assert refused.status_code == 422
    assert filters["additionalProperties"] is False
    assert all(not re.match(pattern, "bad key!") for pattern in filters["patternProperties"])


@pytest.mark.parametrize(
    "filters",
    [{"a.": "x"}, {"a..b": "x"}, {"n": 1.5}, {"n": 2**70}, {"n": [1, -(2**64)]}],
    ids=["trailing-dot", "empty-segment", "float", "huge-int", "huge-int-in-list"],
)
async def test_a_filter_qdrant_cannot_read_is_422_not_500(
    client: httpx.AsyncClient, filters: dict[str, object]
) -> None:
    response = await client.post("/chat", json={"message": "IMU", "filters": filters})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


async def test_an_integral_float_is_the_integer_json_schema_says_it_is(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/chat", json={"message": "IMU", "filters": {"n": 90.0}})

    assert response.status_code == 200


async def test_the_filters_schema_bounds_integers_as_the_server_does(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()
    filters = schema["components"]["schemas"]["ChatRequest"]["properties"]["filters"]
    (value,) = filters["patternProperties"].values()
    integers = [
        option.get("items", option)
        for option in value["anyOf"]
        if option.get("items", option)["type"] == "integer"
    ]

    assert len(integers) == 2  # a value and a list of them
    for integer in integers:  # OpenAPI's models hold the bounds as floats
        bounds = (integer["minimum"], integer["maximum"])
        assert bounds == (-FILTER_INT_BOUND, FILTER_INT_BOUND)
        assert int(float(FILTER_INT_BOUND)) == FILTER_INT_BOUND < 2**63  # exact, in range
