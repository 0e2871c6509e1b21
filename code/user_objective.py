r"""Turn a function the learner types into an objective the course's runners accept.

Two ways in:

- :func:`objective_from_text` takes a formula in ``x`` and ``y`` as text,
  for example ``"x**2 + 3*sin(y)"``. The text is parsed with :mod:`ast`
  (``mode="eval"``), every node is checked against a whitelist, and the
  checked tree is turned into a tree of small NumPy closures. Nothing is ever
  passed to ``eval``/``exec``/``compile``: the only operations that can run
  are the ones listed below, so a text such as ``__import__('os')`` is refused
  before anything happens.
- :func:`objective_from_function` takes a Python function ``f(x, y)`` that
  the learner wrote (it is called with NumPy arrays ``x`` and ``y``).

Both return an :class:`objectives.Objective` whose ``f(p)`` takes points with
the coordinates on the last axis (a point ``(2,)``, a batch ``(n, 2)``, a
grid ``(rows, cols, 2)``), exactly like the course's built-in problems, and
whose ``gradient`` comes from central finite differences
(:func:`finite_difference_gradient`).

What a formula may contain (the whitelist)
------------------------------------------
- numbers written as integer or decimal literals (``2``, ``0.5``, ``1e-3``);
  every number becomes a 64-bit float;
- the names ``x``, ``y``, ``pi``, ``e`` (and ``np.pi``, ``np.e``);
- the operators ``+ - * / **``, unary ``-`` and ``+``, and parentheses;
- calls, with positional arguments only, to the functions in
  :data:`FUNCTIONS`, by bare name (``sin(x)``) or as ``np.sin(x)`` /
  ``numpy.sin(x)``.

Anything else (other names, attributes, calls, subscripts, comparisons,
``and``/``or``, conditional expressions, lambdas, comprehensions, strings,
keyword or starred arguments, ``:=``) raises :class:`ObjectiveError`, whose
message is one sentence naming what is wrong and what is allowed.

Huge powers. Because every literal is a float, ``9**9**9`` is computed in
floating point: it overflows to ``inf`` at once instead of building an
integer with hundreds of millions of digits, and the non-finite value at the
start point is then refused. No constant folding with Python integers ever
happens.

Warnings. Every evaluation runs under ``np.errstate(all="ignore")``: an
overflow or a logarithm of a negative number gives ``inf`` or ``nan``
silently, and the runner (:func:`adam.adam`) reports the run as diverged.
"""

from __future__ import annotations

import ast
import difflib
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from objectives import Objective
from validation import check_array, check_bounds, check_callable

__all__ = [
    "FUNCTIONS",
    "CONSTANTS",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "FD_STEP",
    "ObjectiveError",
    "GradientCheck",
    "compile_formula",
    "objective_from_text",
    "objective_from_function",
    "finite_difference_gradient",
    "check_gradient",
    "try_objective",
    "explain",
]

#: The functions a formula may call: name -> (NumPy function, number of arguments).
FUNCTIONS: dict[str, tuple[Callable[..., np.ndarray], int]] = {
    "sin": (np.sin, 1),
    "cos": (np.cos, 1),
    "tan": (np.tan, 1),
    "arcsin": (np.arcsin, 1),
    "arccos": (np.arccos, 1),
    "arctan": (np.arctan, 1),
    "arctan2": (np.arctan2, 2),
    "sinh": (np.sinh, 1),
    "cosh": (np.cosh, 1),
    "tanh": (np.tanh, 1),
    "exp": (np.exp, 1),
    "expm1": (np.expm1, 1),
    "log": (np.log, 1),
    "log1p": (np.log1p, 1),
    "log2": (np.log2, 1),
    "log10": (np.log10, 1),
    "sqrt": (np.sqrt, 1),
    "cbrt": (np.cbrt, 1),
    "square": (np.square, 1),
    "abs": (np.abs, 1),
    "absolute": (np.absolute, 1),
    "sign": (np.sign, 1),
    "maximum": (np.maximum, 2),
    "minimum": (np.minimum, 2),
    "hypot": (np.hypot, 2),
}

#: The constants a formula may name (also as ``np.pi``, ``np.e``).
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}

