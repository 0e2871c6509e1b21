"""The training explorer: controls from Adam's declarations, and a moved control retrains."""

import re

import ipywidgets as widgets
import numpy as np
import pytest

from learning import OneHiddenLayerNet, load_data, train
from optimizers import OPTIMIZERS
from train_explorer import TrainExplorer

DATA = load_data(seed=0)
N_EPOCHS = 3  # short runs keep the tests fast


def independent_run(batch_size, alpha, beta1, beta2, seed=0):
    """The same training, written out without the explorer."""
    model = OneHiddenLayerNet(n_hidden=16)
    return train(
        lambda x, g, s, t: OPTIMIZERS["adam"].update(x, g, s, t, alpha=alpha, beta1=beta1, beta2=beta2, eps=1e-8),
        OPTIMIZERS["adam"].init,
        model.init_params(DATA.n_features, seed=seed),
        DATA.X_train, DATA.y_train, model=model, batch_size=batch_size, n_epochs=N_EPOCHS, seed=seed,
        X_test=DATA.X_test, y_test=DATA.y_test,
    )


def numbers_in(text):
    return [float(x) for x in re.findall(r"\d+\.?\d*(?:e-?\d+)?", text)]


@pytest.fixture(scope="module")
def explorer():
    return TrainExplorer(DATA, n_epochs=N_EPOCHS)


def test_sliders_come_from_adam_s_declarations(explorer):
    for name in ("alpha", "beta1", "beta2"):
        h = OPTIMIZERS["adam"].hyperparameter(name)
        slider = explorer.controls[name]
        if h.log:
            assert isinstance(slider, widgets.FloatLogSlider)
            assert np.isclose(10 ** slider.min, h.explore[0]) and np.isclose(10 ** slider.max, h.explore[1])
        else:
            assert isinstance(slider, widgets.FloatSlider)
            assert (slider.min, slider.max) == pytest.approx(h.explore)
        assert slider.step == pytest.approx(h.step)
    assert "eps" not in explorer.controls
    sizes = [value for _, value in explorer.controls["batch_size"].options]
    assert sizes == [8, 16, 32, 64, 128, 427]  # 427 training examples: the full batch


def test_first_readout_equals_an_independent_run(explorer):
    reference = independent_run(32, 0.01, 0.9, 0.999)
    np.testing.assert_allclose(explorer.result.test_loss, reference.test_loss, rtol=1e-12)
    got = numbers_in(explorer.summary_line())
    # epochs, steps, B, train loss, held-out loss, train accuracy %, held-out accuracy %
    want = [N_EPOCHS, reference.n_steps, 32, reference.train_loss[-1], reference.test_loss[-1],
            100 * reference.train_accuracy[-1], 100 * reference.test_accuracy[-1]]
    np.testing.assert_allclose(got, want, rtol=5e-3)
    assert reference.n_steps == N_EPOCHS * 14  # ceil(427 / 32) = 14 batches per epoch


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("alpha", 0.001, dict(batch_size=32, alpha=0.001, beta1=0.9, beta2=0.999)),
        ("beta1", 0.5, dict(batch_size=32, alpha=0.01, beta1=0.5, beta2=0.999)),
        ("beta2", 0.9, dict(batch_size=32, alpha=0.01, beta1=0.9, beta2=0.9)),
        ("batch_size", 128, dict(batch_size=128, alpha=0.01, beta1=0.9, beta2=0.999)),
    ],
)
def test_moving_a_control_retrains_and_the_readout_matches_an_independent_run(name, value, expected):
    explorer = TrainExplorer(DATA, n_epochs=N_EPOCHS)
    before = explorer.view.value
    explorer.controls[name].value = value
    reference = independent_run(**expected)
    assert explorer.result.n_steps == reference.n_steps
    np.testing.assert_allclose(explorer.result.params, reference.params, rtol=1e-12, atol=1e-15)
    text = explorer.summary_line()
    assert f"{reference.train_loss[-1]:.3g}" in text and f"{reference.test_loss[-1]:.3g}" in text
    assert f"{100 * reference.test_accuracy[-1]:.1f}%" in text
    assert text in explorer.readout.value
    assert explorer.view.value != before and '<img src="data:image/png;base64,' in explorer.view.value


def test_a_diverging_run_is_reported_not_raised():
    explorer = TrainExplorer(DATA, n_epochs=N_EPOCHS, values={"alpha": 3.0, "beta1": 0.0, "beta2": 0.0})
    # with beta2 = 0, every step is alpha * sign(g): the run jumps but stays finite, so the readout has numbers
    assert explorer.summary_line().startswith(("After", "The run diverged"))


def test_bad_values_are_named():
    with pytest.raises(ValueError, match="batch_size"):
        TrainExplorer(DATA, n_epochs=1, values={"batch_size": 33})
    with pytest.raises(ValueError, match="values names no control"):
        TrainExplorer(DATA, n_epochs=1, values={"eps": 1e-3})
    with pytest.raises(ValueError, match="alpha"):
        TrainExplorer(DATA, n_epochs=1, values={"alpha": 100.0})
    with pytest.raises(TypeError, match="data"):
        TrainExplorer("breast cancer")


def test_the_picture_has_the_chosen_size_and_a_palette_keeps_it_sharp_and_small():
    import base64
    import io
    import re

    from PIL import Image

    def picture(explorer):
        data = re.search(r'src="data:image/png;base64,([^"]+)"', explorer.view.value).group(1)
        return base64.b64decode(data)

    full = picture(TrainExplorer(DATA, n_epochs=N_EPOCHS, figsize=(6.0, 2.8), dpi=100))
    small = picture(TrainExplorer(DATA, n_epochs=N_EPOCHS, figsize=(6.0, 2.8), dpi=100, palette=64))
    assert Image.open(io.BytesIO(full)).size == Image.open(io.BytesIO(small)).size == (600, 280)
    assert Image.open(io.BytesIO(small)).mode == "P" and len(Image.open(io.BytesIO(small)).getcolors()) <= 64
    assert len(small) < len(full)
    with pytest.raises(ValueError, match=r"figsize must be \(width, height\) in inches"):
        TrainExplorer(DATA, n_epochs=1, figsize=(600, 280))
    with pytest.raises(ValueError, match=r"palette must be an integer >= 2, got 1"):
        TrainExplorer(DATA, n_epochs=1, palette=1)
