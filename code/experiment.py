"""The article's experiment: Adam on x**2 + y**2, seeded exactly as the article.

The article draws its start with NumPy's legacy generator, ``seed(1)`` then
``rand(2)``, mapped onto the bounds [-1, 1] x [-1, 1]. :func:`random_start`
draws the same numbers from a private ``RandomState``, so it gives the
article's start without touching NumPy's global random state.
"""

from __future__ import annotations

import numpy as np

from adam import SearchResult, adam
from objectives import sphere, sphere_derivative
from validation import check_bounds, check_int

__all__ = [
    "ARTICLE_BOUNDS",
    "ARTICLE_SEED",
    "ARTICLE_SETTINGS",
    "ARTICLE_START",
    "random_start",
    "run_article_experiment",
]

#: The search box of the article: one [low, high] row per variable.
ARTICLE_BOUNDS = np.array([[-1.0, 1.0], [-1.0, 1.0]])
#: The seed the article passes to ``numpy.random.seed``.
ARTICLE_SEED = 1
#: The article's hyperparameters, "found by a little trial and error".
ARTICLE_SETTINGS = {"n_iter": 60, "alpha": 0.02, "beta1": 0.8, "beta2": 0.999, "eps": 1e-8}


def random_start(bounds: np.ndarray = ARTICLE_BOUNDS, seed: int = ARTICLE_SEED) -> np.ndarray:
    """A uniform random point in ``bounds``, drawn as the article draws it.

    ``low + rand(d) * (high - low)`` with ``RandomState(seed)``: for
    ``seed=1`` this is the article's start.
    """
    bounds = check_bounds(bounds)
    seed = check_int("seed", seed, low=0)
    rand = np.random.RandomState(seed).rand(len(bounds))
    return bounds[:, 0] + rand * (bounds[:, 1] - bounds[:, 0])


#: The article's start point, ``random_start(ARTICLE_BOUNDS, ARTICLE_SEED)``.
ARTICLE_START = random_start()


def run_article_experiment(verbose: bool = True) -> SearchResult:
    """Rerun the article's search and, with ``verbose``, print what it printed.

    One line ``>t f([x y]) = score`` per step (t from 0, as in the article),
    then ``Done!`` and the final ``f([x y]) = score`` line.
    """
    x0 = ARTICLE_START.copy()
    result = adam(sphere_derivative, x0, objective=sphere, verbose=verbose, **ARTICLE_SETTINGS)
    if verbose:
        print("Done!")
        print("f(%s) = %f" % (result.x, result.score))
    return result
