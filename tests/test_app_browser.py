"""End-to-end tests of the classroom app in Debian's Chromium (Playwright), fully offline.

One server for the module; each test opens its own browser context. Every request that
would leave localhost is blocked, and the tests assert none was attempted. A screenshot
and the measured timings are saved in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_harness import (  # noqa: E402
    assert_no_external_requests,
    chromium_launch_args,
    record_network,
    require_chromium,
    serve_solara,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "cohesion_sim" / "app" / "page.py"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CDN_DIR = Path(sys.prefix) / "share" / "solara" / "cdn"
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def server():
    if not (CDN_DIR / "requirejs@2.3.6").is_dir():
        pytest.fail(f"Solara CDN assets missing in {CDN_DIR}: run `{sys.executable} scripts/fetch_solara_assets.py`")
    with serve_solara(PAGE, cwd=ROOT, timeout=90, env={"SOLARA_THEME_SHOW_BANNER": "false"}) as url:
        yield url
        log = url.log()
        assert "Traceback" not in log, log[-4000:]
        assert "Could not load URL" not in log, log[-4000:]
    if TIMINGS:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "app_timings.json").write_text(json.dumps(TIMINGS, indent=2))


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    try:
        from playwright import sync_api
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Playwright is missing: pip install -e '.[test]'")
        pytest.skip("Playwright is missing: pip install -e '.[test]'")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(**chromium_launch_args())
        yield launched
        launched.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, service_workers="block", accept_downloads=True)
    yield ctx
    ctx.close()


def open_app(context, url):
    """A new tab on the app, loaded and drawn; returns (page, recorder, seconds to the first map)."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    recorder = record_network(page, block_external=True)
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    page.locator("[data-testid=map] svg").wait_for()
    page.locator("[data-testid=time-series] svg").wait_for()
    return page, recorder, time.perf_counter() - started


def year(page) -> int:
    return int(page.get_by_test_id("year").inner_text().split()[-1])


def step(page) -> float:
    """Press Step; seconds until the year and the time series have both changed."""
    before_year = year(page)
    before_chart = page.locator("[data-testid=time-series] svg").inner_html()
    started = time.perf_counter()
    page.get_by_role("button", name="Step").click()
    page.get_by_test_id("year").filter(has_text=str(before_year + 1)).wait_for()
    page.wait_for_function(
        "html => { const s = document.querySelector('[data-testid=time-series] svg');"
        " return s && s.innerHTML !== html; }",
        arg=before_chart,
    )
    return time.perf_counter() - started


def screenshot(page, name: str) -> None:
    """The whole app from the top, in a window tall enough to show every view."""
    page.set_viewport_size({"width": 1440, "height": 2000})
    page.get_by_role("tab", name="Explore").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the Vuetify select labelled ``label``."""
    field = page.locator(".v-select").filter(has=page.locator("label", has_text=re.compile(f"^{label}$")))
    field.click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def test_load_pick_a_scenario_step_and_download(server, context):
    page, recorder, load_seconds = open_app(context, server)
    TIMINGS["page_load_s"] = round(load_seconds, 2)
    assert page.title() == "NATO cohesion under a shifting US stance"
    assert year(page) == 2024
    assert page.locator("[data-testid=map] g[data-iso3]").count() == 32  # 31 allies and the US
    assert "Hague pledge" in page.get_by_test_id("scenario-description").inner_text()
    for key in ("scenario", "us_level", "us_year", "volatility", "guideline", "decision_rule", "coordination",
                "partnerships", "seed", "buttons"):  # fmt: skip
        assert page.get_by_test_id(f"help-{key}").inner_text().strip()

    pick(page, "Scenario", "Abrupt withdrawal")
    page.get_by_test_id("scenario-description").filter(has_text="abruptly withdraws").wait_for()
    assert year(page) == 2024

    step_times = sorted(step(page) for _ in range(3))
    TIMINGS["step_render_median_s"], TIMINGS["step_render_max_s"] = round(step_times[1], 3), round(step_times[-1], 3)
    assert year(page) == 2027
    # render time is recorded in tests/artifacts/app_timings.json and measured in benchmarks/bench_app.py,
    # never asserted: these machines are shared and noisy
    page.get_by_test_id("summit-log").filter(has_text="2025 summit").wait_for()
    assert float(page.get_by_test_id("stat-us-vacuum").inner_text().split()[0]) > 0.6  # the US has stepped back

    with page.expect_download() as info:
        page.get_by_role("button", name="Run by year (CSV)").click()
    download = info.value
    assert download.suggested_filename == "cohesion_abrupt_withdrawal_seed42_2027_by_year.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [int(r["year"]) for r in rows] == [2024, 2025, 2026, 2027] and "cohesion" in rows[0]

    with page.expect_download() as info:
        page.get_by_role("button", name="Alliance map (PNG)").click()
    png = Path(info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and info.value.suggested_filename.endswith("_map.png")

    page.wait_for_load_state("networkidle")
    screenshot(page, "app_explore.png")
    assert_no_external_requests(page)
    recorder.assert_offline_clean()
    assert not [e for e in recorder.errors if "pageerror" in e], recorder.errors


def test_compare_mode_shows_two_scenarios_side_by_side(server, context):
    page, recorder, _ = open_app(context, server)
    page.get_by_role("tab", name="Compare").click()
    table = page.get_by_test_id("compare-table")
    table.wait_for()
    assert "Committed US" in table.inner_text() and "Abrupt withdrawal" in table.inner_text()
    assert page.locator("[data-testid=compare-series] polyline").count() == 8
    for side in ("a", "b"):
        assert page.locator(f"[data-testid=compare-map-{side}] g[data-iso3]").count() == 32
    vacuum_row = table.locator("tr", has_text="US vacuum").inner_text().split()
    committed, abrupt = float(vacuum_row[-2]), float(vacuum_row[-1])
    assert committed < 0.3 < abrupt
    pick(page, "Second scenario", "Fractured")
    table.filter(has_text="Fractured").wait_for()
    screenshot(page, "app_compare.png")
    assert_no_external_requests(page)
    recorder.assert_offline_clean()


def test_two_tabs_keep_their_own_runs(server, context):
    first, rec_first, _ = open_app(context, server)
    second, rec_second, _ = open_app(context, server)  # same browser, same cookie: still separate runs
    first.get_by_role("button", name="Play").click()
    first.get_by_test_id("year").filter(has_text="2026").wait_for(timeout=15_000)
    first.get_by_role("button", name="Pause").click()
    assert year(second) == 2024
    first.get_by_role("button", name="Reset").click()
    first.get_by_test_id("year").filter(has_text="2024").wait_for()
    step(first)
    step(first)
    assert (year(first), year(second)) == (2026, 2024)
    step(second)
    assert (year(first), year(second)) == (2026, 2025)
    first.get_by_role("button", name="Reset").click()
    first.get_by_test_id("year").filter(has_text="2024").wait_for()
    second.wait_for_timeout(300)
    assert year(second) == 2025
    for page in (first, second):
        assert_no_external_requests(page)
