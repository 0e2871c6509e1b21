"""Exercise feedback: ✓ for right answers, ✗ with a reason for wrong or missing ones."""

import numpy as np
import pytest

from adam import adam_step
from checks import check_array, check_choice, check_function, check_number


def test_number(capsys):
    assert bool(check_number("x1", 0.8, 0.8)) is True
    assert bool(check_number("x1", 0.9, 0.8, hint="x1 = (1 - 2 alpha) x0")) is False
    assert bool(check_number("x1", None, 0.8)) is False
    assert bool(check_number("x1", "0.8", 0.8)) is False
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ x1: 0.8 is right."
    assert out[1] == "✗ x1: 0.9 is not right. Hint: x1 = (1 - 2 alpha) x0"
    assert out[2].startswith("✗ x1: no answer yet")
    assert out[3] == "✗ x1: expected a number, got str '0.8'."


def test_array(capsys):
    assert bool(check_array("g", [1.0, 2.0], np.array([1.0, 2.0]))) is True
    assert bool(check_array("g", [1.0], np.array([1.0, 2.0]))) is False
    assert bool(check_array("g", [1.0, 3.0], np.array([1.0, 2.0]))) is False
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "✗ g: expected shape (2,), got (1,)."
    assert out[2] == "✗ g: entry (1,) is 3, expected 2."


def test_function_reports_stub_bug_wrong_and_right(capsys):
    cases = [(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1)]

    def stub(*args):
        raise NotImplementedError

    def buggy(x, g, m, v, t):
        return x / 0 if False else None

    def wrong(x, g, m, v, t):
        return adam_step(x, g, m, v, t, alpha=0.01)

    assert bool(check_function("step", stub, adam_step, cases)) is False
    assert bool(check_function("step", buggy, adam_step, cases)) is False
    assert bool(check_function("step", wrong, adam_step, cases, hint="alpha")) is False
    assert bool(check_function("step", lambda x, g, m, v, t: adam_step(x, g, m, v, t), adam_step, cases)) is True
    assert bool(check_function("step", lambda *a: 1 / 0, adam_step, cases)) is False
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✗ step: not written yet")
    assert out[1].startswith("✗ step: returned None")
    assert out[2].startswith("✗ step: case 1 (value 1 of 3) gives") and out[2].endswith("Hint: alpha")
    assert out[3] == "✓ step: matches the reference on all 1 cases."
    assert out[4] == "✗ step: case 1 raised ZeroDivisionError: division by zero"


def test_function_does_not_let_the_candidate_mutate_the_reference_inputs():
    x = np.array([1.0, 2.0])

    def mutating(a):
        a += 1
        return a

    assert bool(check_function("f", mutating, lambda a: a + 1, [(x,)])) is True
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_a_verdict_is_truthy_and_displays_nothing(capsys):
    from IPython.core.formatters import DisplayFormatter

    verdict = check_number("x", 1.0, 1.0)
    assert verdict and repr(verdict) == "Verdict(True)"
    # as a cell's last expression it adds no output under the printed line (no "Verdict(True)")
    assert DisplayFormatter().format(verdict) == ({}, {})
    assert DisplayFormatter().format(3) == ({"text/plain": "3"}, {})  # (what any other value would show)
    assert not check_number("x", 2.0, 1.0)


def test_choice(capsys):
    assert bool(check_choice("q", "b", "b", ["a", "b"])) is True
    assert bool(check_choice("q", "c", "b", ["a", "b"])) is False
    with pytest.raises(ValueError, match="expected must be one of the options"):
        check_choice("q", "a", "z", ["a", "b"])
    assert capsys.readouterr().out.splitlines()[1] == "✗ q: 'c' is not one of the options ['a', 'b']."



def test_a_known_wrong_value_gets_its_own_hint(capsys):
    known = [(0.5, "you halved it"), (2.0, "you doubled it")]
    assert check_number("x", 1.0, 1.0, known=known)
    assert not check_number("x", 2.0, 1.0, hint="general", known=known)
    assert not check_number("x", 3.0, 1.0, hint="general", known=known)
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["✓ x: 1 is right.", "✗ x: 2 is not right. Hint: you doubled it",
                     "✗ x: 3 is not right. Hint: general"]
