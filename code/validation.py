"""Argument checks shared by the course modules.

Every check raises ``TypeError`` when a value has the wrong kind and
``ValueError`` when it has the right kind but an allowed range is broken.
Each message names the argument, shows the value that was given and says
what is allowed, so a learner can fix the call without reading this file.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "check_real",
    "check_int",
    "check_array",
    "check_same_shape",
    "check_broadcasts_to",
    "check_bounds",
    "check_callable",
]


def _show(value: Any) -> str:
    """A short, readable rendering of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=6, precision=6)
        return f"array {text} of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    allow_array: bool = False,
) -> Any:
    """Check that ``value`` is a real number (or real array) inside a range.

    Returns ``value`` unchanged, or as a float array when ``allow_array`` is
    true and an array was given.
    """
    allowed_kind = "a real number" + (" or an array of real numbers" if allow_array else "")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {allowed_kind}, got the boolean {value!r}")
    if isinstance(value, numbers.Real):
        values = np.asarray(float(value))
    elif allow_array and isinstance(value, (np.ndarray, list, tuple)):
        values = np.asarray(value)
        if values.dtype.kind not in "iuf" or values.size == 0:
            raise TypeError(f"{name} must be {allowed_kind}, got {_show(value)}")
        values = values.astype(float)
        value = values
    else:
        raise TypeError(f"{name} must be {allowed_kind}, got {type(value).__name__} {_show(value)}")

    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite, got {_show(value)}")
    if low is not None:
        bad = values < low if low_inclusive else values <= low
        if np.any(bad):
            sign = ">=" if low_inclusive else ">"
            raise ValueError(f"{name} must be {sign} {low}, got {_show(value)}")
    if high is not None:
        bad = values > high if high_inclusive else values >= high
        if np.any(bad):
            sign = "<=" if high_inclusive else "<"
            raise ValueError(f"{name} must be {sign} {high}, got {_show(value)}")
    return value


def check_int(name: str, value: Any, *, low: int = 0) -> int:
    """Check that ``value`` is an integer (not a bool, not a float) >= ``low``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {low}, got {type(value).__name__} {_show(value)}")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value}")
    return int(value)


def check_array(name: str, value: Any, *, finite: bool = True) -> np.ndarray:
    """Convert ``value`` to a float array, refusing non-numeric or non-finite input."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number or array of real numbers, got {value!r}")
    try:
        array = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a real number or array of real numbers: {exc}") from None
    if array.dtype.kind not in "iuf":  # integers and floats; not booleans, complex, strings or objects
        raise TypeError(
            f"{name} must be a real number or array of real numbers, got dtype {array.dtype} "
            f"({_show(value)})"
        )
    array = array.astype(float)
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no nan or inf), got {_show(array)}")
    return array


def check_same_shape(reference_name: str, reference: np.ndarray, **others: np.ndarray) -> None:
    """Check that every array in ``others`` has the shape of ``reference``."""
    for name, array in others.items():
        if array.shape != reference.shape:
            raise ValueError(
                f"{name} must have the same shape as {reference_name} {reference.shape}, "
                f"got shape {array.shape}"
            )


def check_broadcasts_to(name: str, value: Any, shape: tuple[int, ...], target_name: str) -> None:
    """Check that a scalar-or-array hyperparameter broadcasts to ``shape`` without growing it."""
    try:
        result = np.broadcast_shapes(np.shape(value), shape)
    except ValueError:
        result = None
    if result != shape:
        raise ValueError(
            f"{name} of shape {np.shape(value)} must broadcast against {target_name} of shape "
            f"{shape} (for a batch of runs, give it shape (n_runs, 1))"
        )


def check_bounds(value: Any, *, name: str = "bounds") -> np.ndarray:
    """Check a box ``[[low_1, high_1], ..., [low_d, high_d]]`` with low < high on every row."""
    array = check_array(name, value)
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
        raise ValueError(
            f"{name} must have shape (d, 2), one [low, high] row per variable, got shape {array.shape}"
        )
    if np.any(array[:, 0] >= array[:, 1]):
        rows = np.flatnonzero(array[:, 0] >= array[:, 1]).tolist()
        raise ValueError(f"{name} must have low < high on every row; rows {rows} do not: {_show(array)}")
    return array


def check_callable(name: str, value: Any) -> None:
    """Check that ``value`` can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {type(value).__name__} {_show(value)}")
