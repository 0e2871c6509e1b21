"""How fast is one Adam step, measured against the machine's own memory rates.

One Adam step reads x, g, m, v and writes x, m, v: 7 float64 arrays, 56 bytes
per parameter. For large arrays the time to move those bytes is the yardstick,
so beside each time the table prints the bytes per second achieved and its
ratio to two memory rates measured in the same run, before and after the table
(the table uses the median of all those samples), on arrays of 10^7 float64
(80 MB each; with --quick, 4 x 10^6 float64, 32 MB each):

  copy   np.copyto(dst, src), counted as 16 bytes per element (one read, one
         write). A store to a cache line that is not in the cache usually
         reads the line first (write-allocate), so a copy into a separate
         array can move up to 24 bytes per element: the counted rate
         understates the memory, and a step can exceed it.
  add    np.add(a, b, out=a), 24 bytes per element (two reads, one write back
         into an array just read): the access pattern of an in-place Adam
         step, which writes only x, m, v after reading them. The yardstick
         chapter 12 uses.

Variants, measured side by side (interleaved: every repeat runs each variant
once, in a rotating order; the table shows medians over the repeats):

  loop        the article's per-variable loop (x, g NumPy arrays indexed one
              element at a time, m, v Python lists); measured at small N only,
              extrapolated linearly beyond and marked "~"
  adam_step   adam.adam_step as the chapters call it (checks its arguments,
              returns new arrays)
  unchecked   the same five lines without the checks, with NumPy temporaries
  in-place    fast.adam_step_inplace with preallocated scratch buffers
  torch fused torch.optim.Adam(fused=True), float64 on the CPU, when
              `import torch` works (a reference, never a requirement)

Then the per-step cost of the runner adam.adam() on a 2-D problem (300 steps)
and of a batch of 10,000 runs x 500 steps through adam.adam().

Prints; asserts nothing (the machine is shared and noisy: use the medians).

    .venv/bin/python benchmarks/bench_adam.py            # the full table, a few minutes
    .venv/bin/python benchmarks/bench_adam.py --quick    # a fast check, seconds
    .venv/bin/python benchmarks/bench_adam.py --json out.json   # also save the numbers
    python benchmarks/bench_adam.py --torch-threads 1            # torch on one thread (where torch is installed)
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import pathlib
import platform
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "code"))

import numpy as np  # noqa: E402

from adam import adam, adam_step  # noqa: E402
from fast import AdamScratch, adam_step_inplace, check_inplace_args  # noqa: E402
from objectives import sphere, sphere_derivative  # noqa: E402
from optimizers import adam_update  # noqa: E402

try:  # torch is a reference column only, never a requirement
    import torch
except ImportError:  # pragma: no cover - depends on the environment
    torch = None

BYTES_PER_PARAMETER = 56  # read x, g, m, v and write x, m, v: 7 x 8 bytes
SIZES = [2, 1_000, 100_000, 1_000_000, 10_000_000]
ALPHA, BETA1, BETA2, EPS = 0.001, 0.9, 0.999, 1e-8


# --------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------
def machine_description() -> dict:
    model = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count()
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": None if torch is None else torch.__version__,
    }
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
    return info


def copy_samples(n: int, repeats: int) -> list:
    """Bytes per second of each of ``repeats`` np.copyto calls between arrays of n float64 (16 bytes counted)."""
    src = np.random.default_rng(0).random(n)
    dst = np.empty_like(src)
    np.copyto(dst, src)  # touch the pages once
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(dst, src)
        rates.append(16 * n / (time.perf_counter() - start))
    return rates


def add_samples(n: int, repeats: int) -> list:
    """Bytes per second of each of ``repeats`` in-place adds a += b on n float64 (24 bytes: 2 reads, 1 write back)."""
    a = np.random.default_rng(0).random(n)
    b = np.random.default_rng(1).random(n)
    np.add(a, b, out=a)  # touch the pages once
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.add(a, b, out=a)
        rates.append(24 * n / (time.perf_counter() - start))
    return rates


# --------------------------------------------------------------------------
# The variants: each makes its own state and returns a function doing one step
# --------------------------------------------------------------------------
def make_loop(x0, g):
    """The article's loop: x and g NumPy arrays, m and v lists, one variable at a time."""
    x = x0.copy()
    m = [0.0 for _ in range(x.shape[0])]
    v = [0.0 for _ in range(x.shape[0])]
    state = {"t": 0}  # the article's 0-based counter

    def step():
        t = state["t"]
        for i in range(x.shape[0]):
            m[i] = BETA1 * m[i] + (1.0 - BETA1) * g[i]
            v[i] = BETA2 * v[i] + (1.0 - BETA2) * g[i] ** 2
            mhat = m[i] / (1.0 - BETA1 ** (t + 1))
            vhat = v[i] / (1.0 - BETA2 ** (t + 1))
            x[i] = x[i] - ALPHA * mhat / (math.sqrt(vhat) + EPS)
        state["t"] = t + 1

    return step


