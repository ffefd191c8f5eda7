"""The chat request's bounds as the chat widget's TypeScript module,
widget/src/core/limits.ts: written from config/bounds.py by `python -m config.widget_limits`
(or `make widget-limits`), committed, and compared with config/bounds.py by
tests/test_widget_limits.py. The widget clips what it sends to these, so a question it
accepts is never a 422."""

from __future__ import annotations

import ast
import inspect
from itertools import pairwise
from pathlib import Path

from config import bounds

WIDGET_LIMITS = ("MAX_MESSAGE", "MAX_HISTORY", "MAX_TURN", "MAX_SELECTED")
"""The names from config/bounds.py that the widget enforces."""

TARGET = Path(__file__).resolve().parent.parent / "widget" / "src" / "core" / "limits.ts"


def _docstrings() -> dict[str, str]:
    """Each constant's docstring (the string under its assignment) in config/bounds.py."""
    body = ast.parse(inspect.getsource(bounds)).body
    docs: dict[str, str] = {}
    for assign, doc in pairwise(body):
        if (
            isinstance(assign, ast.Assign)
            and isinstance(doc, ast.Expr)
            and isinstance(doc.value, ast.Constant)
            and isinstance(doc.value.value, str)
        ):
            for target in assign.targets:
                if isinstance(target, ast.Name):
                    docs[target.id] = " ".join(doc.value.value.split())
    return docs


def render() -> str:
    """The text of widget/src/core/limits.ts for the current config/bounds.py."""
    docs = _docstrings()
    lines = [
        "// Generated from config/bounds.py by `python -m config.widget_limits`: do not edit.",
        "// tests/test_widget_limits.py fails when this file and config/bounds.py disagree.",
    ]
    for name in WIDGET_LIMITS:
        value = getattr(bounds, name)
        if type(value) is not int:
            raise TypeError(f"config.bounds.{name} is not an int: {value!r}")
        lines += ["", f"/** {docs[name]} */", f"export const {name} = {value};"]
    return "\n".join(lines) + "\n"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