#: The variables.
VARIABLES = ("x", "y")

#: The longest formula accepted, in characters.
MAX_LENGTH = 500

#: The deepest nesting of operations accepted (``-(-(-x))`` has depth 4).
MAX_DEPTH = 40

_MODULES = ("np", "numpy")
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide, ast.Pow: np.power}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}
_OPERATOR_TEXT = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.Not: "not", ast.Invert: "~",
}
_CONSTRUCTS = {
    ast.Lambda: "a lambda",
    ast.Subscript: "indexing or slicing with [ ]",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "a conditional expression (... if ... else ...)",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.NamedExpr: "the walrus operator :=",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.Starred: "a starred argument (*...)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "a slice",
}


def _allowed_text() -> str:
    return (
        "a formula may use numbers, x, y, pi, e, + - * / ** and parentheses, and the functions "
        + ", ".join(FUNCTIONS)
        + " (by name or as np.NAME)"
    )


class ObjectiveError(ValueError):
    """A formula or function that cannot become an objective; the message is one sentence."""


# --------------------------------------------------------------------------
# Text -> checked tree -> closures
# --------------------------------------------------------------------------
def _where(node: ast.AST) -> str:
    column = getattr(node, "col_offset", None)
    return "" if column is None else f" at column {column + 1}"


def _refuse(what: str, node: ast.AST | None = None) -> ObjectiveError:
    where = "" if node is None else _where(node)
    return ObjectiveError(f"{what}{where} is not allowed: {_allowed_text()}.")


