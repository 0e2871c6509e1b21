"""Training on the breast-cancer data: how long one run takes, and four optimizers on one budget.

Prints figures; asserts nothing (machines are shared and noisy). Run with
`.venv/bin/python benchmarks/bench_learning.py` (needs scikit-learn for the data).

Part 1 times one training run of the one-hidden-layer net (16 tanh units,
20 epochs, mini-batches of 32, Adam), held-out evaluation after every epoch
included.

Part 2 compares full-batch gradient descent, mini-batch SGD, SGD with momentum
and mini-batch Adam on the same budget of gradient evaluations (n_epochs
passes over the 427 training examples, so the same number of example
gradients for every method). For each method and budget the step size alpha
is tuned on a log grid by the median final TRAINING loss over three tuning
seeds (100, 101, 102), never on held-out data; the table then reports five
other seeds (0..4; each seed sets the initial weights and the shuffling; the
train/held-out split is the same, load_data(seed=0)).
"""

import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "code"))

import numpy as np  # noqa: E402

from learning import OneHiddenLayerNet, load_data, train  # noqa: E402
from optimizers import get_optimizer  # noqa: E402

N_HIDDEN = 16
BATCH = 32
ALPHAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
TUNING_SEEDS = [100, 101, 102]
SEEDS = [0, 1, 2, 3, 4]
# (epochs = passes over the training set, weight decay lambda of the L2 term)
SETTINGS = [(5, 0.0), (20, 0.0), (80, 0.0), (20, 0.01)]

# name -> (an optimizer of the course's protocol, batch size or None for the whole training
# set). The steps are optimizers.py's updates, with every hyperparameter but alpha at its
# default (momentum mu = 0.9; Adam beta1 = 0.9, beta2 = 0.999, eps = 1e-8).
METHODS = {
    "full-batch GD": ("gradient descent", None),
    f"mini-batch SGD (B={BATCH})": ("gradient descent", BATCH),
    f"SGD + momentum 0.9 (B={BATCH})": ("momentum", BATCH),
    f"mini-batch Adam (B={BATCH})": ("adam", BATCH),
}


def run(data, method, alpha, seed, n_epochs, progress=None, weight_decay=0.0):
    name, batch = METHODS[method]
    optimizer = get_optimizer(name)
    hyper = {**optimizer.defaults, "alpha": alpha}
    model = OneHiddenLayerNet(n_hidden=N_HIDDEN, weight_decay=weight_decay)
    x0 = model.init_params(data.n_features, seed=seed)
    return train(
        lambda x, g, s, t: optimizer.update(x, g, s, t, **hyper),
        optimizer.init,
        x0,
        data.X_train,
        data.y_train,
        model=model,
        batch_size=batch or len(data.y_train),
        n_epochs=n_epochs,
        seed=seed,
        X_test=data.X_test,
        y_test=data.y_test,
        progress=progress,
    )


def timing(data):
    print("Part 1: one training run (16 hidden units, 20 epochs, B=32, Adam alpha=0.01)")
    for label, progress in (("without progress", None), ("with a progress callback", lambda e, n, m: None)):
        times = []
        for _ in range(10):
            start = time.perf_counter()
            result = run(data, f"mini-batch Adam (B={BATCH})", 0.01, 0, 20, progress)
            times.append(time.perf_counter() - start)
        ms = sorted(1000 * t for t in times)
        print(f"  {label:<26} median {statistics.median(ms):6.1f} ms, max {ms[-1]:6.1f} ms "
              f"({result.n_steps} steps, {result.examples} example-gradients)")
    start = time.perf_counter()
    result = run(data, "full-batch GD", 0.3, 0, 20)
    print(f"  full-batch GD, 20 epochs: {1000 * (time.perf_counter() - start):6.1f} ms ({result.n_steps} steps)")


def compare(data):
    print("\nPart 2: the same budget of gradient evaluations, 16 hidden units")
    for n_epochs, weight_decay in SETTINGS:
        print(f"\nBudget: {n_epochs} epochs = {n_epochs * len(data.y_train)} example-gradients, "
              f"weight decay {weight_decay} (training loss includes the L2 term; held-out loss does not)")
        print("  alpha grid, median final training loss over the tuning seeds (x = a run diverged):")
        chosen = {}
        for method in METHODS:
            scores = []
            for alpha in ALPHAS:
                runs = [run(data, method, alpha, s, n_epochs, weight_decay=weight_decay) for s in TUNING_SEEDS]
                score = np.inf if any(r.diverged for r in runs) else statistics.median(r.train_loss[-1] for r in runs)
                scores.append(score)
            chosen[method] = ALPHAS[int(np.argmin(scores))]
            cells = " ".join(f"{'x':>7}" if not np.isfinite(s) else f"{s:7.4f}" for s in scores)
            print(f"    {method:<32} {cells}   -> alpha = {chosen[method]}")
        print("    (alphas: " + ", ".join(str(a) for a in ALPHAS) + ")")
        print(f"  {len(SEEDS)} seeds: median [min, max]")
        print(f"    {'method':<32} {'alpha':>6} {'steps':>6}  {'train loss':<26} {'held-out loss':<26} "
              f"{'train acc':<24} {'held-out acc':<24}")
        for method in METHODS:
            runs = [run(data, method, chosen[method], s, n_epochs, weight_decay=weight_decay) for s in SEEDS]
            assert not any(r.diverged for r in runs), method

            def cell(values, fmt):
                values = list(values)
                return f"{statistics.median(values):{fmt}} [{min(values):{fmt}}, {max(values):{fmt}}]"

            print(f"    {method:<32} {chosen[method]:>6} {runs[0].n_steps:>6}  "
                  f"{cell((r.train_loss[-1] for r in runs), '.4f'):<26} "
                  f"{cell((r.test_loss[-1] for r in runs), '.4f'):<26} "
                  f"{cell((r.train_accuracy[-1] for r in runs), '.3f'):<24} "
                  f"{cell((r.test_accuracy[-1] for r in runs), '.3f'):<24}")


def main():
    data = load_data(seed=0)
    print(f"data: {data.X_train.shape[0]} training, {data.X_test.shape[0]} held-out examples, "
          f"{data.n_features} features")
    timing(data)
    compare(data)


if __name__ == "__main__":
    main()
