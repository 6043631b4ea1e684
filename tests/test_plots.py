"""Plots: written without a display, non-trivial images, and the curves drawn are the right ones."""

from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.image import imread  # noqa: E402

from sambounds.cli import main  # noqa: E402
from sambounds.errors import InvalidParameterError  # noqa: E402
from sambounds.functions import LNC, LS, Quadratic  # noqa: E402
from sambounds import plots  # noqa: E402

SMALL = {
    "figure1": dict(T=200),
    "figure2": dict(),
    "figure6": dict(T=150, seeds=20),
    "two_cycle": dict(T=40),
    "fixed_point": dict(T=30),
    "theorem_a_rates": dict(Ts=(10, 100, 1000)),
}


def _assert_nontrivial_png(path, min_bytes=10_000):
    assert path.exists() and path.stat().st_size >= min_bytes
    img = imread(path)
    assert img.ndim == 3 and img.shape[0] >= 200 and img.shape[1] >= 200
    rgb = img[..., :3].reshape(-1, 3)
    colours = np.unique(np.round(rgb * 255).astype(np.uint8), axis=0)
    assert len(colours) > 50                       # lines, text, fills: not a single colour
    assert (rgb.std(axis=0) > 0.02).any()
    not_white = (rgb < 0.95).any(axis=1).mean()
    assert 0.01 < not_white < 0.9                  # something is drawn, and it is not all ink


@pytest.mark.parametrize("name", sorted(SMALL))
def test_every_figure_renders_to_png(name, tmp_path):
    backend = matplotlib.get_backend()
    fig = getattr(plots, name)(**SMALL[name])
    _assert_nontrivial_png(plots.save(fig, tmp_path / f"{name}.png", dpi=60), min_bytes=5_000)
    assert matplotlib.get_backend() == backend    # the user's pyplot backend is left alone


def test_svg_output(tmp_path):
    svg = plots.save(plots.two_cycle(T=10), tmp_path / "cycle.svg")
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 20_000


def test_two_cycle_draws_the_closed_form_cycle():
    beta, rho, eta = 2.0, 0.1, 0.4
    fig = plots.two_cycle(beta=beta, mu=0.2, rho=rho, eta=eta, x0=1.0, T=80)
    ax = fig.axes[0]
    c = eta * beta * rho / (2 - eta * beta)
    iterates = ax.lines[0].get_ydata()
    # the last iterates alternate between +c and -c (docs/theory.md section 3 closed form)
    np.testing.assert_allclose(np.abs(iterates[-6:]), c, rtol=1e-9)
    assert np.all(np.sign(iterates[-6:-1]) != np.sign(iterates[-5:]))
    drawn = sorted(line.get_ydata()[0] for line in ax.lines[1:3])
    np.testing.assert_allclose(drawn, [-c, c], rtol=1e-15)


def test_fixed_point_gradient_tends_to_c_beta_rho():
    beta, rho, c = 1.5, 0.2, 0.4
    fig = plots.fixed_point(beta=beta, rho=rho, c=c, eta=0.5, x0=-rho + 0.01, T=60)
    grad_sq = fig.axes[1].lines[0].get_ydata()
    assert grad_sq[-1] == pytest.approx(c**2 * beta**2 * rho**2, rel=1e-9)


