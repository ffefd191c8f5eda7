"""Property-based tests from the published OpenAPI schema (schemathesis): every operation
gets generated requests, valid and invalid, and every response must pass every check
(no server error, a documented status, the documented content type and schema, invalid
input refused, valid input accepted). Bounded and derandomized: the same cases each run."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import GenerationMode
from schemathesis.specs.openapi.schemas import OpenApiSchema

from service import create_app
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import settings_for

MAX_EXAMPLES = 40


@pytest.fixture(scope="module")
def schema_app(
    fake_server: FakeGemini, book_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> FastAPI:
    """The app over the fake Gemini server and a private copy of the test book.

    schemathesis's ASGI client runs its lifespan on the first request and keeps it up
    until the test process exits (it owns the event loop the app runs on)."""
    folder = tmp_path_factory.mktemp("schema")
    fake_server.reset()
    settings = settings_for(
        fake_server.base_url,
        Path(shutil.copytree(book_template, folder / "qdrant")),
        service={"feedback_db": f"sqlite:///{folder / 'feedback.db'}"},
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def api_schema(schema_app: FastAPI) -> OpenApiSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", schema_app)
    # A body valid or not by the schema may be over BOOKCHAT_MAX_BODY_BYTES, which no JSON
    # schema can say: its 413 (documented on every POST) is a right answer to either.
    checks = schema.config.checks
    for check in (checks.positive_data_acceptance, checks.negative_data_rejection):
        check.expected_statuses = [*check.expected_statuses, "413"]
    return schema


# The routes the schema publishes (a test below checks the list is the schema's).
OPERATIONS = [
    ("GET", "/health"),
    ("GET", "/ready"),
    ("POST", "/chat"),
    ("POST", "/chat/stream"),
    ("POST", "/feedback"),
]


def test_the_operations_tested_are_the_published_ones(api_schema: OpenApiSchema) -> None:
    published = {
        (method.upper(), path)
        for path, methods in api_schema.raw_schema["paths"].items()
        for method in methods
    }

    assert published == set(OPERATIONS)


CASES = [
    (method, path, mode)
    for method, path in OPERATIONS
    for mode in GenerationMode
    # A GET here has no parameter: there is no invalid request to generate.
    if method == "POST" or mode is GenerationMode.POSITIVE
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_every_operation_keeps_its_contract(
    api_schema: OpenApiSchema, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def check(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate()

    check()
