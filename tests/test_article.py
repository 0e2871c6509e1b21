"""The article's experiment reproduces: same start, same printed iterates."""

import contextlib
import io
import pathlib
import re

import numpy as np

from experiment import ARTICLE_BOUNDS, ARTICLE_SETTINGS, ARTICLE_START, random_start, run_article_experiment

DATA = pathlib.Path(__file__).parent / "data" / "article_output.txt"


def fold(line: str) -> str:
    """Fold runs of white space, as the article's web page did (and strip the ends)."""
    return re.sub(r"\s+", " ", line).strip()


def article_lines() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [fold(line) for line in lines if line.strip() and not line.startswith("#")]


def printed_lines() -> list[str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        run_article_experiment(verbose=True)
    return [fold(line) for line in buffer.getvalue().splitlines()]


def test_the_data_file_holds_the_articles_last_ten_steps_and_final_line():
    lines = article_lines()
    assert len(lines) == 11
    assert [line.split()[0] for line in lines[:10]] == [f">{t}" for t in range(50, 60)]
    assert lines[-1] == "f([ 0.00018407 -0.00054858]) = 0.000000"


def test_printed_iterates_equal_the_articles_to_every_printed_digit():
    printed = printed_lines()
    expected = article_lines()
    steps = [line for line in printed if line.startswith(">")]
    assert len(steps) == 60, "the article runs 60 iterations, printed >0 to >59"
    assert steps[50:60] == expected[:10]
    assert printed[-2] == "Done!"
    assert printed[-1] == expected[-1]


def test_start_is_drawn_exactly_as_the_article_draws_it():
    # The article: seed(1); bounds[:, 0] + rand(len(bounds)) * (bounds[:, 1] - bounds[:, 0])
    state = np.random.get_state()
    try:
        np.random.seed(1)
        article_start = ARTICLE_BOUNDS[:, 0] + np.random.rand(2) * (ARTICLE_BOUNDS[:, 1] - ARTICLE_BOUNDS[:, 0])
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(random_start(ARTICLE_BOUNDS, 1), article_start)
    np.testing.assert_array_equal(ARTICLE_START, article_start)


def test_random_start_leaves_the_global_generator_alone():
    before = np.random.get_state()[1].copy()
    random_start(ARTICLE_BOUNDS, 5)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_the_article_settings_are_the_articles():
    assert ARTICLE_SETTINGS == {"n_iter": 60, "alpha": 0.02, "beta1": 0.8, "beta2": 0.999, "eps": 1e-8}


def test_the_run_returns_the_whole_path():
    result = run_article_experiment(verbose=False)
    assert result.path.shape == (61, 2)
    np.testing.assert_array_equal(result.path[0], ARTICLE_START)
    assert not result.diverged
    assert result.score < 1e-6
