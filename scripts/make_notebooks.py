"""Write the teaching and research notebooks (no outputs; nbmake executes them in `make test`).

    python scripts/make_notebooks.py

The notebooks are committed; this script is how they were made and how to regenerate them.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent.parent / "notebooks"
KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}  # fmt: skip


def notebook(name, cells):
    nb = new_notebook(metadata=KERNEL)
    nb.cells = [new_markdown_cell(c[3:]) if c.startswith("md:") else new_code_cell(c.strip("\n")) for c in cells]
    for k, cell in enumerate(nb.cells):  # stable ids: regenerating an unchanged notebook changes nothing
        cell.id = f"{name[:2]}-{k:03d}"
    nbformat.write(nb, HERE / f"{name}.ipynb")


notebook("01_quickstart", [
    "md:# 01 Quick start: run a scenario, read the outputs, plot them\n\n"
    "`cohesion_sim` simulates NATO's 32 allies year by year. Each European ally and Canada decides its defence "
    "spending, its commitment to the transatlantic bond and to its European allies (Snyder's two commitments), "
    "whether to hedge toward a European pillar, and its tensions with every other ally, in response to how far "
    "the United States withdraws its guarantee (the *vacuum*, from 0 = full guarantee to 1 = complete withdrawal). "
    "`cohesion` averages the two commitments; `cohesion_europe` is the same among Europe and Canada only.",
    """
%matplotlib inline
from cohesion_sim import AllianceModel, available_scenarios, load_scenario
from cohesion_sim.outputs import agent_table, model_table

available_scenarios()
""",
    "md:Every scenario has a title and a plain-language description:",
    """
scenario = load_scenario("baseline")
print(scenario.title)
print(scenario.description)
""",
    "md:Run it. The seed makes the run reproducible: the same seed always gives the same numbers.",
    """
model = AllianceModel("baseline", rng=1).run()
yearly = model_table(model)
yearly[["year", "vacuum", "cohesion", "cohesion_europe", "allies_at_2pct", "allies_at_guideline", "mean_spending", "declaration_gap", "summit"]].round(3)
""",
    "md:One row per ally and year; the first year is the real 2024 data.",
    """
allies = agent_table(model)
allies[allies.year == allies.year.max()].sort_values("spending", ascending=False).head(10).round(2)
""",
    "md:The summit log records every vote. The 2025 summit votes on the Hague pledge (3.5% of GDP by 2035):",
    """
hague = model.events[0]
print(hague["item"], "->", hague["outcome"], "| exempted:", hague["exemptions"] or "none")
print("voted no:", [code for code, vote in hague["votes"].items() if not vote])
""",
    "md:The package draws the standard figures for you:",
    """
import matplotlib.pyplot as plt
from cohesion_sim import plots

fig, axes = plt.subplots(1, 2, figsize=(14, 4))
plots.cohesion_and_vacuum(yearly, axes[0])
plots.allies_meeting_guideline(yearly, axes[1])
plt.tight_layout()
plots.spending_by_ally(allies, yearly);
""",
    "md:Any parameter can be changed by keyword, for example more coordination and a qualified-majority rule:",
    """
variant = AllianceModel("baseline", rng=1, coordination=0.8, decision_rule="qualified_majority").run()
print(f"cohesion in 2035: baseline {model.metrics['cohesion']:.3f}, variant {variant.metrics['cohesion']:.3f}")
""",
])

notebook("02_compare_scenarios", [
    "md:# 02 Compare scenarios: committed US, abrupt withdrawal, and trump-proofing against its own base\n\n"
    "We run each scenario with the same five seeds and compare the averages. Same seeds means the same "
    "random draws, so differences come from the scenarios, not from luck. Trump-proofing is compared with its "
    "own base, `volatile_us`: the same erratic US without the levers.",
    """
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from cohesion_sim import AllianceModel, load_scenario
from cohesion_sim.outputs import model_table

