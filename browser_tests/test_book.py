"""The built book, as a reader's browser sees it (headless Chromium, no network).

Each page is loaded once; the checks below read what the browser recorded
(requests, console, sizes) and what it rendered (math, widgets, images,
animations, buttons, links).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from conftest import CONFIG, NOTEBOOK_PAGES, PAGES, SITE

PAGE_BUDGET = 2_000_000  # bytes of a page's own HTML (scripts shared by all pages are counted apart)


@dataclass
class Visit:
    name: str
    page: object
    html: str
    requests: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    bytes_by_url: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def visits(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    loaded = {}
    for name in PAGES:
        page = context.new_page()
        visit = Visit(name, page, (SITE / f"{name}.html").read_text(encoding="utf-8"))
        page.on("request", lambda r, v=visit: v.requests.append(r.url))
        page.on("requestfailed", lambda r, v=visit: v.failed.append(f"{r.url} ({r.failure})"))
        page.on("console", lambda m, v=visit: v.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, v=visit: v.errors.append(f"uncaught: {e}"))

        def record(response, v=visit):
            if response.status >= 400:
                v.failed.append(f"{response.url} (HTTP {response.status})")
            try:
                v.bytes_by_url[response.url] = len(response.body())
            except Exception:  # redirects and the like have no body
                pass

        page.on("response", record)
        page.goto(f"{site_url}/{name}.html")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        loaded[name] = visit
    yield loaded
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_no_error_no_failed_request_and_nothing_remote(visits, name):
    visit = visits[name]
    assert visit.errors == [], f"console errors: {visit.errors}"
    assert visit.failed == [], f"failed requests: {visit.failed}"
    remote = [url for url in visit.requests if urlparse(url).hostname not in ("127.0.0.1", None)]
    assert remote == [], f"requests that leave the machine: {remote}"


@pytest.mark.parametrize("name", PAGES)
def test_math_is_typeset(visits, name):
    visit = visits[name]
    text = visit.page.evaluate("document.querySelector('main').innerText")
    assert "\\(" not in text and "\\[" not in text and "$$" not in text, "raw TeX left on the page"
    if 'class="math' in visit.html:
        assert visit.page.locator("mjx-container").count() > 0, "the page has math but MathJax typeset none"


@pytest.mark.parametrize("name", PAGES)
def test_animations_play_and_their_slider_moves_frames(visits, name):
    page = visits[name].page
    animations = page.locator("div.animation")
    if animations.count() == 0:
        pytest.skip("no animation on this page")
    for index in range(animations.count()):
        animation = animations.nth(index)
        image = animation.locator("img")
        first = image.get_attribute("src")
        animation.locator("button[title='Next frame'], button[title='Next Frame']").first.click()
        second = image.get_attribute("src")
        assert second != first, "the next-frame button did not change the frame"
        slider = animation.locator("input[type=range]")
        last = int(slider.get_attribute("max"))
        slider.fill(str(last))
        assert image.get_attribute("src") not in (first, second), "the slider did not move the frame"
        animation.locator("button[title='Play'], button[title='Play forward']").first.click()
        page.wait_for_timeout(300)


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_launch_buttons_point_at_this_repository_main_and_the_notebook(visits, name):
    visit = visits[name]
    url = CONFIG["repository"]["url"]
    slug = url.removeprefix("https://github.com/")
    branch = CONFIG["repository"]["branch"]
    assert branch == "main"
    binder = f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{name}.ipynb"
    links = visit.page.locator("a[href^='https://mybinder.org/v2/']")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [binder]
    assert visit.page.locator("button[onclick='initThebeSBT()']").count() == 1, "no Live Code button"
    assert f'repo: "{slug}"' in visit.html and f'ref: "{branch}"' in visit.html
    assert 'path: "./chapters"' in visit.html, "Live Code must start its kernel beside the notebook"
    assert "colab" not in visit.html.lower(), "Colab would open the notebook without code/"


@pytest.mark.parametrize("name", PAGES)
def test_internal_links_resolve(visits, name, site_url):
    page = visits[name].page
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    internal = {urldefrag(h)[0] for h in hrefs if h.startswith(site_url)}
    assert internal, "a page with no internal links is suspicious"
    for link in sorted(internal):
        try:
            with urllib.request.urlopen(link) as response:
                assert response.status == 200, link
        except urllib.error.HTTPError as error:
            pytest.fail(f"{link} -> HTTP {error.code}")
    anchors = {urldefrag(h)[1] for h in hrefs if h.startswith(f"{site_url}/{name}.html#")}
    for anchor in anchors - {""}:
        assert page.locator(f"[id='{anchor}']").count() == 1, f"#{anchor} does not exist"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_alt_text(visits, name):
    missing = visits[name].page.eval_on_selector_all(
        "main img", "imgs => imgs.filter(i => !(i.alt || '').trim()).map(i => i.src.slice(0, 60))"
    )
    assert missing == [], f"images without alt text: {missing}"


def test_report_page_sizes(visits, site_url):
    """Print each page's weight: its HTML, and everything it loaded from the book."""
    lines = []
    for name, visit in visits.items():
        own = len(visit.html.encode("utf-8"))
        total = sum(visit.bytes_by_url.values())
        lines.append((own, total, name))
        assert own < PAGE_BUDGET, f"{name}.html is {own / 1e6:.2f} MB"
    lines.sort(reverse=True)
    report = ["page                                   html (MB)  with all it loads (MB)"]
    report += [f"{name:<38} {own / 1e6:9.2f}  {total / 1e6:10.2f}" for own, total, name in lines]
    report.append(f"heaviest page: {lines[0][2]} ({lines[0][0] / 1e6:.2f} MB of HTML)")
    text = "\n".join(report)
    (SITE.parent / "page_sizes.txt").write_text(text + "\n", encoding="utf-8")
    print("\n" + text)
