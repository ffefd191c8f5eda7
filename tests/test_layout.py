"""The layout is the architecture: config ← engine ← service, cli; storage (the database)
a layer of its own, used by the front ends and never by the engine; tests share
tests/support/."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "engine", "storage", "service", "cli")
FRONT_ENDS = ("service", "cli")


@pytest.mark.parametrize("name", PACKAGES)
def test_project_packages_come_from_this_checkout(name: str) -> None:
    module = importlib.import_module(name)

    assert module.__file__ is not None
    assert Path(module.__file__).resolve() == ROOT / name / "__init__.py"


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", ["config", "engine"])
def test_core_layers_import_no_front_end(layer: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & set(FRONT_ENDS))
        for path in (ROOT / layer).rglob("*.py")
        if imported_packages(path) & set(FRONT_ENDS)
    }

    assert offenders == {}


def test_config_imports_nothing_of_the_project_above_it() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "config").rglob("*.py")
        if imported_packages(path) & {"engine", "service", "cli"}
    ]

    assert offenders == []


def test_the_service_does_not_import_the_terminal_front_end() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "service").rglob("*.py")
        if "cli" in imported_packages(path)
    ]

    assert offenders == []


def test_the_engine_imports_no_database_library_and_no_storage() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in (ROOT / "engine").rglob("*.py")
        if (found := imported_packages(path) & {"sqlalchemy", "alembic", "storage"})
    }

    assert offenders == {}


def test_storage_imports_no_front_end() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in (ROOT / "storage").rglob("*.py")
        if (found := imported_packages(path) & set(FRONT_ENDS))
    }

    assert offenders == {}


def test_storage_takes_only_the_engines_vocabulary() -> None:
    """Its errors (a 503 the service already maps) and its plain types, nothing that runs."""
    used: set[str] = set()
    for path in (ROOT / "storage").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                used.add(node.module)
            elif isinstance(node, ast.Import):
                used |= {alias.name for alias in node.names}

    assert {name for name in used if name.split(".")[0] == "engine"} <= {
        "engine.errors",
        "engine.types",
    }


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, by its full dotted name (`from a import b` names both
    `a` and `a.b`, since `b` may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def is_test_module(name: str) -> bool:
    last = name.split(".")[-1]
    return name.startswith("tests.") and (last.startswith("test_") or last == "conftest")


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    """Shared helpers live in tests/support/, fixtures in conftest.py (pytest finds them)."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(filter(is_test_module, imported_modules(path)))
        for path in (ROOT / "tests").rglob("*.py")
        if any(map(is_test_module, imported_modules(path)))
    }

    assert offenders == {}