def _depth(node: ast.AST) -> int:
    """The nesting depth of the tree, iteratively (so that no Python recursion limit is hit)."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend(
            (child, level + 1)
            for child in ast.iter_child_nodes(current)
            if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop))
        )
    return deepest


def _parse(text: str) -> ast.Expression:
    with warnings.catch_warnings():  # e.g. SyntaxWarning for "3(x)" or an invalid escape in a string
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text, mode="eval")
        except SyntaxError as exc:
            syntax_error = exc
        except (RecursionError, MemoryError):
            raise ObjectiveError(
                f"The formula is nested too deeply to read: at most {MAX_DEPTH} levels of parentheses "
                "and operations are allowed."
            ) from None
        try:  # a statement (import, assignment, def) parses in "exec" mode but not as an expression
            ast.parse(text, mode="exec")
            is_statement = True
        except (SyntaxError, RecursionError, MemoryError):
            is_statement = False
    if is_statement:
        raise ObjectiveError(
            "The text is a statement (such as import, an assignment or def), not a formula: "
            "type one expression in x and y, such as x**2 + y**2."
        )
    column = syntax_error.offset or 1
    lines = text.splitlines() or [text]
    line = lines[min(max((syntax_error.lineno or 1) - 1, 0), len(lines) - 1)]
    where = f"line {syntax_error.lineno}, " if len(lines) > 1 and syntax_error.lineno else ""
    reason = syntax_error.msg
    hint = ""
    if "^" in text:
        hint = " (for a power write x**2, not x^2)"
    raise ObjectiveError(
        f"The formula has a syntax error at {where}column {column}: {reason}{hint}.\n"
        f"    {line}\n    {' ' * (column - 1)}^"
    )


def _function_name(node: ast.Call) -> tuple[str, Callable, int]:
    func = node.func
    if isinstance(func, ast.Name):
        name = func.id
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in _MODULES:
        name = func.attr
        if name not in FUNCTIONS:
            raise _refuse(f"The function {func.value.id}.{name}", node)
    else:
        raise _refuse("Calling anything but a listed function by name", node)
    if name not in FUNCTIONS:
        close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
        suggestion = f" (did you mean {close[0]}?)" if close else ""
        raise ObjectiveError(
            f"Unknown function {name!r}{_where(node)}{suggestion}: {_allowed_text()}."
        )
    function, arity = FUNCTIONS[name]
    if node.keywords:
        raise _refuse(f"A keyword argument in the call of {name}", node)
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        raise _refuse(f"A starred argument in the call of {name}", node)
    if len(node.args) != arity:
        raise ObjectiveError(
            f"{name} takes {arity} argument{'s' if arity > 1 else ''}, got {len(node.args)}{_where(node)}: "
            f"{_allowed_text()}."
        )
    return name, function, arity


def _number(node: ast.Constant) -> float:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        kind = {str: "a text string", bytes: "a bytes string", complex: "a complex number"}.get(
            type(value), f"the constant {value!r}"
        )
        raise _refuse(kind[0].upper() + kind[1:], node)
    try:
        return float(value)
    except OverflowError:
        raise ObjectiveError(
            f"The number{_where(node)} is too large for a 64-bit float (at most about 1.8e308): "
            f"{_allowed_text()}."
        ) from None


Evaluator = Callable[[dict], Any]


def _compile(node: ast.AST) -> Evaluator:
    """Check one node (and its children) against the whitelist and return its evaluator.

    Each evaluator is a closure ``env -> value`` over NumPy functions only;
    ``env`` maps ``"x"`` and ``"y"`` to arrays.
    """
    if isinstance(node, ast.Expression):
        return _compile(node.body)
    if isinstance(node, ast.Constant):
        value = _number(node)
        return lambda env: value
    if isinstance(node, ast.Name):
        if node.id in VARIABLES:
            name = node.id
            return lambda env: env[name]
        if node.id in CONSTANTS:
            value = CONSTANTS[node.id]
            return lambda env: value
        if node.id in FUNCTIONS:
            raise ObjectiveError(
                f"{node.id}{_where(node)} is a function: call it with an argument, as in {node.id}(x)."
            )
        known = [*VARIABLES, *CONSTANTS]
        close = [k for k in known if k == node.id.lower()] or difflib.get_close_matches(node.id, known, n=1)
        suggestion = f" (did you mean {close[0]}?)" if close else ""
        raise ObjectiveError(f"Unknown name {node.id!r}{_where(node)}{suggestion}: {_allowed_text()}.")
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            symbol = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
            hint = " (for a power write x**2)" if symbol == "^" else ""
            raise _refuse(f"The operator {symbol}{hint}", node)
        op = _BINARY[type(node.op)]
        left, right = _compile(node.left), _compile(node.right)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            raise _refuse(f"The operator {_OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)}", node)
        op = _UNARY[type(node.op)]
        operand = _compile(node.operand)
        return lambda env: op(operand(env))
    if isinstance(node, ast.Call):
        _, function, _ = _function_name(node)
        args = [_compile(arg) for arg in node.args]
        if len(args) == 1:
            (only,) = args
            return lambda env: function(only(env))
        first, second = args
        return lambda env: function(first(env), second(env))
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in _MODULES:
            if node.attr in CONSTANTS:
                value = CONSTANTS[node.attr]
                return lambda env: value
            if node.attr in FUNCTIONS:
                raise ObjectiveError(
                    f"{node.value.id}.{node.attr}{_where(node)} is a function: call it with an argument, "
                    f"as in {node.value.id}.{node.attr}(x)."
                )
        raise _refuse(f"The attribute .{node.attr}", node)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        raise _refuse(_CONSTRUCTS[type(node)][0].upper() + _CONSTRUCTS[type(node)][1:], node)
    description = _CONSTRUCTS.get(type(node), f"the construct {type(node).__name__}")
    raise _refuse(description[0].upper() + description[1:], node)


def compile_formula(text: Any) -> Evaluator:
    """Parse and check ``text``; return its evaluator ``env -> value`` (nothing is run here)."""
    if not isinstance(text, str):
        extra = " (for a Python function use objective_from_function)" if callable(text) else ""
        raise ObjectiveError(
            f"The formula must be a string such as 'x**2 + y**2', got {type(text).__name__}{extra}."
        )
    if not text.strip():
        raise ObjectiveError("The formula is empty: type an expression in x and y, such as x**2 + y**2.")
    if len(text) > MAX_LENGTH:
        raise ObjectiveError(f"The formula has {len(text)} characters; at most {MAX_LENGTH} are allowed.")
    tree = _parse(text.strip())
    depth = _depth(tree) - 1  # the Expression wrapper does not count
    if depth > MAX_DEPTH:
        raise ObjectiveError(
            f"The formula is nested {depth} levels deep; at most {MAX_DEPTH} levels of parentheses and "
            "operations are allowed."
        )
    return _compile(tree)


# --------------------------------------------------------------------------
# Points, values, gradients
# --------------------------------------------------------------------------
def _points(p: Any) -> np.ndarray:
    p = check_array("p", p, finite=False)
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must hold 2 coordinates (x, y) on its last axis, got shape {p.shape}")
    return p


def _one_value_per_point(value: Any, batch: tuple[int, ...], what: str) -> np.ndarray:
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ObjectiveError(
            f"{what} must give one real number per point, but it returned {type(value).__name__}."
        ) from None
    try:
        fits = np.broadcast_shapes(value.shape, batch) == batch
    except ValueError:
        fits = False
    if not fits:
        raise ObjectiveError(
            f"{what} must give one number per point (shape {batch} here), but it gave shape {value.shape}."
        )
    return np.broadcast_to(value, batch).astype(float)


#: The relative step of the central differences, the cube root of the float64 machine epsilon.
FD_STEP = float(np.finfo(float).eps) ** (1.0 / 3.0)


def finite_difference_gradient(f: Callable[[np.ndarray], np.ndarray], p: Any) -> np.ndarray:
    r"""The gradient of ``f`` at the points ``p`` by central differences.

    .. math::

        \frac{\partial f}{\partial x_i}(p) \approx
        \frac{f(p + h_i e_i) - f(p - h_i e_i)}{2 h_i},
        \qquad h_i = \varepsilon^{1/3} \max(1, |p_i|)

    with :math:`\varepsilon \approx 2.2 \times 10^{-16}` the machine epsilon,
    so :math:`h_i \approx 6 \times 10^{-6}` near the origin and grows with
    :math:`|p_i|`. The truncation error is :math:`O(h^2)` (it is
    :math:`h^2 f'''/6`); rounding adds about :math:`\varepsilon |f| / h`.
    The cube root balances the two, leaving an error of order
    :math:`\varepsilon^{2/3} \approx 4 \times 10^{-11}` relative to the scale
    of ``f`` and its third derivative. ``h`` is rounded so that
    :math:`p_i + h_i` is exactly representable (the step actually taken is
    used in the division). Evaluated under ``np.errstate(all="ignore")``.
    """
    p = _points(p)
    gradient = np.empty_like(p)
    with np.errstate(all="ignore"):
        for i in range(p.shape[-1]):
            h = FD_STEP * np.maximum(1.0, np.abs(p[..., i]))
            h = (p[..., i] + h) - p[..., i]  # the step as the float arithmetic will take it
            forward, backward = p.copy(), p.copy()
            forward[..., i] += h
            backward[..., i] -= h
            gradient[..., i] = (np.asarray(f(forward)) - np.asarray(f(backward))) / (2.0 * h)
    return gradient


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of :func:`check_gradient`.

    ``worst_error`` is the largest, over the points, of
    :math:`\\lVert g_a - g_{fd} \\rVert_\\infty / \\max(1, \\lVert g_{fd} \\rVert_\\infty)`:
    a relative error where the gradient is larger than 1, an absolute one
    where it is smaller (so that points where the gradient vanishes do not
    divide finite-difference noise by nearly zero).
    """

    worst_error: float
    worst_point: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    tolerance: float

    @property
    def ok(self) -> bool:
        return bool(self.worst_error <= self.tolerance)

    def __str__(self) -> str:
        point = np.array2string(self.worst_point, precision=4)
        verdict = "agree" if self.ok else "disagree"
        return (
            f"The analytic and finite-difference gradients {verdict}: the worst relative error is "
            f"{self.worst_error:.2e} at {point} (tolerance {self.tolerance:.0e})."
        )