def make_adam_step(x0, g):
    """adam.adam_step as the chapters call it: checked, new arrays every step."""
    state = {"x": x0.copy(), "m": np.zeros_like(x0), "v": np.zeros_like(x0), "t": 1}

    def step():
        s = state
        s["x"], s["m"], s["v"] = adam_step(s["x"], g, s["m"], s["v"], s["t"], ALPHA, BETA1, BETA2, EPS)
        s["t"] += 1

    return step


def make_unchecked(x0, g):
    """The registry's pure update (optimizers.adam_update): the five lines of Algorithm 1 with
    NumPy temporaries and no checks."""
    state = {"x": x0.copy(), "moments": {"m": np.zeros_like(x0), "v": np.zeros_like(x0)}, "t": 1}

    def step():
        s = state
        s["x"], s["moments"] = adam_update(s["x"], g, s["moments"], s["t"], alpha=ALPHA, beta1=BETA1, beta2=BETA2,
                                           eps=EPS)
        s["t"] += 1

    return step


def make_inplace(x0, g):
    x, m, v = x0.copy(), np.zeros_like(x0), np.zeros_like(x0)
    scratch = AdamScratch(x.shape)
    check_inplace_args(x, g, m, v, 1, ALPHA, BETA1, BETA2, EPS, scratch=scratch)  # once per run
    state = {"t": 1}

    def step():
        adam_step_inplace(x, g, m, v, state["t"], ALPHA, BETA1, BETA2, EPS, scratch=scratch)
        state["t"] += 1

    return step


def make_torch(x0, g):
    p = torch.nn.Parameter(torch.from_numpy(x0.copy()))
    p.grad = torch.from_numpy(g.copy())
    optimizer = torch.optim.Adam([p], lr=ALPHA, betas=(BETA1, BETA2), eps=EPS, fused=True)
    return optimizer.step


def torch_agrees() -> float:
    """Largest |difference| between torch's fused Adam and adam_step after 20 steps (a sanity check)."""
    rng = np.random.default_rng(1)
    x0 = rng.normal(size=1000)
    p = torch.nn.Parameter(torch.from_numpy(x0.copy()))
    optimizer = torch.optim.Adam([p], lr=ALPHA, betas=(BETA1, BETA2), eps=EPS, fused=True)
    x, m, v = x0.copy(), np.zeros_like(x0), np.zeros_like(x0)
    for t in range(1, 21):
        g = rng.normal(size=1000)
        p.grad = torch.from_numpy(g.copy())
        optimizer.step()
        x, m, v = adam_step(x, g, m, v, t, ALPHA, BETA1, BETA2, EPS)
    return float(np.max(np.abs(p.detach().numpy() - x)))


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------
def calibrate(step, target: float) -> int:
    """How many steps make one measurement last about ``target`` seconds."""
    start = time.perf_counter()
    step()
    once = time.perf_counter() - start
    return max(1, int(target / max(once, 1e-7)))


def time_variants(makers: dict, n: int, repeats: int, target: float) -> dict:
    """Median seconds per step of each variant at size n, the variants interleaved."""
    rng = np.random.default_rng(n)
    x0 = rng.normal(size=n)
    g = rng.normal(size=n)
    steps = {name: make(x0, g) for name, make in makers.items()}
    inner = {name: calibrate(step, target) for name, step in steps.items()}
    samples = {name: [] for name in steps}
    names = list(steps)
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate the order
            step, k = steps[name], inner[name]
            start = time.perf_counter()
            for _ in range(k):
                step()
            samples[name].append((time.perf_counter() - start) / k)
    return {name: statistics.median(times) for name, times in samples.items()}


