"""The lesson plan in docs/teaching.md, walked in Chromium as written, with a screenshot at each step.

Screenshots go to tests/artifacts/lesson/ (printed at the end). Fully offline.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_harness import chromium_launch_args, record_network, require_chromium, serve_solara  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "cohesion_sim" / "app" / "page.py"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "lesson"
CDN_DIR = Path(sys.prefix) / "share" / "solara" / "cdn"


def pick(page, label: str, option: str) -> None:
    field = page.locator(".v-select").filter(has=page.locator("label", has_text=re.compile(f"^{label}$"))).first
    field.click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def year(page) -> int:
    return int(page.get_by_test_id("year").inner_text().split()[-1])


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_lesson_plan_can_be_done_in_the_app():
    require_chromium()
    if not (CDN_DIR / "requirejs@2.3.6").is_dir():
        pytest.fail(f"Solara CDN assets missing in {CDN_DIR}: run scripts/fetch_solara_assets.py")
    sync_api = pytest.importorskip("playwright.sync_api")
    assert "--host 0.0.0.0" in (ROOT / "docs" / "teaching.md").read_text()
    assert (ROOT / "docs" / "worksheet.md").read_text().count("\n") < 60  # one page
    with serve_solara(PAGE, cwd=ROOT, timeout=90, env={"SOLARA_THEME_SHOW_BANNER": "false"}) as url, \
            sync_api.sync_playwright() as pw:  # fmt: skip
        browser = pw.chromium.launch(**chromium_launch_args())
        projector = browser.new_context(viewport={"width": 1280, "height": 720})
        page = projector.new_page()
        page.set_default_timeout(30_000)
        recorder = record_network(page)
        page.goto(url)
        page.locator("[data-testid=map] svg").wait_for()

        # 0-25: hook and theory on the Info tab
        page.get_by_role("tab", name="Info").click()
        page.get_by_test_id("info").filter(has_text="What is it?").wait_for()
        page.get_by_role("heading", name="How it works").scroll_into_view_if_needed()
        assert "free riding" in page.get_by_test_id("info").inner_text()
        shot(page, "01_info.png")
        page.get_by_role("tab", name="Explore").click()

        # 25-40: the hindcast, with its pressure period and 2022 shock marked
        pick(page, "Scenario", "Hindcast 2014-2024")
        page.get_by_test_id("scenario-description").filter(has_text="2014").wait_for()
        pick(page, "Over time", "Allies against their own path")
        pick(page, "Speed", "fast: 3 years / s")
        page.get_by_role("button", name="Play").click()
        page.get_by_test_id("year").filter(has_text="2024").wait_for(timeout=40_000)
        chart = page.get_by_test_id("main-series").inner_html()
        assert 'data-mark="pressure"' in chart and "US pressure" in chart and "east shock" in chart
        shot(page, "02_hindcast.png")
        page.locator("[data-testid=map] g[data-iso3=POL] circle").first.click()
        page.get_by_test_id("why").filter(has_text="Poland").wait_for()
        assert "threat" in page.get_by_test_id("why").inner_text()
        page.get_by_test_id("why").scroll_into_view_if_needed()
        shot(page, "03_hindcast_why_poland.png")
        assert "How sure" in page.get_by_test_id("chance").inner_text()

        # 40-60: compare committed US with abrupt withdrawal
        page.get_by_role("tab", name="Compare").click()
        table = page.get_by_test_id("compare-table")
        table.wait_for()
        assert "Committed US" in table.inner_text() and "Abrupt withdrawal" in table.inner_text()
        pick(page, "Series", "Allies hedging")
        page.get_by_test_id("compare-log-a").scroll_into_view_if_needed()
        shot(page, "04_compare.png")
        page.get_by_role("tab", name="Explore").click()

        # 60-80: group work in a student's own tab: Volatile US, Step to 2027, a lever, Run to end, the link
        student = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        record_network(student)
        student.goto(url)
        student.locator("[data-testid=map] svg").wait_for()
        pick(student, "Scenario", "Volatile US")
        student.get_by_test_id("scenario-description").filter(has_text="swings").wait_for()
        for expected in (2025, 2026, 2027):
            student.get_by_role("button", name="Step").click()
            student.get_by_test_id("year").filter(has_text=str(expected)).wait_for()
        student.get_by_role("button", name="qualified majority").first.click()
        student.get_by_test_id("interventions").filter(has_text="decision rule").wait_for()
        assert year(student) == 2027
        student.get_by_role("button", name="Run to end").click()
        student.get_by_test_id("year").filter(has_text="2035").wait_for()
        for stat in ("stat-cohesion", "stat-mean-spending", "stat-at-2", "stat-hedging-out"):
            assert student.get_by_test_id(stat).inner_text().strip()
        shot(student, "05_group_lever.png")
        link = student.url
        assert "from=2028" in link and "volatile_us" in link

        # 80-90: debrief: the group's link opens the same settings on the projector
        page.goto(link)
        page.locator("[data-testid=map] svg").wait_for()
        page.get_by_test_id("interventions").filter(has_text="decision rule").wait_for()
        shot(page, "06_debrief_link.png")
        page.get_by_role("button", name="Presentation").click()  # the projector's large view
        page.get_by_role("button", name="Exit presentation").wait_for()
        shot(page, "07_debrief_presentation.png")
        assert not recorder.external
        print(f"\nlesson plan screenshots: {SHOTS}")
