r"""One runner for every optimizer: :func:`run`.

``run(optimizer, derivative, x0, n_iter, objective=..., **hyperparameters)``
checks its arguments once, then calls the optimizer's update ``n_iter`` times
and returns a :class:`SearchResult`.

**One run or a batch.** ``x0`` of shape ``(d,)`` is one run; ``x0`` of shape
``(n_runs, d)`` is a batch of independent runs, one per row, whose
hyperparameters may be arrays of shape ``(n_runs, 1)`` (one value per run).
A batch costs about as much Python time as one run, which is what makes
sweeps over thousands of settings cheap.

**Divergence, run by run.** A run whose gradient, iterate, score or optimizer
state (such as Adam's ``v``) stops being finite, or whose iterate has a coordinate larger than ``max_norm`` in
absolute value, is stopped: it keeps its last good iterate, is flagged, and
gets a message naming the step and the reason. In a batch the other runs go
on; the stopped run's path and scores hold ``nan`` after its last good step.
We chose a flagged result over an exception so that a chapter or an explorer
can show a diverging run.

**Memory.** ``keep_path=True`` keeps every iterate (and score);
``keep_path=False`` keeps only the final point and score (and, with ``tol``,
the first step at which each run's score was at most ``tol``), so that a
sweep of thousands of runs over many steps stays small. A path too large for
this machine's memory is refused with a clear error before anything runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

import numpy as np

from fast import AdamScratch, adam_step_inplace
from optimizers import Optimizer, adam_update, get_optimizer
from validation import check_array, check_callable, check_int, check_real

__all__ = ["SearchResult", "run", "format_step", "path_memory_limit", "FAST_PATH_SIZE"]

#: Adam on at least this many numbers (one large point, or a batch) steps in place.
FAST_PATH_SIZE = 4096

Function = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class SearchResult:
    """The outcome of :func:`run` (one run, or a batch of runs).

    Attributes
    ----------
    path : ndarray or None
        Every iterate, ``path[0]`` being ``x0`` and ``path[t]`` the point after
        step ``t``: shape ``(n_steps + 1, d)`` for one run (a diverged run's
        path ends at its last good iterate), ``(n_iter + 1, n_runs, d)`` for a
        batch (``nan`` after a run stopped). None with ``keep_path=False``.
    scores : ndarray or None
        ``objective(path[t])`` for every ``t`` (shape ``(n_steps + 1,)`` or
        ``(n_iter + 1, n_runs)``), when an objective was given and the path kept.
    diverged : bool or ndarray of bool
        Whether the run stopped early; one flag per run for a batch.
    message : str
        What happened, in words: for a diverged run, at which step and why;
        for a batch, how many runs diverged.
    x : ndarray
        The last good iterate (of every run).
    score : float, ndarray or None
        The objective there, or None without an objective.
    n_steps : int or ndarray of int
        How many updates each run made before it finished or stopped.
    messages : tuple of str
        One message per run (one entry for a single run).
    steps_to_tol : int, ndarray or None
        With ``tol``: the first step ``t`` at which the score was <= ``tol``
        (0 if the start already was), or -1 if it never was.
    """

    path: np.ndarray | None
    scores: np.ndarray | None
    diverged: bool | np.ndarray
    message: str
    x: np.ndarray
    score: float | np.ndarray | None
    n_steps: int | np.ndarray
    messages: tuple[str, ...]
    steps_to_tol: int | np.ndarray | None = None

    @property
    def is_batch(self) -> bool:
        """True for a batch of runs."""
        return self.x.ndim == 2

    @property
    def n_runs(self) -> int:
        """How many runs (1 for a single run)."""
        return self.x.shape[0] if self.is_batch else 1

    def run(self, i: int) -> "SearchResult":
        """Run ``i`` of a batch as a single-run result (its path cut at its last good step)."""
        if not self.is_batch:
            raise ValueError("run(i) picks one run out of a batch; this result is a single run")
        i = check_int("i", i, low=0)
        if i >= self.n_runs:
            raise ValueError(f"i must be below the number of runs {self.n_runs}, got {i}")
        n = int(self.n_steps[i])
        return SearchResult(
            path=None if self.path is None else self.path[: n + 1, i].copy(),
            scores=None if self.scores is None else self.scores[: n + 1, i].copy(),
            diverged=bool(self.diverged[i]),
            message=self.messages[i],
            x=self.x[i].copy(),
            score=None if self.score is None else float(self.score[i]),
            n_steps=n,
            messages=(self.messages[i],),
            steps_to_tol=None if self.steps_to_tol is None else int(self.steps_to_tol[i]),
        )


def format_step(t: int, x: np.ndarray, score: float | None) -> str:
    """One progress line in the article's format, ``>t f([x y]) = score``.

    ``t`` is the article's 0-based loop counter (our step ``t + 1``).
    """
    if score is None:
        return ">%d x = %s" % (t, x)
    return ">%d f(%s) = %.5f" % (t, x, score)


def path_memory_limit() -> int:
    """The most bytes a kept path may take: half of this machine's physical memory."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):  # not a POSIX system
        return 4 * 2**30