def check_gradient(objective: Any, gradient: Callable, points: Any, *, tolerance: float = 1e-6) -> GradientCheck:
    """Compare an analytic ``gradient(point)`` with central finite differences of ``objective``.

    ``objective`` is an :class:`Objective` or a function of points ``f(p)``;
    ``gradient`` is called once per point with an array of shape ``(2,)`` and
    must return an array of shape ``(2,)``; ``points`` has shape ``(n, 2)``.
    Returns a :class:`GradientCheck` (printable; ``.ok`` is true when the
    worst error is at most ``tolerance``).
    """
    f = getattr(objective, "f", objective)
    check_callable("objective", f)
    check_callable("gradient", gradient)
    points = check_array("points", points)
    if points.ndim == 1:
        points = points[None, :]
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"points must have shape (n, 2) with n >= 1, got shape {points.shape}")
    numeric = finite_difference_gradient(f, points)
    analytic = np.empty_like(points)
    with np.errstate(all="ignore"):
        for k, point in enumerate(points):
            value = np.asarray(gradient(point.copy()), dtype=float)
            if value.shape != (2,):
                raise ValueError(
                    f"gradient must return an array of shape (2,) for a point of shape (2,), got shape {value.shape}"
                )
            analytic[k] = value
    errors = np.max(np.abs(analytic - numeric), axis=1) / np.maximum(1.0, np.max(np.abs(numeric), axis=1))
    errors = np.where(np.isfinite(errors), errors, np.inf)
    worst = int(np.argmax(errors))
    return GradientCheck(float(errors[worst]), points[worst].copy(), analytic, numeric, float(tolerance))