SCENARIOS = ["committed_us", "abrupt_withdrawal", "volatile_us", "trump_proofing"]
SEEDS = range(5)
runs = {name: [AllianceModel(name, rng=seed).run() for seed in SEEDS] for name in SCENARIOS}
yearly = pd.concat(
    [model_table(m).assign(scenario=name, seed=seed) for name, models in runs.items() for seed, m in zip(SEEDS, models)]
)
for name in SCENARIOS:
    print(f"{name}: {load_scenario(name).title}")
""",
    """
columns = ["vacuum", "cohesion", "mean_spending", "allies_at_2pct", "european_share", "hedging", "disengaged", "declaration_gap"]
last = yearly[yearly.year == yearly.year.max()]
final = last.groupby("scenario")[columns].mean().loc[SCENARIOS]
spread = last.groupby("scenario")[columns].agg(lambda x: x.max() - x.min()).loc[SCENARIOS]
final.round(2)
""",
    "md:The range over the five seeds (largest minus smallest): a difference smaller than this may be luck.",
    """
spread.round(2)
""",
    """
fig, axes = plt.subplots(1, 3, figsize=(16, 4))
for name in SCENARIOS:
    mean = yearly[yearly.scenario == name].groupby("year").mean(numeric_only=True)
    axes[0].plot(mean.index, mean.vacuum, label=name)
    axes[1].plot(mean.index, mean.cohesion, label=name)
    axes[2].plot(mean.index, mean.mean_spending, label=name)
for ax, title in zip(axes, ["US vacuum", "cohesion", "mean spending, % of GDP"]):
    ax.set_title(title); ax.set_xlabel("year")
axes[0].legend();
""",
    "md:## Reading the differences in plain language\n\n"
    "Every sentence below is computed from the tables above, so it stays true if the model changes; a difference "
    "smaller than the seeds' range is called \"within chance\".",
    """
def compare(a, b, metric, label, unit=""):
    x, y = final.loc[a, metric], final.loc[b, metric]
    noise = max(spread.loc[a, metric], spread.loc[b, metric])
    if abs(y - x) <= noise:
        return f"- {label}: {b} ({y:.2f}{unit}) and {a} ({x:.2f}{unit}) differ by less than the seeds' range ({noise:.2f}): within chance."
    direction = "higher" if y > x else "lower"
    return f"- {label} is {direction} under {b} ({y:.2f}{unit}) than under {a} ({x:.2f}{unit})."

print(compare("committed_us", "abrupt_withdrawal", "mean_spending", "Mean European and Canadian spending", "% of GDP"))
print(compare("committed_us", "abrupt_withdrawal", "cohesion", "Cohesion"))
print(compare("committed_us", "abrupt_withdrawal", "hedging", "The number of hedging allies"))
print(compare("volatile_us", "trump_proofing", "cohesion", "Cohesion against the same erratic US"))
print(compare("volatile_us", "trump_proofing", "hedging", "Hedging against the same erratic US"))
""",
    """
balance = final.loc["abrupt_withdrawal", "mean_spending"] > final.loc["committed_us", "mean_spending"]
split = final.loc["abrupt_withdrawal", "cohesion"] < final.loc["committed_us", "cohesion"]
levers_help = final.loc["trump_proofing", "cohesion"] > final.loc["volatile_us", "cohesion"]
print("When the US withdraws abruptly, allies", "spend more (balancing, Walt)" if balance else
      "spend less (free riding, Olson and Zeckhauser)", "and cohesion", "falls." if split else "holds.")
print("Against the same erratic US, the trump-proofing levers", "raise" if levers_help else "do not raise",
      "cohesion compared with volatile_us.")
""",
    "md:**How to read this.** Balancing (Walt): a weaker guarantee raises threat and the fear of abandonment, so "
    "allies spend more. Free riding (Olson and Zeckhauser): a strong guarantee lets them spend less. Spending more "
    "is not the same as holding together: trust and commitment can fall while budgets rise. Trump-proofing's "
    "levers (coordination, qualified majority, a pillar, partnerships) are judged against `volatile_us`, which has "
    "the same US and none of them; the printed sentences above say which way the model's numbers point.",
])

notebook("03_sweeps_and_sensitivity", [
    "md:# 03 Sweeps and sensitivity: which parameters drive cohesion?\n\n"
    "A small Sobol sweep, run by the batch engine (the same rules as the Mesa model, hundreds of runs at "
    "once), its sensitivity indices, and scenario discovery: which parameter regions lead to fragmentation. "
    "The sizes here are tiny so the notebook runs in seconds; `scenarios/sweeps/sobol_levers.yaml` is the "
    "full study (about 50,000 runs, under a minute on 2 cores with `--backend processes`).",
    """