def _check_memory(n_iter: int, x0: np.ndarray, n_runs: int, with_scores: bool) -> None:
    needed = (n_iter + 1) * (x0.size + (n_runs if with_scores else 0)) * 8
    limit = path_memory_limit()
    if needed > limit:
        raise ValueError(
            f"keeping the path of {n_iter} steps of {x0.size} numbers needs {needed / 2**30:.3g} GiB, more "
            f"than the {limit / 2**30:.3g} GiB allowed (half this machine's memory); pass keep_path=False "
            f"to keep only the final point and score, or run fewer steps"
        )


_REASONS = (
    "the gradient is not finite (nan or inf)",
    "the iterate is not finite",
    None,  # |x| exceeds max_norm: the message shows the size
    "the objective is not finite",
    "the optimizer's state is not finite (a gradient too large to square, for instance)",
)


def _read_only(x: np.ndarray) -> np.ndarray:
    """``x`` made read-only (a view of it when it must stay writable for the in-place path)."""
    view = x.view()
    view.flags.writeable = False
    return view


def _call(name: str, function: Function, x: np.ndarray, t: int) -> np.ndarray:
    """``function(x)`` as a float array, with a clear error for what cannot be one.

    ``x`` must be read-only (the caller's job): a derivative that wrote into it
    (``x *= 2``) would silently move the iterate and give a wrong path, so it
    gets an error instead. Float results, the common case, pass with one check.
    """
    try:
        raw = np.asarray(function(x))
    except ValueError as exc:
        if "read-only" in str(exc):
            raise ValueError(
                f"{name} must not change its argument x (the runner keeps the iterates): "
                f"compute a new array, as in 2 * x, instead of changing x in place, as in x *= 2"
            ) from exc
        raise
    if raw.dtype.kind == "f":
        return raw if raw.dtype == np.float64 else raw.astype(float)
    where = "at the start" if t == 0 else f"at step {t}"
    if raw.dtype.kind in "iub":
        return raw.astype(float)
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} returned complex numbers {where}; it must return real numbers")
    if raw.dtype.kind == "O" and raw.ndim == 0 and raw.item() is None:
        raise TypeError(f"{name} returned None {where}; it must return numbers (is a return statement missing?)")
    try:
        return raw.astype(float)
    except (TypeError, ValueError):
        kind = {"U": "str", "S": "bytes", "O": "objects"}.get(raw.dtype.kind, str(raw.dtype))
        raise TypeError(f"{name} must return real numbers, returned {kind} {where}") from None


def _freeze(active, x, state, score, new_x, new_state, new_score):
    """The new iterate, state and score, with the rows of stopped runs put back to their old values."""
    keep = active[:, None]
    new_x = np.where(keep, new_x, x)
    new_state = {k: np.where(keep, new_state[k], state[k]) for k in state}
    if new_score is not None:
        new_score = np.where(active, new_score, score)
    return new_x, new_state, new_score


