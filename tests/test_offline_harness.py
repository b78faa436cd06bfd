"""Browser smoke tests: Solara pages render with the network blocked (no CDN).

Needs the CDN assets fetched at install time (scripts/fetch_solara_assets.py),
Playwright (pip) and a Chromium executable (/usr/bin/chromium or $CHROMIUM).
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_harness import (  # noqa: E402
    chromium_launch_args,
    record_network,
    assert_no_external_requests,
    require_chromium,
    serve_solara,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CDN_DIR = Path(sys.prefix) / "share" / "solara" / "cdn"

pytestmark = pytest.mark.browser

SMOKE_APP = textwrap.dedent(
    """
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    import solara

    clicks = solara.reactive(0)

    @solara.component
    def Page():
        solara.Button("Click me", on_click=lambda: clicks.set(clicks.value + 1))
        solara.Text(f"Clicked {clicks.value} times")
        fig = Figure(figsize=(4, 3))
        ax = fig.subplots()
        ax.plot([0, 1, 2, 3], [0, 1, 4, 9 + clicks.value], marker="o")
        ax.set_title("offline smoke")
        solara.FigureMatplotlib(fig)
    """
)

MESA_APP = textwrap.dedent(
    """
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    import mesa
    import solara
    from mesa.visualization import SolaraViz

    class Walker(mesa.Agent):
        def __init__(self, model):
            super().__init__(model)
            self.wealth = 1

        def step(self):
            self.wealth += 1

    class TwoAgents(mesa.Model):
        def __init__(self, rng=42):
            super().__init__(rng=rng)
            Walker.create_agents(self, 2)

        def step(self):
            self.agents.do("step")

    def wealth_plot(model):
        fig = Figure(figsize=(4, 3))
        ax = fig.subplots()
        ax.bar([str(a.unique_id) for a in model.agents], [a.wealth for a in model.agents])
        ax.set_title("wealth")
        return solara.FigureMatplotlib(fig)

    model = TwoAgents()
    page = SolaraViz(model, components=[wealth_plot], model_params={"rng": 42}, name="Two agents")
    """
)


def _assets_or_fail():
    if not (CDN_DIR / "requirejs@2.3.6").is_dir():
        pytest.fail(
            f"Solara CDN assets missing in {CDN_DIR}: run "
            f"`{sys.executable} scripts/fetch_solara_assets.py` (make does this)"
        )


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(**chromium_launch_args())
        yield b
        b.close()


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(30_000)
    rec = record_network(page, block_external=True)  # a CDN dependency => blank page
    page.goto(url, wait_until="load")
    return context, page, rec


def _check_clean(page, rec, server_url):
    assert_no_external_requests(page)
    rec.assert_offline_clean()
    log = server_url.log()
    assert "Could not load URL" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]


def test_offline_smoke(browser, tmp_path):
    _assets_or_fail()
    app = tmp_path / "smoke_app.py"
    app.write_text(SMOKE_APP)
    with serve_solara(app) as url:
        context, page, rec = _open(browser, url)
        try:
            page.get_by_text("Clicked 0 times").wait_for()
            page.locator("img").first.wait_for()  # FigureMatplotlib renders a PNG <img>
            page.get_by_role("button", name="Click me").click()
            page.get_by_text("Clicked 1 times").wait_for()
            page.wait_for_load_state("networkidle")
            img = page.locator("img").first
            assert img.evaluate("i => i.complete && i.naturalWidth") > 100
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "offline_smoke.png"), full_page=True)
            _check_clean(page, rec, url)
        finally:
            context.close()


def test_offline_mesa_solaraviz(browser, tmp_path):
    _assets_or_fail()
    app = tmp_path / "mesa_app.py"
    app.write_text(MESA_APP)
    with serve_solara(app, timeout=90) as url:
        context, page, rec = _open(browser, url)
        try:
            page.get_by_text("Time: 0").first.wait_for()
            # the components sit in @widgetti/vue-grid-layout's grid: needs that CDN asset
            page.locator(".vue-grid-layout .vue-grid-item img").first.wait_for()
            before = page.locator(".vue-grid-item img").first.get_attribute("src")
            page.get_by_role("button", name="Step").click()
            page.get_by_text("Time: 1").first.wait_for()
            page.wait_for_function(
                "src => { const i = document.querySelector('.vue-grid-item img'); return i && i.src !== src; }",
                arg=before,
            )
            page.wait_for_load_state("networkidle")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "offline_mesa.png"), full_page=True)
            _check_clean(page, rec, url)
        finally:
            context.close()