def test_virtual_gradient_closed_forms():
    beta, rho = 2.0, 0.3
    x = np.linspace(-1, 1, 41)
    x = x[x != 0]
    # quadratic: f'(x + rho sign x) = beta (x + rho sign x)
    np.testing.assert_allclose(plots.virtual_gradient(Quadratic.diagonal([[beta]]), x, rho),
                               beta * (x + rho * np.sign(x)), rtol=1e-14)
    # L-NC: the virtual gradient vanishes at the non-stationary point -rho
    assert plots.virtual_gradient(LNC(beta, rho, 0.5), np.array([-rho]), rho)[0] == pytest.approx(0.0, abs=1e-15)
    # L-S: for |beta x| < B the ascent signs are fixed (+ for component 1, - for component 2),
    # so both stochastic virtual gradients equal beta (x - rho (1 - 2p)), zero at rho (1 - 2p)
    p, K = 0.2, 3.0
    f = LS(beta, rho, p, K)
    small = np.linspace(-0.5, 0.5, 21) * K * rho
    for mode in ("n-sam", "m-sam"):
        np.testing.assert_allclose(plots.virtual_gradient(f, small, rho, mode), beta * (small - rho * (1 - 2 * p)),
                                   rtol=1e-12, atol=1e-14)
    grid = np.linspace(-2 * rho, 2 * rho, 4001)
    V = plots.virtual_loss(f, grid, rho, "n-sam")
    assert grid[np.argmin(V)] == pytest.approx(rho * (1 - 2 * p), abs=2e-3)


@pytest.mark.parametrize("call,fragment", [
    (lambda: plots.two_cycle(eta=2.5, beta=1.0), "eta"),
    (lambda: plots.two_cycle(rho=0.0), "rho"),
    (lambda: plots.fixed_point(c=1.2), "c"),
    (lambda: plots.figure6(seeds=1), "seeds"),
    (lambda: plots.figure1(starts=[[1.0, 2.0, 3.0]]), "starts"),
    (lambda: plots.virtual_gradient(Quadratic.diagonal([[1.0, 2.0]]), np.zeros(3), 0.1), "function"),
    (lambda: plots.virtual_gradient(Quadratic.diagonal([[1.0]]), np.zeros(3), 0.1, "n-sam"), "function"),
    (lambda: plots.virtual_loss(Quadratic.diagonal([[1.0]]), np.array([1.0, 0.0]), 0.1), "x"),
])
def test_bad_plot_arguments_raise_clear_errors(call, fragment):
    with pytest.raises(InvalidParameterError) as info:
        call()
    assert fragment in str(info.value)


def test_save_rejects_unknown_formats(tmp_path):
    fig = plots.two_cycle(T=5)
    with pytest.raises(InvalidParameterError, match="suffix|ending"):
        plots.save(fig, tmp_path / "out.jpeg")
    with pytest.raises(InvalidParameterError, match="existing directory"):
        plots.save(fig, tmp_path / "missing" / "out.png")


def test_cli_plot_writes_a_file_and_reports_bad_input_in_one_line(tmp_path, capsys):
    out = tmp_path / "cycle.png"
    assert main(["plot", "two-cycle", "--out", str(out), "--eta", "0.8", "--T", "30"]) == 0
    _assert_nontrivial_png(out)
    assert f"wrote {out}" in capsys.readouterr().out
    assert main(["plot", "two-cycle", "--out", str(tmp_path / "x.png"), "--eta", "3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid eta=3.0") and err.count("\n") == 1 and "Traceback" not in err


def test_rates_numbers_against_the_closed_forms():
    beta, mu, rho, Delta = 1.0, 0.1, 0.05, 1.0
    from sambounds import Setting
    from sambounds.check.families import FamilySpec
    from sambounds.schedules import TheoremA

    s = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, Delta=Delta, T=10, schedule=TheoremA())
    spec = FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [1.65 * rho]})
    d = plots.measured_vs_T(s, spec, [[3.0]], upper="D-SC/theorem-a/prescribed", lower="L-SC/limit",
                            Ts=(300, 1000, 3000))
    assert np.all(d["measured"] <= d["upper"])
    for T, lower in zip(d["T"], d["lower"]):
        eta = TheoremA().steps(int(T), s.constants)[0]
        # the lower bound drawn is the 2-cycle value at Theorem A's step for that T
        assert lower == pytest.approx(beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta) ** 2), rel=1e-12)
    # and SAM on L-SC sits on the 2-cycle at these horizons: measured equals the lower bound
    np.testing.assert_allclose(d["measured"], d["lower"], rtol=1e-6)
    with pytest.raises(InvalidParameterError, match="Ts"):
        plots.measured_vs_T(s, spec, [[3.0]], upper="D-SC/theorem-a/prescribed", Ts=(100, 10))
    with pytest.raises(InvalidParameterError, match="upper"):
        plots.measured_vs_T(s, spec, [[3.0]], upper="L-SC/limit", Ts=(10, 100))


