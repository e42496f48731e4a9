//! Fisher's exact test for a 2 × 2 table with the conditional maximum-likelihood odds ratio and
//! its exact interval, following R's `fisher.test`: the same noncentral hypergeometric
//! functions (`dnhyper`, `mnhyper`, `pnhyper`) and the same two-sided p-value (tables no more
//! probable than the observed one, with a relative slack of 1e-7).
//!
//! R solves for the estimate and the limits with `uniroot` at its default tolerance (about
//! 1.2e-4 on the odds-ratio scale); here they are solved on the log scale to about 1e-13, so
//! they agree with R's printed values to about 1e-4 and with the exact roots to 1e-10.

use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, TestResult,
};
use super::root::zeroin;
use statrs::function::gamma::ln_gamma;

fn ln_choose(n: f64, k: f64) -> f64 {
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// The noncentral hypergeometric distribution of the table's top-left cell. Log coefficients
/// are computed on demand and cached; each density is evaluated only where it is not exactly 0
/// in double precision (a window around the mode: the log density is concave), so a table of
/// 400,000 patients costs a few thousand terms, not 200,000. Terms outside the window are those
/// whose exp() underflows to exactly 0, so results are bit-identical to summing the whole support.
struct NoncentralHypergeometric {
    x: i64,
    lo: i64,
    hi: i64,
    m: i64,
    n: i64,
    k: i64,
    log_dc: std::cell::RefCell<Vec<f64>>,
    /// ln Γ(m + 1), ln Γ(n + 1) and ln C(m + n, k).
    constants: [f64; 3],
}

/// Below this log-density relative to the maximum, exp() is exactly 0 (it underflows below
/// about −745.13); the margin absorbs rounding in the log coefficients.
const WINDOW_LOG: f64 = -800.0;

/// The window for the estimate and the interval: terms below e^-60 of the largest sum to less
/// than 1e-21 of it (the log density is concave, so they fall off at least geometrically), far
/// below a double's precision for the mean and for tail probabilities near α/2; the root
/// finder sees the same function. The p-value keeps the full window (its table may lie in a
/// far tail).
const ROOT_WINDOW_LOG: f64 = -60.0;

impl NoncentralHypergeometric {
    fn new(x: i64, lo: i64, hi: i64, m: i64, n: i64, k: i64) -> Self {
        NoncentralHypergeometric {
            x,
            lo,
            hi,
            m,
            n,
            k,
            log_dc: std::cell::RefCell::new(vec![f64::NAN; (hi - lo + 1) as usize]),
            constants: [
                ln_gamma(m as f64 + 1.0),
                ln_gamma(n as f64 + 1.0),
                ln_choose((m + n) as f64, k as f64),
            ],
        }
    }

    fn log_dc(&self, s: i64) -> f64 {
        let i = (s - self.lo) as usize;
        let cached = self.log_dc.borrow()[i];
        if !cached.is_nan() {
            return cached;
        }
        let (m, n, k) = (self.m as f64, self.n as f64, self.k as f64);
        let s = s as f64;
        // ln_choose(m, s) + ln_choose(n, k − s) − ln_choose(m + n, k), with the terms that do
        // not depend on s computed once (the same operations in the same order: bit-identical).
        let [lg_m, lg_n, lg_total] = self.constants;
        let v = (lg_m - ln_gamma(s + 1.0) - ln_gamma(m - s + 1.0))
            + (lg_n - ln_gamma(k - s + 1.0) - ln_gamma(n - (k - s) + 1.0))
            - lg_total;
        self.log_dc.borrow_mut()[i] = v;
        v
    }

    /// The density on [start, start + len) (zero elsewhere), as R's `dnhyper`.
    fn density(&self, ncp: f64, window: f64) -> (i64, Vec<f64>) {
        let ln_ncp = ncp.ln();
        let d = |s: i64| self.log_dc(s) + ln_ncp * s as f64;
        // Approximate mode by bisection on the (decreasing) first difference.
        let (mut a, mut b) = (self.lo, self.hi);
        while a < b {
            let mid = a + (b - a) / 2;
            if d(mid + 1) > d(mid) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        let peak = d(a);
        let mut start = a;
        while start > self.lo && d(start - 1) - peak >= window {
            start -= 1;
        }
        let mut end = a;
        while end < self.hi && d(end + 1) - peak >= window {
            end += 1;
        }
        let logs: Vec<f64> = (start..=end).map(d).collect();
        let max = logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = logs.iter().map(|v| (v - max).exp()).collect();
        let total: f64 = e.iter().sum();
        (start, e.iter().map(|v| v / total).collect())
    }

    fn mean(&self, ncp: f64) -> f64 {
        if ncp == 0.0 {
            return self.lo as f64;
        }
        if ncp.is_infinite() {
            return self.hi as f64;
        }
        let (start, dens) = self.density(ncp, ROOT_WINDOW_LOG);
        dens.iter()
            .enumerate()
            .map(|(i, d)| d * (start + i as i64) as f64)
            .sum()
    }

    /// P(X ≤ x) or, with `upper`, P(X ≥ x).
    fn p(&self, ncp: f64, upper: bool) -> f64 {
        let (start, dens) = self.density(ncp, ROOT_WINDOW_LOG);
        dens.iter()
            .enumerate()
            .filter(|(i, _)| {
                let s = start + *i as i64;
                if upper {
                    s >= self.x
                } else {
                    s <= self.x
                }
            })
            .map(|(_, d)| d)
            .sum()
    }

    /// Solve f(exp(u)) = target for u, f increasing in u; returns exp(u).
    fn solve_log(&self, f: impl Fn(f64) -> f64, target: f64) -> Option<f64> {
        let g = |u: f64| f(u.exp()) - target;
        let (mut lo, mut hi) = (-2.0, 2.0);
        let (mut glo, mut ghi) = (g(lo), g(hi));
        let mut steps = 0;
        while glo > 0.0 || ghi < 0.0 {
            steps += 1;
            if steps > 60 {
                return None;
            }
            if glo > 0.0 {
                lo *= 2.0;
                glo = g(lo);
            }
            if ghi < 0.0 {
                hi *= 2.0;
                ghi = g(hi);
            }
        }
        let r = zeroin(lo, hi, glo, ghi, g, 1e-14, 1000);
        r.converged.then(|| r.root.exp())
    }
}

/// Fisher's exact test of the table [[a, b], [c, d]] (rows: arm, control; columns: event, no
/// event). The odds ratio is (a/b) / (c/d) by conditional maximum likelihood.
pub fn fisher_exact(
    a: usize,
    b: usize,
    c: usize,
    d: usize,
    conf_level: f64,
    label: &'static str,
) -> TestResult {
    let mut out = TestResult::empty(a + b + c + d, Alternative::TwoSided);
    let (m, n, k, x) = ((a + c) as i64, (b + d) as i64, (a + b) as i64, a as i64);
    if a + b == 0 || c + d == 0 {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: (a + b).min(c + d),
            required: 1,
        });
        return out;
    }
    let lo = 0.max(k - n);
    let hi = k.min(m);
    let h = NoncentralHypergeometric::new(x, lo, hi, m, n, k);

    // Two-sided p at odds ratio 1 (cells outside the window have density exactly 0).
    let (start, dens) = h.density(1.0, WINDOW_LOG);
    let observed = usize::try_from(x - start)
        .ok()
        .and_then(|i| dens.get(i).copied())
        .unwrap_or(0.0);
    let p: f64 = dens.iter().filter(|&&v| v <= observed * (1.0 + 1e-7)).sum();
    out.p_value = Some(p.min(1.0));
    out.p_value_method = Some(PValueMethod::FisherExact);

    let mut failed = false;
    let estimate = if x == lo {
        0.0
    } else if x == hi {
        f64::INFINITY
    } else {
        h.solve_log(|t| h.mean(t), x as f64).unwrap_or_else(|| {
            failed = true;
            f64::NAN
        })
    };
    let alpha = (1.0 - conf_level) / 2.0;
    // Lower limit: P(X ≥ x; t) = α, increasing in t.
    let lower = if x == lo {
        0.0
    } else {
        h.solve_log(|t| h.p(t, true), alpha).unwrap_or_else(|| {
            failed = true;
            f64::NAN
        })
    };
    // Upper limit: P(X ≤ x; t) = α, decreasing in t, so solve 1 − P = 1 − α... on the same
    // increasing scale: −P(X ≤ x; t) = −α.
    let upper = if x == hi {
        f64::INFINITY
    } else {
        h.solve_log(|t| -h.p(t, false), -alpha).unwrap_or_else(|| {
            failed = true;
            f64::NAN
        })
    };
    if failed {
        out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "Fisher odds-ratio root finder",
        });
        return out;
    }
    out.estimate = Some(Estimate {
        label,
        value: estimate,
    });
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::FisherConditional,
    });
    out
}
