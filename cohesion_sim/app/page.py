"""The classroom page: ``solara run cohesion_sim.app.page``.

Every browser session (tab) gets its own settings and model: all state lives in hooks inside
:func:`Page`, never at module level, so two students never share a run.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import solara
import solara.lab

from cohesion_sim.app.compare import CompareView
from cohesion_sim.app.controls import Controls, RunButtons
from cohesion_sim.app.state import SessionRun, Settings, defaults_for, scenario_names
from cohesion_sim.app.views import Card, Grid, Downloads, Headline, MapView, SpendingView, SummitLog, TimeSeriesView
from cohesion_sim.scenario_files import DEFAULT_SCENARIO

TITLE = "NATO cohesion under a shifting US stance"
#: Seconds between years while playing.
PLAY_INTERVAL = 1.0
CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")


def first_settings() -> Settings:
    names = scenario_names()
    return defaults_for(DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else names[0])


@solara.component
def Page():
    settings = solara.use_reactive(solara.use_memo(first_settings, []))
    restarts = solara.use_reactive(0)  # Reset: same settings, fresh model
    tick = solara.use_reactive(0)  # bumped after every step so the views redraw
    playing = solara.use_reactive(False)
    tab = solara.use_reactive(0)
    run: SessionRun = solara.use_memo(lambda: SessionRun(settings.value), [settings.value, restarts.value])

    def stop_on_new_run():
        playing.set(False)

    solara.use_effect(stop_on_new_run, [run])

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
            cancel.wait(max(0.05, PLAY_INTERVAL - (time.monotonic() - started)))

    solara.use_thread(play_loop, dependencies=[playing.value, run], intrusive_cancel=False)

    def step():
        run.step()
        tick.set(tick.value + 1)

    def reset():
        playing.set(False)
        restarts.set(restarts.value + 1)

    solara.Title(TITLE)
    solara.Style(CSS)
    solara.AppBarTitle(TITLE)
    with solara.Sidebar():
        Controls(settings)

    tick.value  # noqa: B018 - read so that a step re-renders this session's page
    frame = run.frame
    with solara.lab.Tabs(value=tab, lazy=True, background_color="transparent", slider_color="primary"):
        with solara.lab.Tab("Explore", icon_name="mdi-earth"):
            with solara.Div(classes=["cs-top"]):
                with solara.Div():
                    RunButtons(on_play=lambda: playing.set(not playing.value), on_step=step, on_reset=reset,
                               playing=playing.value, finished=run.finished, broken=frame is None)  # fmt: skip
                if frame is not None:
                    Headline(frame)
            if run.error:
                with solara.Div(attributes={"data-testid": "settings-error"}, classes=["cs-error"]):
                    solara.Error(f"These settings do not work: {run.error}")
                return
            with Grid():
                with Card("Alliance map", subtitle="Allies at their capitals, the US off the western edge. "
                          "Hover over an ally for its numbers."):  # fmt: skip
                    MapView(frame)
                with Card("Over time"):
                    TimeSeriesView([(frame.title, frame)])
            with Card("Spending by ally", subtitle="Bars: this year. Black ticks: the first year. Dashed line: "
                      "the guideline in force."):  # fmt: skip
                SpendingView(frame)
            with Grid():
                with Card("Summit log", subtitle="Newest first."):
                    SummitLog(frame.events)
                with Card("Downloads", subtitle="The run so far as CSV, the figures as PNG."):
                    Downloads(settings.value, frame, run.tables)
        with solara.lab.Tab("Compare", icon_name="mdi-compare-horizontal"):
            CompareView(settings.value.seed if settings.value.seed is not None and settings.value.seed >= 0 else 42)


page = Page
__all__ = ["Page", "page"]
