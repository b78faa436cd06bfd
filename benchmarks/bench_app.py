"""What one Step costs in the classroom app, measured side by side in one run.

    python benchmarks/bench_app.py [--repeats 10]

Times a model step with its frame (the data the page shows), the live views as SVG (what the
page draws: map, the first screen's chart with its 50%/90% bands, the small multiples, the
spending bars), and the same views as matplotlib PNGs (what the downloads draw), and prints
the ratio that justified drawing the live page in SVG.

It also times the ensemble behind the bands (100 runs on the batch engine, once per setting,
cached) and a Step with bands: the step, its frame and every SVG view with bands drawn. The
issue's budget is 0.5 s for a step with bands; this prints the number, it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

from cohesion_sim.app import charts, ensemble, figures, map_view, state


def median_ms(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    run = state.SessionRun(state.defaults_for("abrupt_withdrawal"))
    for _ in range(3):
        run.step()
    frame = run.frame

    session = {"run": run}

    def step_and_reset():
        if session["run"].finished:
            session["run"] = state.SessionRun(state.defaults_for("abrupt_withdrawal"))
        session["run"].step()

    settings = state.defaults_for("abrupt_withdrawal")
    started = time.perf_counter()
    bands = ensemble.bands_for(settings)
    ensemble_ms = 1000 * (time.perf_counter() - started)

    def svg_views():
        map_view.alliance_map_svg(frame)
        charts.series_chart_svg([("run", frame)], "cohesion", [bands], charts.marks_for(frame))
        charts.time_series_svg([("run", frame)], [bands], charts.marks_for(frame))
        charts.spending_bars_svg(frame)

    def step_with_bands():
        step_and_reset()
        now = session["run"].frame
        map_view.alliance_map_svg(now)
        charts.series_chart_svg([("run", now)], "cohesion", [ensemble.bands_for(settings)], charts.marks_for(now))
        charts.time_series_svg([("run", now)], [ensemble.bands_for(settings)], charts.marks_for(now))
        charts.spending_bars_svg(now)
        ensemble.chance_sentence(now, ensemble.bands_for(settings), 42)

    def png_views():
        for fig in (figures.alliance_map(frame), figures.time_series([("run", frame)]), figures.spending_bars(frame)):
            figures.png_bytes(fig)

    step = median_ms(step_and_reset, args.repeats)
    banded = median_ms(step_with_bands, args.repeats)
    svg = median_ms(svg_views, args.repeats)
    png = median_ms(png_views, max(3, args.repeats // 3))
    print(f"model_step_ms={step:.1f}")
    print(f"svg_views_ms={svg:.1f}")
    print(f"matplotlib_png_views_ms={png:.1f}")
    print(f"step_plus_svg_ms={step + svg:.1f}")
    print(f"ensemble_100_runs_ms={ensemble_ms:.1f}  (once per setting, then cached)")
    print(f"step_with_bands_ms={banded:.1f}  (budget 500)")
    print(f"ratio_png_vs_svg={png / svg:.1f}")


if __name__ == "__main__":
    main()
