"""How long one explorer update takes (rerun the search + redraw + encode the PNG).

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
from explorers import AdamExplorer, StepSizeExplorer  # noqa: E402
from objectives import sphere, sphere_derivative  # noqa: E402

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


if __name__ == "__main__":
    main()
