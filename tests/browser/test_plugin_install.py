"""The plugin installs as the README says, on a fresh site made from Docusaurus' official
classic template (`create-docusaurus`, the version site/ uses): from a path
(`npm install --save file:…/widget`) and from a packed tarball (`npm pack`), with no build
step of the widget's own; `npm run build` of the site then succeeds and its pages show the
widget in Chromium.

The template and its dependencies come from the npm registry once per run (npm's cache
makes later runs quick); both installs share that site."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import CHROMIUM, ROOT, WIDGET, serve_static

if not CHROMIUM.exists() or not shutil.which("npm") or not shutil.which("npx"):
    pytest.skip("needs npm, npx and Chromium", allow_module_level=True)

from playwright.sync_api import expect

# Where the fresh site gets the plugin from: the README's `plugins` entry.
PLUGIN_ENTRY = (
    "  plugins: [['docusaurus-plugin-bookchat', {backend: 'https://chat.example.org'}]],\n"
)
NPM_QUIET = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]


def docusaurus_version() -> str:
    """The Docusaurus release site/ is built with: the fresh site uses the same."""
    deps = json.loads((ROOT / "site" / "package.json").read_text())["dependencies"]
    return str(deps["@docusaurus/core"]).lstrip("^~")


def run(args: list[str], cwd: Path, timeout: float = 400) -> str:
    env = {**os.environ, "npm_config_update_notifier": "false", "CI": "1"}
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def fresh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`create-docusaurus` classic (JavaScript), its own dependencies installed, and the
    plugin entry added to its docusaurus.config.js as the README shows."""
    where = tmp_path_factory.mktemp("fresh-site")
    run(
        [
            "npx",
            "--yes",
            f"create-docusaurus@{docusaurus_version()}",
            "mysite",
            "classic",
            "--javascript",
            "--skip-install",
        ],
        where,
    )
    site = where / "mysite"
    config = site / "docusaurus.config.js"
    text = config.read_text()
    assert "  presets: [" in text
    config.write_text(text.replace("  presets: [", PLUGIN_ENTRY + "\n  presets: [", 1))
    run(["npm", "install", *NPM_QUIET], site)
    return site


def build_and_check(site: Path) -> None:
    """`npm run build` succeeds and the build carries the widget's code and styles."""
    shutil.rmtree(site / "build", ignore_errors=True)
    run(["npm", "run", "build"], site, timeout=300)
    assets = site / "build" / "assets"
    scripts = "".join(p.read_text() for p in (assets / "js").glob("*.js"))
    styles = "".join(p.read_text() for p in (assets / "css").glob("*.css"))
    assert "bookchat-launcher" in scripts
    assert "https://chat.example.org" in scripts  # the option reached the page
    assert ".bookchat-root" in styles


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def launcher_shows(page: Any, site: Path, artifacts: Path, name: str) -> None:
    with serve_static(site / "build") as origin:
        page.goto(f"{origin}/docs/intro/")
        expect(page.locator(".bookchat-launcher")).to_be_visible()
        expect(page.get_by_role("heading", name="Tutorial Intro")).to_be_visible()
        page.screenshot(path=str(artifacts / f"{name}.png"))


@pytest.mark.timeout(900)
def test_installs_from_a_path_and_builds(
    fresh_site: Path, browser_page: Any, artifacts: Path
) -> None:
    run(["npm", "install", *NPM_QUIET, "--save", f"file:{WIDGET}"], fresh_site)

    dependency = json.loads((fresh_site / "package.json").read_text())["dependencies"]
    assert dependency["docusaurus-plugin-bookchat"].startswith("file:")
    assert (fresh_site / "node_modules" / "docusaurus-plugin-bookchat").is_symlink()
    build_and_check(fresh_site)
    launcher_shows(browser_page, fresh_site, artifacts, "install-from-path")


@pytest.mark.timeout(900)
def test_installs_from_a_packed_tarball_and_builds(
    fresh_site: Path, browser_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    packed = run(["npm", "pack", "--pack-destination", str(tmp_path), "--silent"], WIDGET)
    tarball = tmp_path / packed.strip().splitlines()[-1]
    assert re.fullmatch(r"docusaurus-plugin-bookchat-[\d.]+\.tgz", tarball.name), tarball

    run(["npm", "install", *NPM_QUIET, str(tarball)], fresh_site)

    installed = fresh_site / "node_modules" / "docusaurus-plugin-bookchat"
    assert not installed.is_symlink()
    assert (installed / "lib" / "index.js").is_file()
    assert not (installed / "node_modules").exists()  # no devDependencies came along
    build_and_check(fresh_site)
    launcher_shows(browser_page, fresh_site, artifacts, "install-from-tarball")
