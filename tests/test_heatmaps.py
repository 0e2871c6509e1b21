"""Sensitivity grids: each cell is the median over starts of single runs; bad axes are refused clearly."""

import matplotlib

matplotlib.use("Agg")

import base64
import re

import numpy as np
import pytest

from heatmaps import AXIS_VALUES, LANDSCAPES, axis_scale, fraction_within, sensitivity_grid
from objectives import OBJECTIVES
from optimizers import OPTIMIZERS
from runner import run

STARTS = np.array([[-0.9, 0.6], [0.3, -0.8], [0.7, 0.7]])
ALPHAS = np.array([0.001, 0.02, 0.3])
BETA1S = np.array([0.0, 0.8, 0.9, 0.99])


@pytest.fixture(scope="module")
def grid():
    return sensitivity_grid("rosenbrock", "adam", {"alpha": ALPHAS, "beta1": BETA1S}, fixed={"beta2": 0.99},
                            starts=STARTS, n_iter=150, tol=1e-2)


@pytest.mark.parametrize("row,col", [(0, 0), (1, 1), (2, 2), (3, 0), (0, 2)])
def test_each_cell_equals_single_runs_and_their_median(grid, row, col):
    problem = OBJECTIVES["rosenbrock"]
    finals, steps = [], []
    for start in STARTS:
        single = run("adam", problem.gradient, start, 150, objective=problem.f, alpha=ALPHAS[col],
                     beta1=BETA1S[row], beta2=0.99, tol=1e-2)
        finals.append(np.inf if single.diverged else single.score)
        steps.append(np.inf if single.steps_to_tol < 0 else single.steps_to_tol)
    assert np.allclose(grid.final_runs[row, col], finals, rtol=1e-12, atol=0)
    assert np.array_equal(grid.steps_runs[row, col], steps)
    # the median of three values is the middle one, by sorting
    assert grid.final[row, col] == sorted(finals)[1]
    assert grid.steps[row, col] == sorted(steps)[1]


def test_axes_layout_columns_first_rows_second(grid):
    assert grid.names == ("alpha", "beta1")
    assert grid.final.shape == (len(BETA1S), len(ALPHAS))
    assert grid.final_runs.shape == (len(BETA1S), len(ALPHAS), len(STARTS))
    assert grid.scales == ("log", "memory")
    assert grid.cell(alpha=0.021, beta1=0.85) == (1, 1) or grid.cell(alpha=0.021, beta1=0.85) == (2, 1)
    assert grid.cell(alpha=0.001, beta1=0.99) == (3, 0)


def test_the_median_is_over_starts_not_the_mean():
    # one start at the minimum and two far away: the median is a far one's loss, the mean is not
    starts = np.array([[1.0, 1.0], [-1.5, 2.0], [-1.2, 2.5]])
    g = sensitivity_grid("rosenbrock", "adam", {"alpha": np.array([1e-4]), "beta1": np.array([0.9])},
                         starts=starts, n_iter=5)
    per_start = g.final_runs[0, 0]
    assert per_start[0] == 0.0
    assert g.final[0, 0] == np.sort(per_start)[1] != per_start.mean()


def test_a_diverged_run_counts_as_infinite_loss():
    g = sensitivity_grid("sphere", "momentum", {"alpha": np.array([0.01, 5.0]), "mu": np.array([0.5])},
                         starts=STARTS, n_iter=60, tol=1e-3)
    assert np.all(np.isinf(g.final_runs[0, 1])) and np.isinf(g.final[0, 1]) and np.isinf(g.steps[0, 1])
    assert np.isfinite(g.final[0, 0])


@pytest.mark.parametrize("axes", [{"alpha": ALPHAS, "gamma": BETA1S}, {"alpha": ALPHAS, "mu": BETA1S}])
def test_unknown_axis_names_give_a_value_error_naming_the_allowed_ones(axes):
    with pytest.raises(ValueError, match=r"allowed names are \['alpha', 'beta1', 'beta2', 'eps'\]"):
        sensitivity_grid("sphere", "adam", axes, starts=STARTS, n_iter=5)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(axes={"alpha": ALPHAS}), "exactly two hyperparameters"),
        (dict(axes={"alpha": ALPHAS, "beta1": BETA1S, "beta2": BETA1S}), "exactly two"),
        (dict(axes={"alpha": ALPHAS, "beta1": BETA1S}, fixed={"alpha": 0.1}), "both fixed and an axis"),
        (dict(axes={"alpha": ALPHAS, "beta1": np.array([0.5, 1.0])}), "beta1"),
        (dict(axes={"alpha": ALPHAS, "beta1": BETA1S}, starts=np.zeros((3, 3))), "starts"),
        (dict(axes={"alpha": ALPHAS, "eps": None}), "defaults exist only"),
    ],
)
def test_other_bad_input_is_refused_clearly(kwargs, match):
    args = dict(objective="sphere", optimizer="adam", starts=STARTS, n_iter=5) | kwargs
    with pytest.raises(ValueError, match=match):
        sensitivity_grid(**args)


def test_default_axis_values_put_the_marked_settings_on_or_near_the_grid():
    assert np.isclose(AXIS_VALUES["alpha"], 0.001).any()
    assert np.isclose(AXIS_VALUES["beta1"], 0.9).any() and AXIS_VALUES["beta1"][0] == 0.0
    assert np.isclose(AXIS_VALUES["beta2"], 0.999).any()
    assert axis_scale(OPTIMIZERS["adam"], "alpha") == "log"
    assert axis_scale(OPTIMIZERS["adam"], "beta2") == "memory"
    assert axis_scale(OPTIMIZERS["adamw"], "weight_decay") == "linear"
    assert set(LANDSCAPES) <= set(OBJECTIVES)


def test_fraction_within_by_hand():
    values = np.array([[1e-6, 5e-6, 5e-5], [np.inf, 9e-6, 2e-5]])
    assert fraction_within(values, 10) == 3 / 6  # 1e-6, 5e-6, 9e-6
    assert fraction_within(values, 100) == 5 / 6
    assert fraction_within(np.full((2, 2), np.inf), 10) == 0.0
    with pytest.raises(ValueError, match="factor"):
        fraction_within(values, 0.5)


def test_heatmap_explorer_draws_both_maps_and_recomputes_on_a_new_choice():
    from explorers import HeatmapExplorer

    explorer = HeatmapExplorer("sphere", "alpha, beta1", starts=2, dpi=30)
    assert explorer.grid.names == ("alpha", "beta1") and explorer.grid.problem == "sphere"
    assert 'alt="Two heat maps for Adam on the sphere' in explorer.view.value
    png = base64.b64decode(re.search(r'base64,([^"]+)"', explorer.view.value).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    explorer.controls["pair"].value = "beta1, beta2"
    assert explorer.grid.names == ("beta1", "beta2") and explorer.grid.fixed == {"alpha": 0.02}
    explorer.controls["problem"].value = "rosenbrock"
    assert explorer.grid.problem == "rosenbrock" and explorer.grid.n_iter == LANDSCAPES["rosenbrock"]["n_iter"]
    assert "Best median final loss" in explorer.readout.value
    with pytest.raises(ValueError, match="pair must be one of"):
        HeatmapExplorer("sphere", "alpha, eps")
    with pytest.raises(ValueError, match="problem must be one of"):
        HeatmapExplorer("saddle")
