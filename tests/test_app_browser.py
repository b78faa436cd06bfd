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
SHOTS = ARTIFACTS / "app"  # one screenshot per item and screen size; the folder is printed at the end
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
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
    print(f"\nbrowser screenshots: {SHOTS}")


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


def shot(page, name: str) -> Path:
    """A screenshot of what is on screen now (the viewport: what a projector shows)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path))
    return path


def sized(context_factory, size: str):
    width, height = SIZES[size]
    return context_factory.new_context(viewport={"width": width, "height": height}, service_workers="block",
                                       accept_downloads=True)  # fmt: skip


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
                "partnerships", "seed", "intervene"):  # fmt: skip
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
    assert page.locator("[data-testid=compare-series] polyline").count() == 12
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


# ------------------------------------------------------------- second edition: every item, two screen sizes
def rendered_font_px(page, selector: str) -> float:
    """Smallest rendered size of the SVG text under ``selector``: font-size x (drawn width / viewBox width)."""
    return page.evaluate(
        """sel => { const svg = document.querySelector(sel); const scale = svg.getBoundingClientRect().width /
            svg.viewBox.baseVal.width; let low = 1e9;
            for (const t of svg.querySelectorAll('text')) { low = Math.min(low, parseFloat(t.getAttribute('font-size')) * scale); }
            return low; }""",
        selector,
    )


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("size", list(SIZES))
def test_first_screen_holds_map_numbers_and_a_chart(server, browser, size):
    """Item 2: at projector sizes the first screen holds the map, the headline numbers and one time series."""
    ctx = sized(browser, size)
    page, recorder, _ = open_app(ctx, server)
    width, height = SIZES[size]
    for testid in ("stat-us-vacuum", "stat-cohesion", "stat-mean-spending", "stat-europe-s-share", "stat-hedging-out",
                   "stat-blocs", "stat-at-2", "stat-on-track-behind-far-behind"):  # fmt: skip
        b = box(page, f"[data-testid={testid}]")
        assert b["y"] + b["height"] <= height and b["x"] + b["width"] <= width, testid
    map_box = box(page, "[data-testid=map] svg")
    assert map_box["y"] + map_box["height"] <= height + 1  # the whole map, legend included
    chart = box(page, "[data-testid=main-series] svg")
    assert chart["y"] + 0.8 * chart["height"] <= height  # the chart's plot and axis are on screen
    # text at least 16 px, where the projector shows it
    assert rendered_font_px(page, "[data-testid=map] svg") >= 15.5
    assert rendered_font_px(page, "[data-testid=main-series] svg") >= 15.5
    smallest_css = page.evaluate(
        "() => Math.min(...Array.from(document.querySelectorAll('.v-application *')).filter(e => e.childNodes.length &&"
        " Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) && e.offsetParent !== null"
        " && !e.closest('svg')).map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest_css >= 16, smallest_css
    # end labels are not clipped: the latest value is inside the chart
    label = page.locator("[data-testid=main-series] text[data-end-label]").first.bounding_box()
    assert label["x"] + label["width"] <= chart["x"] + chart["width"] + 1
    shot(page, f"first_screen_{size}.png")
    page.get_by_role("button", name="Presentation").click()
    page.get_by_role("button", name="Exit presentation").wait_for()
    page.wait_for_timeout(500)
    assert rendered_font_px(page, "[data-testid=map] svg") > rendered_font_px(page, "[data-testid=map] svg") - 1
    zoom = page.evaluate("() => getComputedStyle(document.querySelector('.cs-root')).zoom")
    assert float(zoom) > 1.0
    shot(page, f"presentation_{size}.png")
    recorder.assert_offline_clean()
    ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_compliance_colours_legend_and_pledge_marker(server, browser, size):
    """Item 1: allies filled by where they stand against their own path, with a legend; the pledge is marked."""
    from cohesion_sim.palette import COMPLIANCE_COLOURS

    ctx = sized(browser, size)
    page, recorder, _ = open_app(ctx, server)
    step(page)
    step(page)
    fills = page.eval_on_selector_all("[data-testid=map] g[data-compliance]",
                                      "gs => gs.map(g => [g.dataset.compliance, g.querySelector('circle').getAttribute('fill')])")  # fmt: skip
    assert fills and all(COMPLIANCE_COLOURS[name] == fill for name, fill in fills)
    counts = {name: sum(1 for n, _ in fills if n == name) for name, _ in fills}
    assert counts.get("far behind", 0) <= 3  # the day after the Hague pledge is not a collapse
    legend = page.locator("[data-testid=map] g[data-layer=legend]").inner_html()
    assert all(f'data-legend="{name}"' in legend for name in ("on track", "behind", "far behind"))
    assert page.locator("[data-testid=main-series] [data-mark=pledge]").count() == 1
    assert "3.5% pledge adopted" in page.get_by_test_id("main-series").inner_html()
    stat = page.get_by_test_id("stat-on-track-behind-far-behind").inner_text()
    assert re.match(r"\d+ · \d+ · \d+", stat)
    shot(page, f"compliance_{size}.png")
    recorder.assert_offline_clean()
    ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_click_an_ally_for_its_state_and_why(server, browser, size):
    """Item 3: clicking an ally shows its state and this year's change split into the model's terms."""
    ctx = sized(browser, size)
    page, recorder, _ = open_app(ctx, server)
    step(page)
    page.locator("[data-testid=map] g[data-iso3=POL] circle").first.click()
    why = page.get_by_test_id("why")
    why.filter(has_text="Poland").wait_for()
    text = why.inner_text()
    for word in ("spending", "trust in the US", "perceived threat", "status", "fiscal space", "abandonment fear",
                 "free riding", "guideline pull", "fiscal limit", "lag", "reciprocity"):  # fmt: skip
        assert word in text, word
    assert page.locator("[data-testid=map] [data-selected=true]").count() == 1
    page.locator("[data-testid=spending-bars] g[data-iso3=DEU] rect").first.click()
    why.filter(has_text="Germany").wait_for()
    why.scroll_into_view_if_needed()
    shot(page, f"why_{size}.png")
    recorder.assert_offline_clean()
    ctx.close()


def test_bands_and_how_sure_sentence(server, browser):
    """Item 4: 50% and 90% bands from the engine ensemble; a step with bands; a sentence on chance."""
    ctx = sized(browser, "1280x720")
    page, recorder, _ = open_app(ctx, server)
    pick(page, "Scenario", "Volatile US")
    page.get_by_test_id("scenario-description").filter(has_text="swings").wait_for()
    page.locator("[data-testid=main-series] [data-band='cohesion-90']").wait_for()
    assert page.locator("[data-testid=main-series] [data-band='cohesion-50']").count() == 1
    times = sorted(step(page) for _ in range(3))
    TIMINGS["step_with_bands_median_s"] = round(times[1], 3)  # recorded, not asserted (shared machine)
    chance = page.get_by_test_id("chance").inner_text()
    assert "9 runs out of 10" in chance and "seed 42" in chance
    page.get_by_test_id("chance").scroll_into_view_if_needed()
    shot(page, "bands_1280x720.png")
    recorder.assert_offline_clean()
    ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_info_tab(server, browser, size):
    """Item 5: an Info tab as NetLogo models have."""
    ctx = sized(browser, size)
    page, recorder, _ = open_app(ctx, server)
    page.get_by_role("tab", name="Info").click()
    info = page.get_by_test_id("info")
    info.wait_for()
    for heading in ("What is it?", "How it works", "How to use it", "Things to notice", "Things to try", "Limits",
                    "Where the data comes from"):  # fmt: skip
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    shot(page, f"info_{size}.png")
    recorder.assert_offline_clean()
    ctx.close()


def test_compare_levers_speed_and_run_to_end(server, browser):
    """Item 6: compare two settings with a lever; dated marks; Play speed; Run to end."""
    ctx = sized(browser, "1920x1080")
    page, recorder, _ = open_app(ctx, server)
    pick(page, "Speed", "fast: 3 years / s")
    started = time.perf_counter()
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => parseInt(document.querySelector('[data-testid=year]').innerText.split(/\\s+/).pop())"
                           " >= 2027", timeout=20_000)
    TIMINGS["fast_play_3_years_s"] = round(time.perf_counter() - started, 2)  # at 1 year a second this is 3+
    try:
        page.get_by_role("button", name="Pause").click(timeout=2_000)
    except Exception:  # the fast run may already have reached its end and stopped by itself
        pass
    page.get_by_role("button", name="Play").wait_for()
    if year(page) < 2035:
        page.get_by_role("button", name="Run to end").click()
    page.get_by_test_id("year").filter(has_text="2035").wait_for()
    assert page.get_by_role("button", name="Step").is_disabled()
    page.get_by_role("tab", name="Compare").click()
    table = page.get_by_test_id("compare-table")
    table.wait_for()
    before = table.inner_text()
    slider = page.get_by_test_id("side-b").locator(".v-slider").first
    b = slider.bounding_box()
    slider.click(position={"x": b["width"] * 0.95, "y": b["height"] / 2})
    table.filter(has_text="coordination 0.95").wait_for()
    assert table.inner_text() != before
    assert page.locator("[data-testid=compare-main] [data-mark]").count() >= 1
    shot(page, "compare_levers_1920x1080.png")
    recorder.assert_offline_clean()
    ctx.close()


def test_intervene_mid_run(server, browser):
    """Item 7: a lever moved during a run applies from next year; the run goes on; the change is marked."""
    ctx = sized(browser, "1280x720")
    page, recorder, _ = open_app(ctx, server)
    step(page)
    step(page)
    before = page.locator("[data-testid=main-series] polyline[data-series=cohesion]").get_attribute("points")
    page.get_by_test_id("midrun-note").filter(has_text="applies from 2027").wait_for()
    slider = page.get_by_test_id("slider-coordination").locator(".v-slider")
    b = slider.bounding_box()
    slider.click(position={"x": b["width"] * 0.9, "y": b["height"] / 2})
    page.get_by_test_id("interventions").filter(has_text="coordination").wait_for()
    assert year(page) == 2026  # the run goes on from where it was
    after = page.locator("[data-testid=main-series] polyline[data-series=cohesion]").get_attribute("points")
    assert after == before  # the years so far are unchanged
    page.locator("[data-testid=main-series] [data-mark=lever]").wait_for(state="attached")  # a 0-width line
    step(page)
    assert year(page) == 2027
    shot(page, "intervene_1280x720.png")
    recorder.assert_offline_clean()
    ctx.close()


def test_url_carries_settings_and_yaml_save_load(server, browser, tmp_path):
    """Item 8: a link reopens the same settings; the settings save as YAML and load back."""
    ctx = sized(browser, "1280x720")
    page = ctx.new_page()
    recorder = record_network(page)
    page.goto(server + "?scenario=volatile_us&seed=7&coordination=0.6")
    page.locator("[data-testid=map] svg").wait_for()
    assert "swings" in page.get_by_test_id("scenario-description").inner_text()
    assert "0.60" in page.locator(".cs-label", has_text="Coordination").inner_text()
    assert "seed=7" in page.url and "coordination=0.6" in page.url
    with page.expect_download() as info:
        page.get_by_role("button", name="Save settings (YAML)").click()
    saved = Path(info.value.path()).read_text()
    assert info.value.suggested_filename == "volatile_us_seed7_settings.yaml" and "coordination: 0.6" in saved
    changed = tmp_path / "class_run.yaml"
    changed.write_text(saved.replace("coordination: 0.6", "coordination: 0.85"))
    page.locator("[data-testid=load-yaml] input[type=file]").set_input_files(str(changed))
    page.get_by_test_id("scenario-description").filter(has_text="swings").wait_for()
    page.locator(".cs-label", has_text="Coordination").filter(has_text="0.85").wait_for()
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Bad\ndescription: Bad.\ncoordination: 7\n")
    page.locator("[data-testid=load-yaml] input[type=file]").set_input_files(str(bad))
    page.get_by_test_id("load-error").filter(has_text="coordination").wait_for()
    page.get_by_test_id("load-yaml").scroll_into_view_if_needed()
    shot(page, "share_1280x720.png")
    other = ctx.new_page()
    other.goto(server + "?scenario=../../etc/passwd")
    other.get_by_test_id("link-error").wait_for()
    recorder.assert_offline_clean()
    ctx.close()
