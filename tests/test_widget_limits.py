"""The chat widget enforces the API's own bounds: widget/src/core/limits.ts is generated
from config/bounds.py (`python -m config.widget_limits`) and committed."""

from __future__ import annotations

import re

from config.widget_limits import TARGET, render
from service.schemas import ChatRequest


def test_the_committed_widget_limits_are_what_config_bounds_gives() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(), (
        "widget/src/core/limits.ts is stale: run `make widget-limits` and commit it"
    )


def test_the_widget_limits_are_the_bounds_of_a_chat_request() -> None:
    widget = {
        name: int(value)
        for name, value in re.findall(r"^export const (\w+) = (\d+);$", render(), re.MULTILINE)
    }
    schema = ChatRequest.model_json_schema()
    request = schema["properties"]
    turn = schema["$defs"]["HistoryMessage"]["properties"]["content"]

    assert widget == {
        "MAX_MESSAGE": request["message"]["maxLength"],
        "MAX_HISTORY": request["history"]["maxItems"],
        "MAX_TURN": turn["maxLength"],
        "MAX_SELECTED": request["selected_text"]["anyOf"][0]["maxLength"],
    }
