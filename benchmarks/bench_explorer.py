"""How long one explorer update takes, and what a batch of runs saves.

- one explorer update (rerun the search + redraw + encode the PNG), for the
  chapters' explorers and for a race of four optimizers;
- 10,000 runs x 500 steps on a 2-D landscape as one batch (`runner.run` with
  x0 of shape (10000, 2)) against one run at a time (timed on 200 runs and
  scaled up, and marked so).

Prints figures; asserts nothing (machines are shared and noisy). Run with
`make bench` or `.venv/bin/python benchmarks/bench_explorer.py`.
"""

import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "code"))

import numpy as np  # noqa: E402

from adam import adam  # noqa: E402
from explorers import AdamExplorer, Explorer, StepSizeExplorer  # noqa: E402
from objectives import OBJECTIVES, sphere, sphere_derivative  # noqa: E402
from runner import run  # noqa: E402

REPEATS = 25


def time_updates(explorer, control, values):
    times = []
    for value in values:
        start = time.perf_counter()
        explorer.controls[control].value = value
        times.append(time.perf_counter() - start)
    return times


def report(name, times):
    ms = sorted(t * 1000 for t in times)
    print(f"{name:<48} median {statistics.median(ms):6.1f} ms   p90 {ms[int(0.9 * (len(ms) - 1))]:6.1f} ms")


def main():
    alphas = np.geomspace(0.005, 0.5, REPEATS)
    report("AdamExplorer, sphere, 60 steps", time_updates(AdamExplorer(), "alpha", alphas))
    report("AdamExplorer, sphere, 300 steps", time_updates(AdamExplorer(n_iter=300), "alpha", alphas))
    report("AdamExplorer + gradient descent, 60 steps", time_updates(AdamExplorer(compare_gd=True), "alpha", alphas))
    report("AdamExplorer, rosenbrock, 300 steps",
           time_updates(AdamExplorer("rosenbrock", n_iter=300, start=(-1.5, 2.0)), "alpha", alphas))
    report("StepSizeExplorer, sphere, 30 steps", time_updates(StepSizeExplorer(), "alpha", np.geomspace(0.01, 0.9, REPEATS)))

    x0 = np.array([0.5, -0.5])
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        adam(sphere_derivative, x0, 300, 0.02, 0.8, 0.999, objective=sphere)
        times.append(time.perf_counter() - start)
    report("adam() alone, 300 steps", times)

    racers = ["gradient descent", "momentum", "rmsprop", "adam"]
    race = Explorer(racers, "rosenbrock", sliders=["alpha"], shared=(), values={"n_iter": 300})
    report("race of 4 optimizers, rosenbrock, 300 steps",
           time_updates(race, "adam: alpha", np.geomspace(0.005, 0.5, REPEATS)))

    problem = OBJECTIVES["himmelblau"]
    starts = np.random.default_rng(0).uniform(-5, 5, size=(10_000, 2))
    batch_times = []
    for _ in range(5):
        start = time.perf_counter()
        run("adam", problem.gradient, starts, 500, objective=problem.f, alpha=0.05, keep_path=False)
        batch_times.append(time.perf_counter() - start)
    sample = 200
    start = time.perf_counter()
    for x0 in starts[:sample]:
        run("adam", problem.gradient, x0, 500, objective=problem.f, alpha=0.05, keep_path=False)
    one_by_one = (time.perf_counter() - start) * len(starts) / sample
    batch = statistics.median(batch_times)
    print(f"{'10,000 runs x 500 steps, himmelblau, one batch':<48} median {batch * 1000:6.0f} ms")
    print(f"{'the same one run at a time (200 timed, x50)':<48} ~{one_by_one:8.1f} s   "
          f"(the batch is ~{one_by_one / batch:.0f}x faster)")


if __name__ == "__main__":
    main()