# ---- per-bound sweep plots (sambounds report --plots) and figure 1's layering -------------------

def _sweep_report(bound_values, measured, quantity="grad-min", verdict="holds", slope=True):
    from sambounds.check.report import Report, SlopeFit, Verdict

    xs = (200.0, 400.0, 800.0, 1600.0)
    fit = SlopeFit("T", -1.0, -1.1, -0.9, -1.0, 4, 0.95, True, "", xs, tuple(measured), tuple(bound_values))
    return Report(bound="D-XX/a-rather-long-name/for-wrapping", check="upper", verdict=Verdict(verdict),
                  algorithms="sam", function_class="nonconvex", kind="upper", provenance="derived",
                  quantity=quantity, worst_ratio=1.0, slope=fit if slope else None)


def test_sweep_plot_draws_the_measured_series_on_top_of_an_attained_bound():
    from sambounds.plots.sweeps import sweep_figure

    values = (1e-2, 5e-3, 2.5e-3, 1.25e-3)
    fig = sweep_figure(_sweep_report(values, values))        # attained with equality: same points
    ax = fig.axes[0]
    by_label = {line.get_label(): line for line in ax.lines}
    measured, bound = by_label["measured (worst instance)"], by_label["upper bound"]
    assert measured.get_zorder() > bound.get_zorder()
    assert measured.get_linestyle() != bound.get_linestyle() and measured.get_marker() != bound.get_marker()
    np.testing.assert_array_equal(measured.get_ydata(), values)
    # words, not the internal code; the full name in the title; the legend outside the axes
    assert "grad-min" not in ax.get_ylabel() and "smallest squared gradient norm" in ax.get_ylabel()
    assert "D-XX/a-rather-long-name/for-wrapping" in ax.get_title().replace("\n", "")
    assert ax.get_legend() is None and len(fig.legends) == 1
    fig.canvas.draw()
    legend_box = fig.legends[0].get_window_extent()
    assert not legend_box.overlaps(ax.get_window_extent())
    # x tick labels at the swept values, in full, none overlapping
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert [t.get_text() for t in labels] == ["200", "400", "800", "1600"]
    boxes = [t.get_window_extent() for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_sweep_plots_name_the_bounds_they_cannot_draw(tmp_path):
    from sambounds.plots.sweeps import write_sweep_plots

    drawn = write_sweep_plots([_sweep_report((1, 2, 3, 4), (1, 2, 3, 4)),
                               _sweep_report((), (), slope=False)], tmp_path / "new" / "plots")
    assert [p.name for p in drawn.written] == ["D-XX_a-rather-long-name_for-wrapping.png"]
    assert drawn.skipped == (("D-XX/a-rather-long-name/for-wrapping", "no rate sweep, checked at fixed sizes only"),)
    _assert_nontrivial_png(drawn.written[0], min_bytes=5_000)


def test_figure1_draws_gd_over_sam():
    fig = plots.figure1(T=100)
    for ax in fig.axes[:2]:
        gd = [line for line in ax.lines if line.get_color() == "C0" and line.get_linestyle() == "--"]
        sam = [line for line in ax.lines if line.get_color() == "C3" and line.get_linestyle() == "-"]
        assert gd and sam and min(g.get_zorder() for g in gd) > max(s.get_zorder() for s in sam)


def test_plot_command_creates_the_output_folder(tmp_path, capsys):
    out = tmp_path / "newdir" / "deeper" / "cycle.png"
    assert main(["plot", "two-cycle", "--out", str(out), "--T", "10"]) == 0
    assert out.is_file()
    assert main(["plot", "two-cycle", "--out", str(tmp_path / "other" / "cycle.txt")]) == 2
    assert not (tmp_path / "other").exists()      # a bad suffix makes no folder