%matplotlib inline
import tempfile
from pathlib import Path
from IPython.display import Image
from cohesion_sim import load_results, run_sweep
from cohesion_sim.sweeps.analyze import analyze

spec = {
    "title": "Notebook Sobol sweep",
    "description": "An erratic US: its average vacuum, the allies' coordination and how strongly burden gaps breed tension.",
    "base": "volatile_us",
    "parameters": {
        "vacuum.path.level": {"range": [0.0, 0.9]},
        "coordination": {"range": [0.0, 1.0]},
        "grievance_tension": {"range": [0.0, 0.1]},
    },
    "design": {"method": "sobol", "samples": 64, "second_order": False},
    "replicates": 2,
    "seed": 2025,
}
out = Path(tempfile.mkdtemp()) / "sobol"
summary = run_sweep(spec, out=out, progress=False)
print(f"{summary.runs_done} runs in {summary.seconds:.1f} s")
""",
    "md:Every run is a row, with its point, replicate and seed, so any run can be re-run alone in the Mesa model:",
    """
results = load_results(out)
results[["point", "replicate", "seed", "vacuum.path.level", "coordination", "grievance_tension", "cohesion", "mean_spending", "disengaged"]].head()
""",
    """
report = analyze(out, method="sobol")
sobol = report.tables["sobol"]
sobol[sobol.metric.isin(["cohesion", "mean_spending"])].round(3)
""",
    """
figure = next(p for p in report.files if p.suffix == ".png")
Image(filename=str(figure))
""",
    """
for metric in ("cohesion", "mean_spending"):
    rows = sobol[sobol.metric == metric].sort_values("ST", ascending=False)
    top = rows.iloc[0]
    print(f"{metric}: the dominant parameter is {top.parameter} (total-order index {top.ST:.2f}).")
""",
    "md:## Scenario discovery: where does the alliance fragment?\n\n"
    "We call a run *fragmented* if an ally disengaged or the alliance split into blocs, and let PRIM find the "
    "box of parameter values where that happens most.",
    """
from cohesion_sim.sweeps.discovery import prim

fragmented = (results["disengaged"] >= 1) | (results["blocs"] >= 2)
print(f"fragmented in {fragmented.mean():.0%} of runs")
if 0 < fragmented.mean() < 1:
    box, _ = prim(results, ["vacuum.path.level", "coordination", "grievance_tension"], fragmented.to_numpy())
    print("Region:", box.describe())
    print(f"coverage {box.coverage:.0%} (share of fragmented runs inside), density {box.density:.0%} (share fragmented inside)")
""",
    "md:**Reading it.** Sobol's first-order index (S1) is the share of the output's variance a parameter explains "
    "alone; the total index (ST) adds its interactions. With 64 base samples the confidence intervals are wide: "
    "increase `samples` (a power of two) for a real study. Sweeps write Parquet parts under the output folder "
    "and resume after an interruption (`cohesion-sim sweep SPEC --out DIR --resume`).",
])

notebook("04_hindcast_validation", [
    "md:# 04 Hindcast 2014-2024: the model against history\n\n"
    "The hindcast starts from the real 2014 figures (3 allies at 2% of GDP), applies the Wales pledge (2% by "
    "2024), higher US pressure in 2017-2020 and the 2022 invasion, and compares simulated 2024 spending with the "
    "observed figures. This is what `cohesion-sim validate` prints.",
    """
%matplotlib inline
from pathlib import Path
from tempfile import mkdtemp
from IPython.display import Image
from cohesion_sim.validation import run_hindcast
from cohesion_sim.validation.report import validation_figure

hindcast = run_hindcast(range(20))
for name, (met, numbers) in hindcast.targets().items():
    print("PASS" if met else "FAIL", name, "-", numbers)
""",
    """
