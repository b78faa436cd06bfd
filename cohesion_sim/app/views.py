"""The views of one run: headline numbers, map, time series, spending bars, summit log, downloads."""

from __future__ import annotations

from html import escape
from typing import Callable

import solara

from .charts import marks_for, series_chart_svg, spending_bars_svg, time_series_svg
from .downloads import FIGURES, csv_text, figure_png, file_stem
from .map_view import alliance_map_svg
from .state import Frame, Settings, headline
from .summit_log import summit_log


@solara.component_vue("clickable_svg.vue")
def ClickableSvg(markup: str, testid: str, classes: str, event_select: Callable[[str], None]):
    """SVG whose allies (``data-iso3``) can be clicked: the ally's code goes to ``event_select``."""


@solara.component
def Svg(markup: str, testid: str, classes: list[str] | None = None):
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=["cs-figure", *(classes or [])],
                attributes={"data-testid": testid})  # fmt: skip


@solara.component
def Grid(columns: str = "3fr 2fr", children=[], classes: list[str] | None = None):
    """Side-by-side panels that never overflow the page (``with Grid("1fr 1fr"): ...``)."""
    return solara.Div(children=children, classes=["cs-grid", *(classes or [])], style={"grid-template-columns": columns})


@solara.component
def Card(title: str, subtitle: str | None = None, children=[]):
    """A titled panel; use as ``with Card("Title"): ...``."""
    with solara.Div(classes=["cs-card"]) as main:
        solara.HTML(tag="h3", unsafe_innerHTML=escape(title), classes=["cs-card-title"])
        if subtitle:
            solara.HTML(tag="div", unsafe_innerHTML=escape(subtitle), classes=["cs-card-subtitle"])
        solara.Div(children=children)
    return main


@solara.component
def Headline(frame: Frame):
    """The headline numbers in big type, for the back of the room (the year sits by the run buttons)."""
    with solara.Div(classes=["cs-headline"], attributes={"data-testid": "headline"}):
        for label, value, meaning in headline(frame):
            slug = "".join(c if c.isalnum() else "-" for c in label.lower().split(" their")[0]).strip("-")
            while "--" in slug:
                slug = slug.replace("--", "-")
            solara.HTML(
                tag="div", classes=["cs-stat"], attributes={"data-testid": f"stat-{slug}", "title": meaning},
                unsafe_innerHTML=f"<div class='cs-stat-value'>{escape(value)}</div>"
                f"<div class='cs-stat-label'>{escape(label)}</div><div class='cs-stat-help'>{escape(meaning)}</div>",
            )


@solara.component
def MapView(frame: Frame, testid: str = "map", selected: str | None = None, on_select=None):
    markup = solara.use_memo(lambda: alliance_map_svg(frame, selected), [frame, selected])
    if on_select is None:
        Svg(markup, testid)
    else:
        ClickableSvg(markup=markup, testid=testid, classes="cs-figure cs-map", event_select=on_select)


@solara.component
def TimeSeriesView(runs: list[tuple[str, Frame]], testid: str = "time-series", bands=None, marks=True):
    def draw():
        shown = marks_for(runs[0][1]) if marks else None
        return time_series_svg(runs, bands, shown)

    markup = solara.use_memo(draw, [tuple(id(f) for _, f in runs), id(bands)])
    Svg(markup, testid)


@solara.component
def SeriesView(runs: list[tuple[str, Frame]], column: str, testid: str = "main-series", bands=None):
    def draw():
        return series_chart_svg(runs, column, bands, marks_for(runs[0][1]))

    markup = solara.use_memo(draw, [tuple(id(f) for _, f in runs), column, id(bands)])
    Svg(markup, testid)


@solara.component
def SpendingView(frame: Frame, selected: str | None = None, on_select=None):
    markup = solara.use_memo(lambda: spending_bars_svg(frame, selected), [frame, selected])
    if on_select is None:
        Svg(markup, "spending-bars")
    else:
        ClickableSvg(markup=markup, testid="spending-bars", classes="cs-figure", event_select=on_select)


@solara.component
def SummitLog(events: list[dict], testid: str = "summit-log"):
    rows = summit_log(events)
    if not rows:
        body = "<div class='cs-empty'>No summit yet: press Step or Play.</div>"
    else:
        items = []
        for sentence, reason, passed in rows:
            mark = "cs-passed" if passed else "cs-failed"
            items.append(
                f"<li class='{mark}'><span class='cs-badge'>{'passed' if passed else 'failed'}</span>"
                f"<span class='cs-sentence'>{escape(sentence)}</span><div class='cs-reason'>{escape(reason)}</div></li>"
            )
        body = f"<ol class='cs-log'>{''.join(items)}</ol>"
    solara.HTML(tag="div", unsafe_innerHTML=body, attributes={"data-testid": testid}, classes=["cs-log-box"])


@solara.component
def Downloads(settings: Settings, frame: Frame, tables: Callable):
    """CSV of the run so far and PNG of each figure; files are made only when a button is pressed."""
    stem = file_stem(settings, frame)
    with solara.Row(classes=["cs-downloads"], gap="8px", style={"flex-wrap": "wrap"}):
        solara.FileDownload(lambda: csv_text(tables()[0]), filename=f"{stem}_by_year.csv",
                            label="Run by year (CSV)", mime_type="text/csv")  # fmt: skip
        solara.FileDownload(lambda: csv_text(tables()[1]), filename=f"{stem}_allies.csv",
                            label="Allies by year (CSV)", mime_type="text/csv")  # fmt: skip
        for kind, name in FIGURES.items():
            solara.FileDownload(_png(kind, frame), filename=f"{stem}_{kind}.png", label=f"{name.capitalize()} (PNG)",
                                mime_type="image/png")  # fmt: skip


def _png(kind: str, frame: Frame):
    def make() -> bytes:
        return figure_png(kind, frame)

    return make
