"""The classroom page: ``solara run cohesion_sim.app.page``.

Every browser session (tab) gets its own settings and model: all state lives in hooks inside
:func:`Page`, never at module level, so two students never share a run. The page's URL carries
its settings, so a link reopens the same run.
"""

from __future__ import annotations

import threading
import time
from html import escape
from pathlib import Path

import solara
import solara.lab

from cohesion_sim.app.charts import SERIES, SERIES_BY_TITLE, meaning
from cohesion_sim.app.compare import CompareView
from cohesion_sim.app.controls import SPEEDS, Controls, RunButtons
from cohesion_sim.app.ensemble import bands_for, chance_sentence
from cohesion_sim.app.share import settings_from_query, settings_query, settings_yaml
from cohesion_sim.app.state import (
    SessionRun,
    Settings,
    defaults_for,
    scenario_names,
    settings_from_text,
    start_warning,
)
from cohesion_sim.app.views import (
    Card, Downloads, Grid, Headline, MapView, SeriesView, SpendingView, SummitLog, TimeSeriesView,
)  # fmt: skip
from cohesion_sim.app.why import why_html
from cohesion_sim.scenario_files import DEFAULT_SCENARIO, ScenarioError

TITLE = "NATO cohesion under a shifting US stance"
#: Seconds between years while playing, by default.
PLAY_INTERVAL = 1.0
CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
INFO = (Path(__file__).with_name("info.md")).read_text(encoding="utf-8")
#: Presentation mode: no sidebar, no menu button.
PRESENT_CSS = (
    "nav.v-navigation-drawer { display: none !important; } "
    ".v-content, .v-main { padding-left: 0 !important; } "
    ".v-app-bar .v-app-bar__nav-icon, header .v-btn--icon { display: none !important; }"
)
#: Largest scenario file the page accepts.
MAX_UPLOAD = 200_000


def first_settings() -> Settings:
    names = scenario_names()
    return defaults_for(DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else names[0])


@solara.component
def Page():
    router = solara.use_router()
    from_link = solara.use_memo(lambda: settings_from_query(router.search), [])
    settings = solara.use_reactive(from_link[0] or first_settings())
    link_error = solara.use_reactive(from_link[1])
    restarts = solara.use_reactive(0)  # Reset: same settings, fresh model
    resume_at = solara.use_reactive(None)  # an intervention replays the run to this year
    tick = solara.use_reactive(0)  # bumped after every step so the views redraw
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(next(k for k, v in SPEEDS.items() if v == PLAY_INTERVAL))
    tab = solara.use_reactive(0)
    column = solara.use_reactive(SERIES["cohesion"][0])  # the menu shows chart titles
    selected = solara.use_reactive(None)
    presenting = solara.use_reactive(False)
    show_bands = solara.use_reactive(True)
    upload_error = solara.use_reactive(None)

    def make_run():
        return SessionRun(settings.value, advance_to=resume_at.value)

    run: SessionRun = solara.use_memo(make_run, [settings.value, restarts.value])

    def stop_on_new_run():
        playing.set(False)

    solara.use_effect(stop_on_new_run, [run])

    def keep_url():
        query = settings_query(settings.value)
        if router.set_path is not None and (router.search or "") != query:  # no URL outside a browser
            router.push(f"{router.path or '/'}?{query}")

    solara.use_effect(keep_url, [settings.value])

    def play_loop(cancel: threading.Event):
        if not playing.value:
            return
        while not cancel.is_set():
            started = time.monotonic()
            run.step()
            tick.set(tick.value + 1)
            if run.finished:
                playing.set(False)
                return
            cancel.wait(max(0.05, SPEEDS.get(speed.value, PLAY_INTERVAL) - (time.monotonic() - started)))

    solara.use_thread(play_loop, dependencies=[playing.value, run], intrusive_cancel=False)

    def step():
        run.step()
        tick.set(tick.value + 1)

    def to_end():
        run.run_to_end()
        tick.set(tick.value + 1)

    def reset():
        playing.set(False)
        resume_at.set(None)
        restarts.set(restarts.value + 1)

    def new_settings(value: Settings):
        resume_at.set(None)
        settings.set(value)

    def intervene(value: Settings):
        """A lever moved during the run: same seed, replayed to this year, then on with the change."""
        resume_at.set(run.year)
        settings.set(value)

    def load_file(info):
        name, text = str(info.get("name") or "scenario.yaml"), info.get("text")
        if text is None or len(text) > MAX_UPLOAD:
            upload_error.set(f"{name}: too large ({info.get('size')} bytes); a scenario file is a few kB")
            return
        try:
            loaded = settings_from_text(name, str(text), seed=None)
        except ScenarioError as exc:
            upload_error.set(str(exc).splitlines()[0])
            return
        upload_error.set(None)
        new_settings(loaded)

    solara.Title(TITLE)
    solara.Style(CSS)
    solara.AppBarTitle(TITLE)
    tick.value  # noqa: B018 - read so that a step re-renders this session's page
    frame = run.frame
    with solara.Sidebar():
        Controls(_Tap(settings, new_settings), run.year or 0, intervene)
    # presentation hides the sidebar with CSS (always the same element tree, so no view is re-mounted)
    solara.Style(PRESENT_CSS if presenting.value else "")

    bands = solara.use_memo(lambda: _bands(settings.value, show_bands.value, run.error is None),
                            [settings.value, show_bands.value, run.error])  # fmt: skip

    with solara.Div(classes=["cs-root", "cs-present" if presenting.value else "cs-normal"]):
        if link_error.value:
            with solara.Div(attributes={"data-testid": "link-error"}):
                solara.Warning(link_error.value, dense=True)
        with solara.lab.Tabs(value=tab, lazy=True, background_color="transparent", slider_color="primary"):
            with solara.lab.Tab("Explore", icon_name="mdi-earth"):
                with solara.Div(classes=["cs-top"]):
                    RunButtons(on_play=lambda: playing.set(not playing.value), on_step=step, on_reset=reset,
                               on_end=to_end, playing=playing.value, finished=run.finished, broken=frame is None,
                               speed=speed, year=frame.year if frame is not None else None,
                               presenting=presenting)  # fmt: skip
                if run.error:
                    with solara.Div(attributes={"data-testid": "settings-error"}, classes=["cs-error"]):
                        solara.Error(f"These settings do not work: {run.error}")
                    return
                if run.model is not None and run.model.start_below_exit:
                    with solara.Div(attributes={"data-testid": "start-warning"}):
                        solara.Warning(start_warning(run.model.start_below_exit), dense=True)
                runs = [(frame.title.split(":")[0], frame)]
                with Grid("minmax(0, 59fr) minmax(0, 41fr)", classes=["cs-first"]):
                    with Card("Alliance map", subtitle="Click an ally to see why it changed."):
                        MapView(frame, selected=selected.value, on_select=selected.set)
                    with solara.Div():
                        Headline(frame)
                        with solara.Div(classes=["cs-card"]):
                            with solara.Div(classes=["cs-series-pick"], attributes={"data-testid": "series-pick"}):
                                solara.Select("Over time", values=list(SERIES_BY_TITLE), value=column, dense=True)
                            SeriesView(runs, SERIES_BY_TITLE[column.value], bands=[bands] if bands else None)
                            shown = meaning(SERIES_BY_TITLE[column.value])
                            solara.HTML(tag="div", classes=["cs-meaning"], unsafe_innerHTML=escape(shown))
                with solara.Div(classes=["cs-chance"], attributes={"data-testid": "chance"}):
                    solara.HTML(tag="p", unsafe_innerHTML=escape(chance_sentence(frame, bands, settings.value.seed)))
                    solara.Checkbox(label="Show bands from 100 runs", value=show_bands)
                with Grid("minmax(0, 1fr) minmax(0, 1fr)"):
                    with Card("Why did this ally change?", subtitle="Click an ally on the map or the bars."):
                        AllyDetail(run, selected.value, frame.year)
                    with Card("Summit log", subtitle="Newest first."):
                        SummitLog(frame.events)
                with Card("All series", subtitle="Shaded: 100 runs with these settings. Dashed lines: dated events."):
                    TimeSeriesView(runs, bands=[bands] if bands else None)
                with Card("Spending by ally", subtitle="Fill: against its own path. Black ticks: the first year. "
                          "Click a bar for why."):  # fmt: skip
                    SpendingView(frame, selected=selected.value, on_select=selected.set)
                with Grid("minmax(0, 1fr) minmax(0, 1fr)"):
                    with Card("Share and keep", subtitle="The address bar holds these settings: copy it to share."):
                        ShareBox(settings.value, load_file, upload_error.value)
                    with Card("Downloads", subtitle="The run so far as CSV, the figures as PNG."):
                        Downloads(settings.value, frame, run.tables)
            with solara.lab.Tab("Compare", icon_name="mdi-compare-horizontal"):
                CompareView(settings.value)
            with solara.lab.Tab("Info", icon_name="mdi-information-outline"):
                with solara.Div(classes=["cs-info"], attributes={"data-testid": "info"}):
                    solara.Markdown(INFO)