table = hindcast.per_ally()
table.round(2)
""",
    """
path = validation_figure(hindcast, Path(mkdtemp()) / "hindcast.png")
Image(filename=str(path))
""",
    """
inside = table.inside_90.mean()
worst = (table["median"] - table["observed"]).abs().sort_values(ascending=False).head(5)
print(f"{inside:.0%} of observed values fall inside the simulated 90% interval.")
print("Largest misses (points of GDP):", ", ".join(f"{k} {v:.2f}" for k, v in worst.items()))
""",
    """
laggards = ["ESP", "BEL", "LUX", "CAN", "ITA", "PRT", "SVN"]
over = (table.loc[table.index.intersection(laggards), "median"] - table.loc[table.index.intersection(laggards), "observed"])
print(f"Far-away laggards: simulated minus observed 2024, mean {over.mean():+.2f} points of GDP "
      f"({(over > 0).sum()} of {len(over)} simulated too high).")
print(f"Interval width: mean {(table['p95'] - table['p05']).mean():.2f} points for the 90% interval.")
""",
    "md:**What this shows and what it does not.** The targets above say whether the aggregate pattern holds "
    "(from 3 allies at 2% toward the observed 23, frontline states leading). Per ally, the table and the misses "
    "printed above show where the model errs. Government debt limits how far and fast an ally can rise (fiscal "
    "space), but nothing in the data speaks of domestic politics, so a far-away laggard that held back for "
    "political reasons is simulated too high. These intervals hold one set of constants and the model's own "
    "budget noise only; notebook 06 and `cohesion-sim validate --uncertainty` add what the data leave unsure "
    "about the constants (posterior draws), which widens them.",
])

notebook("05_classroom_exercises", [
    "md:# 05 Classroom exercises\n\n"
    "Three exercises for a policy class. Each has a question, the steps to answer it with the model, and "
    "questions to discuss. Every question asks only for what the tables here show. Change the numbers in the "
    "cells and re-run them. Runs take a fraction of a second.",
    """
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from cohesion_sim import AllianceModel
from cohesion_sim.outputs import agent_table, model_table

def average(scenario, seeds=range(5), **changes):
    \"\"\"Mean final-year metrics over a few seeds, with mean trust in the US across the allies.\"\"\"
    runs = [AllianceModel(scenario, rng=seed, **changes).run() for seed in seeds]
    table = pd.DataFrame([m.metrics for m in runs]).mean(numeric_only=True)
    table["trust_in_us"] = sum(sum(a.us_reliability for a in m.members) / len(m.members) for m in runs) / len(runs)
    return table
""",
    "md:## Exercise 1: Balance or free-ride?\n\n"
    "**Question.** When the US guarantee weakens, do European allies and Canada spend more (balance) or less "
    "(free-ride)?\n\n**Steps.** Run the baseline with a constant vacuum of 0.1, 0.4 and 0.8. Compare mean "
    "spending, trust in the US and allies at 2% in 2035. (Allies *at the guideline* would mislead here: the "
    "Hague pledge raises the guideline to 3.5% in 2025, so that count falls overnight for accounting reasons; "
    "2% is the same yardstick every year.)",
    """
rows = {v: average("baseline", vacuum=v) for v in (0.1, 0.4, 0.8)}
pd.DataFrame(rows).T[["mean_spending", "trust_in_us", "allies_at_2pct", "cohesion", "hedging"]].round(2)
""",
    "md:**Discuss.** Which theory does the result support: Olson and Zeckhauser's free riding, or Walt's balancing? "
    "What happens to trust and cohesion at the same time? Is spending more the same as holding together?",
    "md:## Exercise 2: The declaration-action gap\n\n"
    "**Question.** How far are budgets from the Hague pledge (3.5% core by 2035) along the way?\n\n"
    "**Steps.** Run the baseline, plot the declaration gap (mean shortfall against each ally's path to the "
    "guideline) and list the six allies with armed forces that spend least in 2030 (Iceland has no armed "
    "forces, so it has no defence budget to rank).",
    """
