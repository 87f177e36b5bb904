"""Open the study site of the blank run in headless Chromium and walk every page."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
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


def need_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def test_site_in_headless_chromium(site):
    need_chromium()
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


RECTS = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const toc = document.querySelector('details.casebook-toc');
  return {toc: box(toc), main: box(document.querySelector('body > main')), open: toc.open,
          h1: box(document.querySelector('main h1')), scroll: document.documentElement.scrollWidth};
}"""


def notebook_page(out: Path) -> Path:
    pages = sorted((out / "html").glob("03_*.html")) or sorted((out / "html").glob("*.html"))
    return pages[0]


def test_layout_search_and_code_toggle_in_chromium(site):
    """No overlap of the contents box with the main column at 1000-1600 px and on a phone;
    search finds glossary terms and headings; the code toggle hides code and is remembered."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    out, index = site
    shots = out / "site-screenshots"
    shots.mkdir(exist_ok=True)
    print(f"screenshots: {shots}")
    page_path = notebook_page(out)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for width in (1000, 1300, 1600):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_path.as_uri())
            r = page.evaluate(RECTS)
            assert r["open"] and r["toc"]["width"] > 150, r
            assert r["toc"]["left"] >= r["main"]["right"], f"contents over the text at {width}: {r}"
            assert r["h1"]["right"] <= r["toc"]["left"], r
            assert r["toc"]["right"] <= width and r["scroll"] <= width, r
            page.mouse.wheel(0, 3000)  # the box stays beside the column when it sticks
            r = page.evaluate(RECTS)
            assert r["toc"]["left"] >= r["main"]["right"] and r["toc"]["top"] >= 0, r
            page.close()
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(page_path.as_uri())
        r = phone.evaluate(RECTS)
        assert not r["open"], "on a phone the contents start collapsed"
        assert r["toc"]["bottom"] <= r["main"]["top"], f"contents over the text on a phone: {r}"
        assert r["toc"]["right"] <= 390 and r["scroll"] <= 390, r
        phone.screenshot(path=str(shots / "notebook_390.png"))
        phone.click("details.casebook-toc summary")
        assert phone.evaluate("document.querySelector('details.casebook-toc').open")
        phone.close()

        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(index.resolve().as_uri())
        assert page.locator("p.casebook-mode").inner_text().startswith("Blank run")
        page.screenshot(path=str(shots / "index.png"))
        page.fill("#casebook-search", "calibration")
        hits = page.eval_on_selector_all("#casebook-search-results a", "as => as.map(a => a.href)")
        assert any(h.endswith("glossary.html#term-calibration") for h in hits), hits
        assert any("/html/03_" in h for h in hits), hits  # a heading of notebook 03
        page.click("#casebook-search-results a[href$='glossary.html#term-calibration']")
        page.wait_for_load_state("load")
        assert page.url.endswith("glossary.html#term-calibration")
        page.screenshot(path=str(shots / "glossary.png"))
        page.goto((out / "interview.html").as_uri())
        outline = page.locator("li.question details").first
        assert not outline.evaluate("d => d.open")
        page.screenshot(path=str(shots / "interview.png"))

        page.goto(page_path.as_uri())
        assert page.locator("p.casebook-mode").inner_text().startswith("Blank run")
        page.screenshot(path=str(shots / "notebook_1300.png"))
        visible_code = "Array.from(document.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper'))" \
            ".filter(e => e.offsetParent !== null).length"  # fmt: skip
        assert page.evaluate(visible_code) > 5
        page.fill("#casebook-search", "brier")  # the notebook pages search too (../ prefix)
        assert page.eval_on_selector_all(
            "#casebook-search-results a", "as => as.some(a => a.href.endsWith('#term-brier-score'))"
        )
        page.fill("#casebook-search", "")
        page.click("#casebook-code-toggle")
        assert page.evaluate(visible_code) == 0
        assert page.inner_text("#casebook-code-toggle") == "Show code"
        page.screenshot(path=str(shots / "notebook_1300_code_hidden.png"))
        page.reload()
        assert page.evaluate(visible_code) == 0, "the choice is remembered (localStorage)"
        page.click("#casebook-code-toggle")
        assert page.evaluate(visible_code) > 5
        browser.close()
    for name in ("index", "interview", "notebook_1300", "notebook_390"):
        assert (shots / f"{name}.png").stat().st_size > 10_000


def test_no_machine_path_in_any_page(site):
    """Executed pages leak no absolute path of the build machine (outside inline images)."""
    out, _ = site
    leaks = [str(out), str(out.resolve()), str(Path.home()), tempfile.gettempdir() + "/"]
    leaks += [str(Path.cwd())] if Path.cwd() != Path("/") else []
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 4
    for path in pages:
        text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]*", "", path.read_text("utf-8"))
        found = [leak for leak in leaks if leak in text]
        assert not found, f"{path.name} shows {found}"
    executed = (out / "html").glob("*.html")
    assert any("&lt;output_dir&gt;" in p.read_text("utf-8") for p in executed)


def test_blank_site_shows_exercises_not_attempted(site, blank_run):
    """The site of a blank run says so, and its exercises read "not attempted"."""
    out, index = site
    assert "Blank run (<code>solutions=false</code>)" in index.read_text("utf-8")
    for run in blank_run[1].values():
        if run.status == "ok" and run.html:
            text = Path(run.html).read_text("utf-8")
            assert "Blank run" in text and "not attempted" in text, run.notebook