# --------------------------------------------------------------------------
# Building objectives
# --------------------------------------------------------------------------
DEFAULT_BOUNDS = np.array([[-3.0, 3.0], [-3.0, 3.0]])
#: Where the default start sits in the window, as fractions of its width and height.
START_FRACTION = np.array([0.8, 0.7])


def _window(bounds, start) -> tuple[np.ndarray, np.ndarray]:
    bounds = DEFAULT_BOUNDS.copy() if bounds is None else check_bounds(bounds)
    if bounds.shape != (2, 2):
        raise ValueError(f"bounds must have shape (2, 2), one [low, high] row for x and y, got {bounds.shape}")
    if start is None:
        start = bounds[:, 0] + START_FRACTION * (bounds[:, 1] - bounds[:, 0])
    start = check_array("start", start)
    if start.shape != (2,):
        raise ValueError(f"start must be one point (x, y) of shape (2,), got shape {start.shape}")
    return bounds, start


def _check_at_start(f, gradient, start, what):
    value = f(start)
    if not np.isfinite(value):
        raise ObjectiveError(
            f"{what} is {float(value)} at the start ({start[0]:g}, {start[1]:g}), not a finite number: "
            "choose another start or a function defined there (log and sqrt need positive arguments)."
        )
    g = gradient(start)
    if not np.all(np.isfinite(g)):
        raise ObjectiveError(
            f"The finite-difference gradient of {what} is not finite at the start ({start[0]:g}, {start[1]:g}): "
            "choose a start where the function is defined on both sides."
        )


def objective_from_text(text: str, *, name: str | None = None, bounds=None, start=None) -> Objective:
    """An :class:`Objective` from a formula in ``x`` and ``y`` typed as text.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"x**2 + 10*y**2"`` (see the module docstring for
        what is allowed; at most :data:`MAX_LENGTH` characters).
    name : str, optional
        The objective's name (default: the text).
    bounds : array of shape (2, 2), optional
        The window to draw, ``[[x_low, x_high], [y_low, y_high]]``; default
        ``[-3, 3]`` in both.
    start : array of shape (2,), optional
        The start of a run; default 80 % across and 70 % up the window
        ((1.8, 1.2) in the default window), off the axes on purpose.

    Raises
    ------
    ObjectiveError
        For anything wrong with the text, or a value at the start that is not
        finite; the message is one sentence.
    """
    evaluate = compile_formula(text)
    bounds, start = _window(bounds, start)

    def f(p: np.ndarray) -> np.ndarray:
        p = _points(p)
        with np.errstate(all="ignore"):
            value = evaluate({"x": p[..., 0], "y": p[..., 1]})
        return _one_value_per_point(value, p.shape[:-1], "The formula")

    def gradient(p: np.ndarray) -> np.ndarray:
        return finite_difference_gradient(f, p)

    f.__doc__ = f"f(x, y) = {text.strip()}"
    gradient.__doc__ = f"Central finite differences of f(x, y) = {text.strip()}"
    _check_at_start(f, gradient, start, "The formula")
    return Objective(
        name=text.strip() if name is None else str(name), formula=text.strip(), f=f, gradient=gradient,
        bounds=bounds, minima=np.empty((0, 2)), minimum_value=None, start=start,
    )


