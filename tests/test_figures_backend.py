"""Notebooks keep inline figures: no module of the package switches matplotlib's backend, at import or when
it writes a figure file (issue 12, item 10)."""

import subprocess
import sys
import textwrap


def test_no_import_or_figure_file_switches_the_backend(tmp_path):
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil
        import matplotlib
        matplotlib.use("svg")  # stands in for a notebook's inline backend
        import cohesion_sim
        for module in pkgutil.walk_packages(cohesion_sim.__path__, "cohesion_sim."):
            if ".app" in module.name or module.name.endswith("__main__"):
                continue  # the app imports Solara's page machinery; it draws SVG itself
            importlib.import_module(module.name)
        assert matplotlib.get_backend() == "svg", matplotlib.get_backend()

        from pathlib import Path
        from cohesion_sim.ensemble import run_ensemble
        from cohesion_sim.fan_charts import write_fan_charts
        from cohesion_sim.levers.figures import regret_bars
        import pandas as pd
        result = run_ensemble("baseline", 4, seed=1, end_year=2027, with_blocs=False)
        paths = write_fan_charts(result.model, result.agents, Path(r"{tmp_path}"))
        table = pd.DataFrame({{"package": ["a", "b"], "regret_max": [0.1, 0.2], "regret_p90": [0.05, 0.1],
                              "regret_mean": [0.01, 0.02]}})
        regret_bars(table, Path(r"{tmp_path}") / "regret.png")
        assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
        print("ok", len(paths))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok 2"
    assert (tmp_path / "fan_headline.png").stat().st_size > 1000 and (tmp_path / "regret.png").stat().st_size > 1000
