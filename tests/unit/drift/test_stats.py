"""Distances and tests against independent references (scipy and the formulas written out here)."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats as sps
from scipy.spatial.distance import jensenshannon

from mlops_drift.spec import quantile_edges
from mlops_drift.stats import chi2_homogeneity, chi2_sf, js_distance, ks_binned, ks_distance, psi


def _hist(values, edges):
    """Counts per open-ended bin [e_i-1, e_i), written independently of the engine."""
    bounds = [-math.inf, *edges, math.inf]
    return [int(np.sum((values >= lo) & (values < hi))) for lo, hi in itertools.pairwise(bounds)]


@pytest.mark.parametrize("seed", range(5))
def test_exact_ks_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=rng.integers(20, 400))
    b = rng.normal(0.3, 1.2, size=rng.integers(20, 400))
    assert ks_distance(a, b) == pytest.approx(sps.ks_2samp(a, b).statistic, abs=1e-12)


def test_exact_ks_with_ties_equals_scipy():
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 5, 300), rng.integers(1, 6, 200)
    assert ks_distance(a, b) == pytest.approx(sps.ks_2samp(a, b).statistic, abs=1e-12)


@pytest.mark.parametrize("shift", [0.0, 0.2, 1.0])
def test_binned_ks_is_bounded_by_exact_ks(shift):
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=3000), rng.normal(shift, 1.0, size=2000)
    edges = quantile_edges(a, 10)
    ha, hb = _hist(a, edges), _hist(b, edges)
    exact, binned = ks_distance(a, b), ks_binned(ha, hb)
    max_mass = max(max(np.array(ha) / sum(ha)), max(np.array(hb) / sum(hb)))
    assert binned <= exact + 1e-12
    assert exact <= binned + max_mass + 1e-12


def test_psi_matches_formula():
    expected, actual = [10, 20, 30, 0, 40], [15, 15, 25, 5, 40]
    eps = 1e-4
    p = [max(x / 100, eps) for x in expected]
    q = [max(x / 100, eps) for x in actual]
    reference = sum((qi - pi) * math.log(qi / pi) for pi, qi in zip(p, q, strict=True))
    assert psi(expected, actual) == pytest.approx(reference, rel=1e-12)


def test_psi_of_identical_distributions_is_zero():
    assert psi([5, 10, 15], [50, 100, 150]) == 0.0


def test_js_distance_matches_scipy():
    p, q = [10, 0, 30, 60], [20, 20, 20, 40]
    assert js_distance(p, q) == pytest.approx(jensenshannon(p, q, base=2), abs=1e-12)
    assert js_distance([1, 0], [0, 1]) == pytest.approx(1.0)


@pytest.mark.parametrize("dof", [1, 2, 3, 5, 10, 29, 100, 1000])
@pytest.mark.parametrize("x", [0.001, 0.5, 1.0, 3.84, 10.0, 50.0, 150.0, 900.0, 1500.0])
def test_chi2_sf_matches_scipy(dof, x):
    reference = sps.chi2.sf(x, dof)
    assert chi2_sf(x, dof) == pytest.approx(reference, rel=1e-9, abs=1e-300)


def test_chi2_homogeneity_matches_scipy_contingency():
    expected, actual = [120, 80, 40, 0, 10], [100, 95, 30, 5, 20]
    statistic, dof, p_value = chi2_homogeneity(expected, actual)
    ref = sps.chi2_contingency(np.array([expected, actual])[:, [0, 1, 2, 3, 4]] + 0, correction=False)
    assert statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert dof == ref.dof
    assert p_value == pytest.approx(ref.pvalue, rel=1e-9)