model = AllianceModel("baseline", rng=2).run()
yearly = model_table(model)
plt.plot(yearly.year, yearly.declaration_gap, marker="o"); plt.title("Declaration gap, points of GDP"); plt.show()
armed = {m.iso3 for m in model.members if m.has_armed_forces}
allies = agent_table(model)
in_2030 = allies[(allies.year == 2030) & allies.iso3.isin(armed)]
in_2030.nsmallest(6, "spending")[["iso3", "spending", "commitment", "threat", "status"]].round(2)
""",
    "md:**Discuss.** Why does a pledge pull allies only part of the way? Which allies lag, and what do the table's "
    "columns say they have in common (threat, commitment)? What would close the gap faster: US pressure, peer "
    "pressure, or a nearer deadline? Try `pressure=0.9` or `compliance_margin=0.5` in `AllianceModel`.",
    "md:## Exercise 3: Trump-proofing\n\n"
    "**Question.** Against an erratic US, which lever protects cohesion most: coordination, qualified-majority "
    "voting, or partnerships?\n\n**Steps.** Start from `volatile_us` and switch on one lever at a time. The "
    "last column is the range over the five seeds: a difference smaller than it may be luck.",
    """
levers = {
    "none": {},
    "coordination 0.7": {"coordination": 0.7},
    "qualified majority": {"decision_rule": "qualified_majority"},
    "partnerships 0.6": {"partnerships": 0.6},
    "all (trump_proofing)": {"coordination": 0.7, "decision_rule": "qualified_majority", "partnerships": 0.6, "pillar_coordination": 0.5},
}

def cohesion_range(**changes):
    values = [AllianceModel("volatile_us", rng=seed, **changes).run().metrics["cohesion"] for seed in range(5)]
    return max(values) - min(values)

results = pd.DataFrame({name: average("volatile_us", **changes) for name, changes in levers.items()}).T
results["cohesion_range_over_seeds"] = [cohesion_range(**changes) for changes in levers.values()]
results[["cohesion", "cohesion_range_over_seeds", "mean_spending", "hedging", "disengaged"]].round(3)
""",
    "md:**Discuss.** Which lever matters most here, and is its effect larger than the range over seeds? Why does "
    "the model say so (look at the mechanisms in `docs/ODD.md`, or click an ally in the app)? What does qualified "
    "majority cost the allies who are outvoted? What would you need to believe about the world for the ranking to "
    "change?",
])

notebook("06_calibration", [
    "md:# 06 Calibration and uncertainty\n\n"
    "The behavioural constants (how fast budgets adjust, how much threat raises demand, how strongly a "
    "guideline pulls) are not known. `cohesion-sim calibrate` fits them to the data the package holds (the "
    "2014-2019 spending panel and the 2024 levels) by approximate Bayesian computation (ABC-SMC, pyabc), and "
    "writes a *posterior*: many weighted parameter sets that all reproduce the data about as well. Ensembles "
    "then run each parameter set with its own seed, so their bands show parameter uncertainty as well as "
    "budget noise. See `docs/calibration.md`.\n\n"
    "This notebook reads the posterior that ships with the package, runs a posterior ensemble, checks it "
    "against the 2024 data, and runs a tiny calibration to show the machinery.",
    """
%matplotlib inline
from IPython.display import display
from cohesion_sim.calibration.posterior import load_posterior
from cohesion_sim.calibration.spec import load_calibration_spec, priors

spec = load_calibration_spec("default")
posterior = load_posterior("default")
posterior.summary(priors(spec)).round(3)
""",
    "md:**How to read this table.** `median`, `p05` and `p95` are the posterior median and 90% interval of "
    "each constant; `prior_low`/`prior_high` its documented range. `narrowing` is 1 minus the posterior "
    "interval's width over the prior's: near 0 the data say little about the constant (it stays at its "
    "prior), near 1 they pin it down.",
    """
from cohesion_sim.calibration.plots import marginals
marginals(posterior, priors(spec))  # a matplotlib Figure: the last value of a cell is shown inline
""",
    "md:## Posterior predictive check\n\n"
    "200 hindcasts 2014-2024, each with a posterior draw and its own seed, against the observed figures: "
    "the count of allies at or above 2% each year, and each ally's 2024 level with its 50% and 90% intervals.",
    """