def time_call(call, repeats: int) -> float:
    call()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def lean_run(derivative, x0, n_iter, alpha, beta1, beta2, eps):
    """A sketch of a runner on the fast path: check once, step in place, copy x into a preallocated path."""
    x = np.array(x0, dtype=float)
    m, v = np.zeros_like(x), np.zeros_like(x)
    scratch = AdamScratch(x.shape)
    path = np.empty((n_iter + 1,) + x.shape)
    path[0] = x
    g = np.asarray(derivative(x), dtype=float)
    check_inplace_args(x, g, m, v, 1, alpha, beta1, beta2, eps, scratch=scratch)
    for t in range(1, n_iter + 1):
        if t > 1:
            g = derivative(x)
        adam_step_inplace(x, g, m, v, t, alpha, beta1, beta2, eps, scratch=scratch)
        path[t] = x
    return path


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------
def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats and short measurements: a fast check")
    parser.add_argument("--json", type=pathlib.Path, help="also write the numbers to this JSON file")
    parser.add_argument("--torch-threads", type=int, help="torch.set_num_threads(K) before measuring (default: torch's own)")
    args = parser.parse_args(argv)
    if args.torch_threads is not None and torch is not None:
        torch.set_num_threads(args.torch_threads)

    repeats = 3 if args.quick else 15
    target = 0.003 if args.quick else 0.03  # seconds per measurement
    loop_max = 1_000 if args.quick else 100_000  # the largest N the loop is measured at

    info = machine_description()
    print("Adam step benchmark" + (" (--quick: few repeats, rough numbers)" if args.quick else ""))
    print(f"date      {info['date']}")
    print(f"machine   {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable by this process)")
    print(f"software  Python {info['python']}, NumPy {info['numpy']}, "
          + (f"torch {info['torch']} ({info['torch_threads']} threads)" if torch else "torch not installed (no torch column)"))
    copy_n = 10_000_000 if not args.quick else 4_000_000
    before = copy_samples(copy_n, repeats=repeats * 2)
    add_before = add_samples(copy_n, repeats=repeats * 2)
    print(f"copy bandwidth before the table  {statistics.median(before) / 1e9:.1f} GB/s  (np.copyto of "
          f"{copy_n * 8 / 1e6:.0f} MB, 16 bytes counted per element, median of {len(before)})")
    print(f"add bandwidth before the table   {statistics.median(add_before) / 1e9:.1f} GB/s  (a += b in place, "
          f"24 bytes per element, median of {len(add_before)})")
    print(f"one Adam step moves {BYTES_PER_PARAMETER} bytes per float64 parameter "
          "(reads x, g, m, v; writes x, m, v); medians of "
          f"{repeats} interleaved repeats")

    makers = {"loop": make_loop, "adam_step": make_adam_step, "unchecked": make_unchecked, "in-place": make_inplace}
    if torch is not None:
        makers["torch fused"] = make_torch

    results = {}
    loop_per_element = None
    for n in SIZES:
        chosen = {name: make for name, make in makers.items() if name != "loop" or n <= loop_max}
        medians = time_variants(chosen, n, repeats if n < 10_000_000 else max(3, repeats // 2), target)
        row = {}
        for name in makers:
            if name in medians:
                row[name] = {"seconds": medians[name], "extrapolated": False}
                if name == "loop":
                    loop_per_element = medians[name] / n
            else:
                row[name] = {"seconds": loop_per_element * n, "extrapolated": True}
        results[n] = row

    after = copy_samples(copy_n, repeats=repeats * 2)
    add_after = add_samples(copy_n, repeats=repeats * 2)
    bandwidth = statistics.median(before + after)
    add_bandwidth = statistics.median(add_before + add_after)
    print(f"copy bandwidth after the table   {statistics.median(after) / 1e9:.1f} GB/s; the table uses the median "
          f"of both, {bandwidth / 1e9:.1f} GB/s (the memory is shared: it drifts with the other programs' load)")
    print(f"add bandwidth after the table    {statistics.median(add_after) / 1e9:.1f} GB/s; median of both "
          f"{add_bandwidth / 1e9:.1f} GB/s. A copy also reads the lines it overwrites (write-allocate), "
          "so a step can beat the copy's counted rate\n")

    header = (f"{'N':>10}  {'variant':<12} {'time/step':>11} {'GB/s':>7} {'of copy':>8} {'of add':>7} "
              f"{'vs unchecked':>13}")
    print(header)
    print("-" * len(header))
    for n, row in results.items():
        for name, cell in row.items():
            seconds = cell["seconds"]
            rate = BYTES_PER_PARAMETER * n / seconds
            mark = "~" if cell["extrapolated"] else " "
            speedup = row["unchecked"]["seconds"] / seconds
            print(f"{n:>10,}  {name:<12}{mark}{fmt_time(seconds):>11} {rate / 1e9:7.3g} "
                  f"{rate / bandwidth:8.1%} {rate / add_bandwidth:7.1%} {speedup:12.3g}x")
        print()
    print("~ extrapolated from the loop's time per variable at N = "
          f"{loop_max:,} (too slow to measure; the loop's cost grows linearly with N)")

    n = 100_000
    row = results[n]
    vs_unchecked = row["unchecked"]["seconds"] / row["in-place"]["seconds"]
    vs_loop = row["loop"]["seconds"] / row["in-place"]["seconds"]
    print(f"\ntargets at N = 1e5: in-place is {vs_unchecked:.2g}x the unchecked step (target >= 3x), "
          f"{vs_loop:.3g}x the loop (target >= 100x)"
          + (" [loop extrapolated]" if row["loop"]["extrapolated"] else ""))
    if torch is not None:
        print(f"torch fused vs adam_step after 20 steps: largest |difference in x| = {torch_agrees():.1e}")

    # the runner
    x0 = np.array([0.5, -0.5])
    settings = dict(alpha=0.02, beta1=0.8, beta2=0.999, eps=1e-8)
    run_repeats = 5 if args.quick else 21
    runner = time_call(lambda: adam(sphere_derivative, x0, 300, **settings), run_repeats)
    runner_obj = time_call(lambda: adam(sphere_derivative, x0, 300, objective=sphere, **settings), run_repeats)
    lean = time_call(lambda: lean_run(sphere_derivative, x0, 300, **settings), run_repeats)
    grad = time_call(lambda: [sphere_derivative(x0) for _ in range(300)], run_repeats) / 300
    print("\nthe runner on a 2-D problem (sphere, 300 steps), medians:")
    print(f"  adam.adam(), no objective        {fmt_time(runner):>9} per run, {fmt_time(runner / 300):>9} per step")
    print(f"  adam.adam(), objective=sphere    {fmt_time(runner_obj):>9} per run, {fmt_time(runner_obj / 300):>9} per step")
    print(f"  sketch: check once + in-place    {fmt_time(lean):>9} per run, {fmt_time(lean / 300):>9} per step")
    print(f"  of which the gradient alone                       {fmt_time(grad):>9} per step")
    print(f"  and the in-place step at N = 2                    {fmt_time(results[2]['in-place']['seconds']):>9} per step")

    n_runs, n_steps = 10_000, 500
    xb = np.random.default_rng(0).uniform(-1, 1, size=(n_runs, 2))
    alphas = np.geomspace(1e-3, 0.5, n_runs).reshape(n_runs, 1)
    batch_repeats = 3 if args.quick else 7
    batch = time_call(lambda: adam(sphere_derivative, xb, n_steps, alphas, 0.9, 0.999, 1e-8), batch_repeats)
    batch_lean = time_call(lambda: lean_run(sphere_derivative, xb, n_steps, alphas, 0.9, 0.999, 1e-8), batch_repeats)
    print(f"\na batch of {n_runs:,} runs x {n_steps} steps, x0 of shape {xb.shape}, per-run alpha, medians:")
    print(f"  adam.adam()                      {fmt_time(batch):>9} per batch, {fmt_time(batch / n_steps):>9} per step, "
          f"{fmt_time(batch / n_steps / n_runs):>9} per run-step")
    print(f"  sketch: check once + in-place    {fmt_time(batch_lean):>9} per batch, {fmt_time(batch_lean / n_steps):>9} per step, "
          f"{fmt_time(batch_lean / n_steps / n_runs):>9} per run-step")

    if args.json:
        record = {
            "machine": info,
            "quick": args.quick,
            "repeats": repeats,
            "copy_bandwidth_bytes_per_s": bandwidth,
            "copy_bandwidth_before_after": [statistics.median(before), statistics.median(after)],
            "add_bandwidth_bytes_per_s": add_bandwidth,
            "add_bandwidth_before_after": [statistics.median(add_before), statistics.median(add_after)],
            "bytes_per_parameter": BYTES_PER_PARAMETER,
            "step_seconds": {str(n): row for n, row in results.items()},
            "runner_2d_300_steps_seconds": {"adam": runner, "adam_objective": runner_obj, "lean_sketch": lean},
            "batch_10000x500_seconds": {"adam": batch, "lean_sketch": batch_lean},
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, indent=1) + "\n")
        print(f"\nnumbers written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
