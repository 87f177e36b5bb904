"""Open the study site of the blank run in headless Chromium and walk every page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from casebook.course.site import build_site

pytestmark = pytest.mark.notebooks

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site(blank_run):
    out, runs = blank_run
    index = build_site(list(runs.values()), out)
    return out, index


def test_site_in_headless_chromium(site):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    out, index = site
    problems: list[str] = []
    visited: set[Path] = set()
    queue = [index.resolve()]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        while queue:
            path = queue.pop()
            if path in visited:
                continue
            visited.add(path)
            if not path.is_file():
                problems.append(f"missing page: {path}")
                continue
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
            )
            problems += [f"broken image on {path.name}: {src}" for src in broken]
            hrefs = page.evaluate(
                "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
            )
            for href in hrefs:
                url = urlparse(href)
                if url.scheme != "file":
                    continue  # external links are not followed
                target = Path(unquote(url.path))
                if url.fragment and target == path:
                    # browsers try the fragment as written, then percent-decoded
                    found = page.evaluate(
                        "ids => ids.some(id => document.getElementById(id) !== null)",
                        [url.fragment, unquote(url.fragment)],
                    )
                    if not found:
                        problems.append(f"broken anchor on {path.name}: #{url.fragment}")
                elif target.suffix == ".html":
                    queue.append(target)
                elif not target.exists():
                    problems.append(f"broken link on {path.name}: {href}")
        page.goto(index.resolve().as_uri())
        page.screenshot(path=str(out / "site_index.png"), full_page=True)
        browser.close()
    assert not problems, "\n".join(problems[:30])
    expected = {out / "index.html", out / "interview.html"} | set((out / "html").glob("*.html"))
    assert {p.resolve() for p in expected} <= visited
    assert (out / "site_index.png").stat().st_size > 10_000