def objective_from_function(func: Callable, *, name: str | None = None, bounds=None, start=None) -> Objective:
    """An :class:`Objective` from a Python function ``func(x, y)`` the learner wrote.

    ``func`` is called with two NumPy arrays of the same shape (the x and y
    coordinates of a batch of points) and must return one finite number per
    point at the start, or one number for all points if it is a constant. It
    always receives 1-D arrays (a grid of points is flattened and the result
    reshaped). It is probed at the start and two nearby points, as a batch
    and one point at a time: a function that mixes points (``np.sum(x**2)``,
    ``x[0]``), returns the wrong shape, or raises when called with arrays
    (``math.sin`` instead of ``np.sin``) is refused with an
    :class:`ObjectiveError`.
    """
    if not callable(func):
        raise ObjectiveError(
            f"objective_from_function needs a Python function f(x, y), got {type(func).__name__} "
            "(for a formula typed as text use objective_from_text)."
        )
    bounds, start = _window(bounds, start)
    label = getattr(func, "__name__", "your function")
    what = f"Your function {label}"

    def call(x: np.ndarray, y: np.ndarray) -> Any:
        with np.errstate(all="ignore"):
            return func(x, y)

    # Probe on a batch of three distinct points: the start and two neighbours.
    probe = start + np.array([[0.0, 0.0], [0.5, -0.25], [-0.25, 0.5]])
    try:
        batch_value = call(probe[:, 0].copy(), probe[:, 1].copy())
        np.asarray(batch_value, dtype=float)
    except Exception as exc:
        message = str(exc)
        if isinstance(exc, TypeError) and "positional argument" in message:
            hint = " (it must take exactly two arguments, x and y)"
        elif isinstance(exc, TypeError) and ("scalar" in message or "convert" in message):
            hint = " (use np.sin, np.exp, ... rather than math.sin: x and y are NumPy arrays)"
        else:
            hint = ""
        raise ObjectiveError(
            f"{what} raised {type(exc).__name__} ({exc}) when called with arrays x and y{hint}."
        ) from None
    batch_value = _one_value_per_point(batch_value, (3,), what)
    singles = np.array([_one_value_per_point(call(np.array([px]), np.array([py])), (1,), what)[0] for px, py in probe])
    if not np.allclose(batch_value, singles, rtol=1e-9, atol=1e-12, equal_nan=True):
        raise ObjectiveError(
            f"{what} gives other values for a batch of 3 points than for the same points one at a time: "
            "it must compute each point's value from its own x and y only (no np.sum, np.mean, max or x[0])."
        )

    def f(p: np.ndarray) -> np.ndarray:
        p = _points(p)
        flat = p.reshape(-1, 2)  # the function always sees 1-D arrays x and y
        value = _one_value_per_point(call(flat[:, 0], flat[:, 1]), (len(flat),), what)
        return value.reshape(p.shape[:-1])

    def gradient(p: np.ndarray) -> np.ndarray:
        return finite_difference_gradient(f, p)

    f.__doc__ = func.__doc__
    _check_at_start(f, gradient, start, what)
    return Objective(
        name=label if name is None else str(name), formula=f"{label}(x, y)", f=f, gradient=gradient,
        bounds=bounds, minima=np.empty((0, 2)), minimum_value=None, start=start,
    )


# --------------------------------------------------------------------------
# For notebooks: one sentence, no traceback
# --------------------------------------------------------------------------
def explain(exc: BaseException) -> str:
    """The message a notebook shows for ``exc``: ``✗`` and the sentence, no traceback."""
    if isinstance(exc, ObjectiveError):
        return f"✗ {exc}"
    return f"✗ {type(exc).__name__}: {exc}"


def try_objective(source: Any, **kwargs) -> Objective | None:
    """Build an objective from text or a function; print ``✗ message`` and return None if it cannot be built."""
    try:
        if isinstance(source, str):
            return objective_from_text(source, **kwargs)
        return objective_from_function(source, **kwargs)
    except ObjectiveError as exc:
        print(explain(exc))
        return None