from cohesion_sim.calibration.plots import predictive_check
from cohesion_sim.calibration.predictive import run_predictive

check = run_predictive("default", runs=200, seed=1)
display(predictive_check(check))
check.coverage()
""",
    "md:## An ensemble of a forward scenario\n\n"
    "`run_ensemble` is what `cohesion-sim ensemble` runs: here 100 runs of `gradual_drift`, each with a "
    "posterior draw and its own seed; the fan chart shows the median and the 50% and 90% bands.",
    """
from cohesion_sim.ensemble import run_ensemble
from cohesion_sim.fan_charts import headline_fans

ensemble = run_ensemble("gradual_drift", 100, posterior="default", seed=3, with_blocs=False)
display(headline_fans(ensemble.model, ["cohesion", "cohesion_europe", "mean_spending", "allies_at_2pct"]))
ensemble.runs.head()
""",
    "md:## A tiny calibration\n\n"
    "Two constants, the 2014-2019 panel only, 40 particles and 2 generations: far too small to trust, but it "
    "runs in seconds and shows the API. The full default is `cohesion-sim calibrate --out results/calibration` "
    "(about 12 generations of 400 particles).",
    """
import tempfile
from cohesion_sim.calibration.abc_smc import run_calibration

tiny = {
    "base": "hindcast_2014", "set": {"end_year": 2019},
    "parameters": {"adjustment_speed": {}, "budget_noise": {"range": [0.0, 0.2]}},
    "statistics": {"panel_levels": 1.0, "panel_steps": 1.0, "panel_counts": 1.0},
    "quick": {"population": 40, "generations": 2, "max_simulations": 2000, "min_acceptance": 0.0},
    "chunk_size": 100, "seed": 1,
}
folder = tempfile.mkdtemp()
summary = run_calibration(tiny, folder, quick=True, progress=False, plots=False)
print(summary.simulations, "simulations in", round(summary.seconds, 1), "s")
load_posterior(folder).summary(priors(load_calibration_spec(tiny))).round(3)
""",
])


notebook("07_trump_proofing", [
    "md:# 07 Trump-proofing: which levers keep the alliance together, however the US behaves?\n\n"
    "Nobody knows what the United States will do: withdraw a little or a lot, soon or late, abruptly or "
    "gradually, steadily or erratically. So instead of asking *what will happen*, we ask a decision question "
    "(robust decision making, Lempert et al.; EMA Workbench): **which package of levers does well across many "
    "possible futures**, and where does even the best package fail?\n\n"
    "The levers debated to make NATO \"Trump-proof\" are: more **coordination** and intelligence sharing, "
    "**qualified majority voting** (qmv) instead of consensus, a European **pillar**, and **partnerships** with "
    "non-NATO democracies. This notebook runs a small version of `cohesion-sim levers` (the full one: 16 "
    "packages x 500 futures x 2 replicates, about a minute on two cores).",
    """
%matplotlib inline
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Image, Markdown, display

from cohesion_sim.levers import build_packages, evaluate_levers, sample_futures
from cohesion_sim.levers.spec import FutureRanges
from cohesion_sim.scenario_files import load_scenario
""",
    "md:## 1. The packages\n\nEvery combination of the four levers: 2 x 2 x 2 x 2 = 16 packages, from `none` "
    "(the baseline scenario as it is) to all four. A lever that is off keeps the baseline's value.",
    """
base = load_scenario("baseline")
for package in build_packages(base, start_year=None):
    print(f"{package.name:28s} {package.overrides}")
""",
    "md:## 2. The futures\n\nEach future is a US stance (where the vacuum ends up, when, abruptly or gradually, "
    "how erratically, how hard the US presses laggards) and a threat path. A Latin hypercube spreads the futures "
    "evenly over these ranges; the seed makes the design reproducible. These are *not* forecasts: every future "
    "in the ranges counts the same.",
    """
futures = sample_futures(FutureRanges(), 40, seed=1)
futures[["vacuum_level", "vacuum_year", "vacuum_shape", "volatility", "pressure", "east_threat"]].head().round(2)
""",
    """
