"""What one Step costs in the classroom app, measured side by side in one run.

    python benchmarks/bench_app.py [--repeats 10]

Times a model step with its frame (the data the page shows), the three live views as SVG
(what the page draws), and the same three views as matplotlib PNGs (what the downloads draw),
and prints the ratio that justified drawing the live page in SVG.
"""

from __future__ import annotations

import argparse
import statistics
import time

from cohesion_sim.app import charts, figures, map_view, state


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

    def svg_views():
        map_view.alliance_map_svg(frame)
        charts.time_series_svg([("run", frame)])
        charts.spending_bars_svg(frame)

    def png_views():
        for fig in (figures.alliance_map(frame), figures.time_series([("run", frame)]), figures.spending_bars(frame)):
            figures.png_bytes(fig)

    step = median_ms(step_and_reset, args.repeats)
    svg = median_ms(svg_views, args.repeats)
    png = median_ms(png_views, max(3, args.repeats // 3))
    print(f"model_step_ms={step:.1f}")
    print(f"svg_views_ms={svg:.1f}")
    print(f"matplotlib_png_views_ms={png:.1f}")
    print(f"step_plus_svg_ms={step + svg:.1f}")
    print(f"ratio_png_vs_svg={png / svg:.1f}")


if __name__ == "__main__":
    main()
