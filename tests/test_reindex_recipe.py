"""docs/examples/reindex.yml, the GitHub Actions recipe docs/ingestion.md links to, is a
workflow GitHub can read: it builds the site and ingests the build with --prune, its
secrets are the three the service needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

RECIPE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "reindex.yml"


def load() -> dict[Any, Any]:
    data = yaml.safe_load(RECIPE.read_text())
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    jobs = load()["jobs"]
    assert len(jobs) == 1
    job = next(iter(jobs.values()))
    assert job["runs-on"]
    return list(job["steps"])


def test_the_recipe_is_a_workflow_run_on_each_push_to_the_deployed_branch() -> None:
    data = load()
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    trigger = data.get("on", data.get(True))
    assert isinstance(trigger, dict)
    assert "push" in trigger
    assert data["name"]


def test_it_builds_the_site_then_ingests_the_build_with_prune() -> None:
    commands = [step.get("run", "") for step in steps()]
    build = next(i for i, c in enumerate(commands) if "npm run build" in c)
    ingest = next(
        i
        for i, c in enumerate(commands)
        if "bookchat ingest build --prune" in c and "--dry-run" not in c
    )
    assert build < ingest


def test_its_secrets_are_the_gemini_key_and_the_qdrant_cloud_url_and_key() -> None:
    env = next(iter(load()["jobs"].values()))["env"]
    for name in ("GEMINI_API_KEY", "QDRANT_URL", "QDRANT_API_KEY"):
        assert env[name] == f"${{{{ secrets.{name} }}}}"