def run(
    optimizer: str | Optimizer,
    derivative: Function,
    x0: np.ndarray,
    n_iter: int,
    *,
    objective: Function | None = None,
    keep_path: bool = True,
    max_norm: float = 1e10,
    tol: float | None = None,
    verbose: bool = False,
    **hyperparameters,
) -> SearchResult:
    r"""Run any optimizer of :data:`optimizers.OPTIMIZERS` from ``x0`` for ``n_iter`` steps.

    Parameters
    ----------
    optimizer : str or Optimizer
        A name in :data:`optimizers.OPTIMIZERS` (``"adam"``, ``"momentum"``,
        ...) or an :class:`optimizers.Optimizer`.
    derivative : callable
        ``derivative(x)`` returns the gradient at ``x``, an array of the shape
        of ``x`` (for a batch, one gradient per row).
    x0 : array
        The start: one point of shape ``(d,)``, or a batch of shape ``(n_runs, d)``.
    n_iter : int
        How many steps, >= 0. The step number ``t`` runs from 1 to ``n_iter``.
    objective : callable, optional
        ``objective(x)`` gives the score of every iterate (one number per run).
    keep_path : bool
        Keep every iterate and score (True), or only the final ones (False).
    max_norm : float
        A run with a coordinate larger than this in absolute value is stopped.
    tol : float, optional
        With an objective: record, per run, the first step whose score is <= ``tol``.
    verbose : bool
        Print one line per step in the article's format (one run only), and
        for a batch, one line per diverged run.
    **hyperparameters
        The optimizer's hyperparameters (see ``optimizer.hyperparameters``);
        those not given take their defaults. Numbers, or arrays of shape
        ``(n_runs, 1)`` for a batch.

    Returns
    -------
    SearchResult

    Raises
    ------
    TypeError, ValueError
        For a wrong argument, an unknown hyperparameter or a value outside its
        range, naming what is allowed; for a path too large to keep.

    Examples
    --------
    >>> import numpy as np
    >>> result = run("momentum", lambda x: 2 * x, np.array([1.0, -0.5]), 3, alpha=0.1, mu=0.5)
    >>> result.path.shape, bool(result.diverged)
    ((4, 2), False)
    """
    optimizer = get_optimizer(optimizer)
    check_callable("derivative", derivative)
    if objective is not None:
        check_callable("objective", objective)
    x0 = check_array("x0", x0)
    if x0.ndim not in (1, 2) or x0.size == 0:
        raise ValueError(
            f"x0 must be one point of shape (d,) or a batch of runs of shape (n_runs, d), got shape {x0.shape}"
        )
    n_iter = check_int("n_iter", n_iter, low=0)
    max_norm = check_real("max_norm", max_norm, low=0.0, low_inclusive=False)
    if tol is not None:
        if objective is None:
            raise ValueError("tol needs an objective: steps to reach tol are measured on its scores")
        tol = check_real("tol", tol)
    if not isinstance(keep_path, bool) or not isinstance(verbose, bool):
        raise TypeError("keep_path and verbose must be True or False")
    hyper = optimizer.check(x0.shape, **hyperparameters)
    batch = x0.ndim == 2
    n_runs = x0.shape[0] if batch else 1
    if keep_path:
        _check_memory(n_iter, x0, n_runs, objective is not None)

    def score_of(x, t):
        s = _call("objective", objective, x, t)
        if s.shape != ((n_runs,) if batch else ()):
            raise ValueError(
                f"objective must return one number per run, shape {(n_runs,) if batch else ()}, got shape {s.shape}"
            )
        return s

    x = x0.copy()
    state = optimizer.init(x0)
    with np.errstate(all="ignore"):  # a start where the function is undefined gets the error below
        score = None if objective is None else score_of(_read_only(x), 0)
    if score is not None and not np.all(np.isfinite(score)):
        runs = "" if not batch else f" for runs {np.flatnonzero(~np.isfinite(score)).tolist()[:10]}"
        raise ValueError(f"objective(x0) must be finite, got {score if not batch else 'nan or inf'}{runs}: "
                         f"start where the function is defined")
    if keep_path:
        path = np.full((n_iter + 1, *x0.shape), np.nan)
        path[0] = x
        scores = None if objective is None else np.full((n_iter + 1, *np.shape(score)), np.nan)
        if scores is not None:
            scores[0] = score
    active = np.ones(n_runs, dtype=bool)
    n_steps = np.full(n_runs, n_iter)
    reasons: list[str | None] = [None] * n_runs
    hit = None
    if tol is not None:
        hit = np.where(np.atleast_1d(score) <= tol, 0, -1)
    last = n_iter

    # The fast path (issue: speed): Adam on a large problem or batch steps in place
    # (fast.adam_step_inplace, equal to adam_update to the last bit), keeping only the
    # previous iterate, so that a run that diverges still stops at its last good point.
    inplace = optimizer.update is adam_update and x0.size >= FAST_PATH_SIZE and np.ndim(hyper["eps"]) == 0
    if inplace:
        scratch, x_prev = AdamScratch(x.shape), np.empty_like(x)

    with np.errstate(all="ignore"):  # a diverging run is reported, not warned about
        for t in range(1, n_iter + 1):
            # the learner's functions get x read-only (the in-place path's buffer through a view)
            if not inplace:
                x.flags.writeable = False
            g = _call("derivative", derivative, x if not inplace else _read_only(x), t)
            if g.shape != x.shape:
                raise ValueError(
                    f"derivative must return an array of the shape of x {x.shape}, returned shape {g.shape} at step {t}"
                )
            stopped = batch and not active.all()
            if stopped:  # a stopped run steps with a zero gradient, and its result is thrown away below
                g = np.where(active[:, None], g, 0.0)
            if inplace:
                np.copyto(x_prev, x)
                adam_step_inplace(x, np.ascontiguousarray(g), state["m"], state["v"], t, scratch=scratch, **hyper)
                new_x, new_state, x = x, state, x_prev  # x: the iterate before this step
            else:
                new_x, new_state = optimizer.update(x, g, state, t, **hyper)
                new_x.flags.writeable = False
            new_score = None if objective is None else score_of(new_x if not inplace else _read_only(new_x), t)
            if stopped:  # stopped runs keep their last good values (so the probe below only sees live runs)
                new_x, new_state, new_score = _freeze(active, x, state, score, new_x, new_state, new_score)
            # One cheap probe per step, over the whole array at once (sums and maxima along a
            # short last axis are slow): 0 * (a sum) is nan when the sum holds an inf or a nan
            # (or overflows); only then, or past max_norm, are the runs examined one by one.
            probe = float(g.sum()) + sum([float(array.sum()) for array in new_state.values()])
            if new_score is not None:
                probe += float(new_score.sum())
            healthy = float(np.abs(new_x).max()) + 0.0 * probe <= max_norm
            if not healthy:
                size = np.abs(new_x).max(axis=-1)
                bad = [
                    ~np.all(np.isfinite(g), axis=-1),
                    ~np.isfinite(size),
                    size > max_norm,
                    np.zeros(np.shape(size), bool) if new_score is None else ~np.isfinite(new_score),
                    np.logical_or.reduce([~np.all(np.isfinite(a), axis=-1) for a in new_state.values()])
                    if new_state else np.zeros(np.shape(size), bool),
                ]
                any_bad = np.atleast_1d(np.logical_or.reduce(bad)) & active
                for i in np.flatnonzero(any_bad):
                    kind = next(k for k, b in enumerate(bad) if np.atleast_1d(b)[i])
                    detail = _REASONS[kind] or (
                        f"|x| = {np.atleast_1d(size)[i]:.3g} exceeds max_norm = {max_norm:.3g}"
                    )
                    reasons[i] = f"diverged at step {t}: {detail}"
                    n_steps[i] = t - 1
                    if verbose and batch:
                        print(f"run {i} {reasons[i]}; it stopped there.")
                active &= ~any_bad
                if not batch and not active[0]:
                    last = t - 1
                    break
                if batch:  # the runs stopped at this step keep their last good values
                    new_x, new_state, new_score = _freeze(active, x, state, score, new_x, new_state, new_score)
                    if inplace:  # in place, their old moments are gone: zeros keep the probe finite
                        for array in new_state.values():  # (a stopped run's state is never reported)
                            array[~active] = 0.0
            if inplace:
                x_prev = x  # the buffer that held the previous iterate is free for the next step
            x, state, score = new_x, new_state, new_score
            if keep_path:
                path[t] = x
                if scores is not None:
                    scores[t] = score
                if batch and not active.all():
                    path[t, ~active] = np.nan
                    if scores is not None:
                        scores[t, ~active] = np.nan
            if hit is not None:
                hit = np.where((hit < 0) & active & (np.atleast_1d(score) <= tol), t, hit)
            if verbose and not batch:
                print(format_step(t - 1, x, score))
            if batch and not active.any():
                last = t
                break

    diverged = ~active
    messages = tuple(reasons[i] or f"finished {n_iter} steps" for i in range(n_runs))
    if batch:
        count = int(diverged.sum())
        message = f"finished {n_iter} steps: all {n_runs} runs ran every step"
        if count:
            first = int(np.flatnonzero(diverged)[0])
            message = (
                f"{count} of {n_runs} runs diverged (run {first} {messages[first]}); "
                f"the other {n_runs - count} ran all {n_iter} steps"
                if count < n_runs
                else f"all {n_runs} runs diverged (run {first} {messages[first]})"
            )
    else:
        message = messages[0]
        if verbose and diverged[0]:
            print(message.capitalize() + "; the run stopped there.")
    if keep_path and not batch:
        path = path[: last + 1]
        if scores is not None:
            scores = scores[: last + 1]
    x = x if x.flags.writeable else x.copy()  # the caller's to use as it likes
    return SearchResult(
        path=path if keep_path else None,
        scores=scores if keep_path else None,
        diverged=diverged if batch else bool(diverged[0]),
        message=message,
        x=x,
        score=score if (score is None or batch) else float(score),
        n_steps=n_steps if batch else int(n_steps[0]),
        messages=messages,
        steps_to_tol=None if hit is None else (hit if batch else int(hit[0])),
    )