fig, ax = plt.subplots(figsize=(6, 3.5))
for shape, marker in (("step", "s"), ("ramp", "o")):
    part = futures[futures.vacuum_shape == shape]
    points = ax.scatter(part.vacuum_year, part.vacuum_level, c=part.volatility, marker=marker, cmap="viridis",
                        vmin=0, vmax=0.3, label=shape)
ax.set_xlabel("year the US gets there"); ax.set_ylabel("vacuum it reaches"); ax.legend(title="shape")
fig.colorbar(points, label="volatility"); plt.show()
""",
    "md:## 3. Run every package in every future\n\nA small design so the notebook runs in seconds: 40 futures, "
    "one run each, 16 x 40 = 640 runs. Every package meets the same random shocks in the same future, so "
    "differences between packages come from the levers, not from luck.",
    """
out = Path(tempfile.mkdtemp()) / "levers"
spec = {"futures": 40, "replicates": 1, "seed": 1, "threshold": 0.7, "chunk_futures": 20}
report = evaluate_levers(spec, out, backend="serial", progress=False)
print(f"{report.run.runs_done} runs in {report.run.seconds:.1f} s")
""",
    "md:## 4. The ranking\n\n* **satisficing**: the share of futures where the package keeps cohesion at or "
    "above 0.7, about where the alliance starts in 2024 (the package *holds*).\n* **regret**: in each future, how much cohesion the package loses "
    "against the best package *in that same future*; we look at the 90th percentile and the maximum.\n"
    "* `_median` and `_p10` / `_p90`: the typical value and the value in the worst tenth of futures.",
    """
columns = ["rank", "package", "satisficing", "regret_p90", "regret_max", "cohesion_median", "cohesion_p10",
           "european_spending_median", "disengaged_p90"]
report.table[columns].round(3)
""",
    "md:Which lever does the work? Compare every pair of packages that differ by one lever only:",
    """
report.effects[["lever", "cohesion_change", "helps_share", "european_spending_change", "declaration_gap_change"]].round(3)
""",
    "md:## 5. Which package holds in which kind of future?\n\nMedian final cohesion by package (rows, ranked) "
    "and kind of future (columns: how far the US withdraws, steadily or erratically).",
    """
display(Image(filename=str(out / "report" / "heatmap.png"), width=800))
""",
    """
display(Image(filename=str(out / "report" / "regret.png"), width=600))
""",
    "md:## 6. Where even the best package fails\n\nIn some futures even the best package may end below 0.7. "
    "If so, scenario discovery (PRIM) looks for a simple box of US behaviour where those failures concentrate. *Coverage*: the "
    "share of all failing futures inside the box. *Density*: the share of futures inside the box that fail. "
    "With no failures there is no box to find: the best package held everywhere in these ranges. "
    "With only 40 futures the box is rough and moves with the seed; trust the 500-future analysis more.",
    """
found = report.discovery
print(f"even the best package fails in {found.share:.0%} of futures")
print("they concentrate", found.sentence)
if found.box is not None:
    print(f"coverage {found.box.coverage:.0%}, density {found.box.density:.0%}")
""",
    "md:## 7. What this supports, and what it does not\n\nThe report ends with its own limits. Read them before "
    "quoting a number.",
    """
limits = report.text.split("## What it does not support")[1]
display(Markdown("### What it does not support" + limits))
""",
    "md:## Exercises\n\n1. **A stricter test.** Re-rank with a threshold of 0.78: `from cohesion_sim.levers import "
    "analyze_levers; analyze_levers(out, threshold=0.78).table`. Does the winner change? Why might a government "
    "care about the threshold more than about the median?\n"
    "2. **Your own package.** Add `\"packages\": {\"max_coordination\": {\"coordination\": 1.0}}` to `spec`, run "
    "into a new folder, and see where it ranks.\n"
    "3. **A harsher world.** Narrow the futures to a US that leaves: `\"ranges\": {\"vacuum_level\": [0.6, 0.9]}`. "
    "Which packages still hold?\n"
    "4. **Discuss.** Find the lever whose effect surprises you most (the `effects` table). Which mechanism in "
    "`docs/ODD.md` produces it? Is that a finding about the world or about the model?",
])