def _bands(settings: Settings, wanted: bool, valid: bool):
    if not (wanted and valid):
        return None
    try:
        return bands_for(settings)
    except (ScenarioError, ValueError):
        return None


class _Tap:
    """A reactive-like wrapper: reads ``value`` from ``reactive``, sends ``set`` to ``on_set``."""

    def __init__(self, reactive, on_set):
        self._reactive, self._on_set = reactive, on_set

    @property
    def value(self):
        return self._reactive.value

    def set(self, value):
        self._on_set(value)


@solara.component
def AllyDetail(run: SessionRun, iso3: str | None, year: int):
    if iso3 is None:
        solara.HTML(tag="div", classes=["cs-empty"], attributes={"data-testid": "why"},
                    unsafe_innerHTML="No ally picked yet: click one on the map.")  # fmt: skip
        return
    why = run.why(iso3)
    if why is None:
        body = "Press Step: the breakdown shows this year's change, so it needs one year to have run."
        solara.HTML(tag="div", classes=["cs-empty"], attributes={"data-testid": "why"}, unsafe_innerHTML=escape(body))
        return
    solara.HTML(tag="div", classes=["cs-why"], attributes={"data-testid": "why"}, unsafe_innerHTML=why_html(why))


@solara.component_vue("file_text_input.vue")
def FileTextInput(label: str, testid: str, max_bytes: int, event_loaded=None):
    """A file picker that reads a small text file in the browser and sends {name, text, size} to ``event_loaded``."""


@solara.component
def ShareBox(settings: Settings, on_file, error: str | None):
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in settings.scenario.rsplit(".", 1)[0])
    if settings.custom is not None:
        solara.HTML(tag="div", classes=["cs-note"], unsafe_innerHTML=escape(
            "This run starts from a loaded file, which a link cannot carry: share the saved file instead."))  # fmt: skip
    with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
        solara.FileDownload(lambda: settings_yaml(settings), filename=f"{stem}_seed{settings.seed}_settings.yaml",
                            label="Save settings (YAML)", mime_type="application/x-yaml")  # fmt: skip
    FileTextInput(label="Load a scenario file (.yaml)", testid="load-yaml", max_bytes=MAX_UPLOAD, event_loaded=on_file)
    if error:
        with solara.Div(attributes={"data-testid": "load-error"}):
            solara.Error(error, dense=True)


page = Page
__all__ = ["Page", "page"]
