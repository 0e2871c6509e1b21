r"""Noisy gradients, seeded: the stochastic setting Adam was made for, on any test function.

A mini-batch gradient is the full gradient plus noise whose mean is zero. On a
test function we imitate that by adding Gaussian noise to the exact gradient:

.. math:: \tilde g_t = \nabla f(x_{t-1}) + \sigma\, \xi_t, \qquad \xi_t \sim \mathcal N(0, I),

with the :math:`\xi_t` drawn independently at every call.

- :func:`noisy` wraps a derivative into such a noisy one. It draws from
  ``np.random.default_rng(seed)``, created when :func:`noisy` is called, so a
  run is reproducible: build a **fresh** noisy derivative for every run (the
  same one called again goes on with the next draws). Given a list of seeds,
  it serves a batch of runs (one row of ``x`` per seed, each row with its own
  generator), and row ``i`` of the batch sees exactly the noise a single run
  with ``seed=seeds[i]`` sees.
- :func:`replay` feeds a finished run's path back through an optimizer's
  update to recover what the runner does not keep: the gradients used and
  the optimizer's state (Adam's ``m`` and ``v``) after every step.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from optimizers import Optimizer, get_optimizer
from validation import check_array, check_callable, check_int, check_real

__all__ = ["noisy", "replay"]


def _check_seed(seed: Any) -> int | list[int]:
    if isinstance(seed, (list, tuple, np.ndarray)):
        seeds = [check_int("seed", int(s) if isinstance(s, np.integer) else s) for s in seed]
        if not seeds:
            raise ValueError("seed must be an int or a non-empty list of ints (one per run), got an empty list")
        return seeds
    return check_int("seed", seed)


def noisy(derivative: Callable[[np.ndarray], np.ndarray], sigma: Any, seed: Any = 0) -> Callable[[np.ndarray], np.ndarray]:
    r"""A noisy version of ``derivative``: :math:`\tilde g = \nabla f(x) + \sigma \xi`, :math:`\xi \sim \mathcal N(0, I)`.

    Parameters
    ----------
    derivative : callable
        The exact gradient, ``derivative(x)`` of the shape of ``x``.
    sigma : float or array
        The noise's standard deviation, >= 0: a number, or an array that
        broadcasts against the gradient (shape ``(n_runs, 1)`` for one value
        per run of a batch). ``sigma = 0`` returns the exact gradient.
    seed : int or list of int
        An int: one generator ``np.random.default_rng(seed)`` draws the noise
        for whatever shape ``x`` has. A list of ``n_runs`` ints: ``x`` must be
        a batch of shape ``(n_runs, d)`` and row ``i`` draws from its own
        ``np.random.default_rng(seed[i])``, so that it matches a single run
        with that seed, draw for draw.

    Returns
    -------
    callable
        ``g(x)``, which advances its generator(s) at every call. Make a new
        one for every run.

    >>> g = noisy(lambda x: 2 * x, 0.1, seed=0)
    >>> g(np.zeros(2)).shape
    (2,)
    """
    check_callable("derivative", derivative)
    sigma = check_real("sigma", sigma, low=0.0, allow_array=True)
    seeds = _check_seed(seed)
    if isinstance(seeds, list):
        generators = [np.random.default_rng(s) for s in seeds]

        def draw(shape):
            if len(shape) != 2 or shape[0] != len(generators):
                raise ValueError(
                    f"with a list of {len(generators)} seeds, x must be a batch of shape ({len(generators)}, d), "
                    f"one row per seed; got shape {shape}"
                )
            return np.stack([rng.standard_normal(shape[1]) for rng in generators])
    else:
        generator = np.random.default_rng(seeds)

        def draw(shape):
            return generator.standard_normal(shape)

    def noisy_derivative(x: np.ndarray) -> np.ndarray:
        g = np.asarray(derivative(x), dtype=float)
        return g + sigma * draw(g.shape)

    return noisy_derivative


def replay(
    optimizer: str | Optimizer,
    derivative: Callable[[np.ndarray], np.ndarray],
    path: np.ndarray,
    **hyper,
) -> dict[str, np.ndarray]:
    r"""The gradients and optimizer states of a finished run, recomputed along its path.

    ``path`` is a run's ``SearchResult.path`` (``x_0`` first; shape
    ``(n_steps + 1, d)`` or, for a batch, ``(n_steps + 1, n_runs, d)``) and
    ``derivative`` a derivative that gives the same gradients the run got: the
    exact one, or a **fresh** :func:`noisy` derivative built with the run's
    sigma and seed. For :math:`t = 1, \dots, n`, it computes
    :math:`g_t` = ``derivative(path[t-1])`` and applies ``optimizer.update``
    with the same hyperparameters, and checks that the step lands on
    ``path[t]`` (else the gradients were not the run's: a ``ValueError``).

    Returns a dict of arrays with one entry per step (index ``t - 1``):
    ``"t"`` (1..n), ``"g"`` and every state array after step t (``"m"``,
    ``"v"`` for Adam), each of shape ``(n, *x.shape)``.
    A diverged run (``nan`` in its path) cannot be replayed.
    """
    optimizer = get_optimizer(optimizer)
    check_callable("derivative", derivative)
    path = check_array("path", path)
    if path.ndim not in (2, 3) or path.shape[0] < 2:
        raise ValueError(
            f"path must hold x0 and at least one step, shape (n_steps + 1, d) or (n_steps + 1, n_runs, d); "
            f"got shape {path.shape}"
        )
    values = optimizer.check(path.shape[1:], **hyper)
    state = optimizer.init(path[0])
    out: dict[str, list] = {"g": [], **{name: [] for name in optimizer.state_names}}
    for t in range(1, path.shape[0]):
        g = np.asarray(derivative(path[t - 1].copy()), dtype=float)
        x, state = optimizer.update(path[t - 1], g, state, t, **values)
        if not np.allclose(x, path[t], rtol=1e-12, atol=1e-15):
            raise ValueError(
                f"the replayed step {t} does not land on path[{t}]: derivative does not give the run's gradients "
                f"(build a fresh noisy derivative with the run's sigma and seed) or the hyperparameters differ"
            )
        out["g"].append(g)
        for name in optimizer.state_names:
            out[name].append(state[name])
    result = {key: np.array(value) for key, value in out.items()}
    result["t"] = np.arange(1, path.shape[0])
    return result
