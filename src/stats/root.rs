//! Brent's root finder, ported line for line from R's `R_zeroin2` (src/library/stats/src/zeroin.c)
//! so that routines that call `uniroot` in R (the asymptotic Wilcoxon interval) give the same
//! digits here.

/// Outcome of [`zeroin`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Root {
    pub root: f64,
    /// Iterations used.
    pub iterations: usize,
    /// `false` when `max_iter` was reached before the tolerance.
    pub converged: bool,
}

/// Find a root of `f` in `[ax, bx]` given `fa = f(ax)`, `fb = f(bx)` of opposite signs,
/// to the absolute tolerance `tol` (R's `uniroot(..., tol)`), in at most `max_iter` steps.
pub fn zeroin<F: FnMut(f64) -> f64>(
    ax: f64,
    bx: f64,
    fa: f64,
    fb: f64,
    mut f: F,
    tol: f64,
    max_iter: usize,
) -> Root {
    let eps = f64::EPSILON;
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (fa, fb);
    let mut c = a;
    let mut fc = fa;

    if fa == 0.0 {
        return Root {
            root: a,
            iterations: 0,
            converged: true,
        };
    }
    if fb == 0.0 {
        return Root {
            root: b,
            iterations: 0,
            converged: true,
        };
    }
    let mut iterations = 0;
    while iterations <= max_iter {
        iterations += 1;
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * eps * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return Root {
                root: b,
                iterations,
                converged: true,
            };
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qq = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < (0.75 * cb * q - (tol_act * q).abs() / 2.0) && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    Root {
        root: b,
        iterations,
        converged: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sqrt_two() {
        let r = zeroin(0.0, 2.0, -2.0, 2.0, |x| x * x - 2.0, 1e-12, 1000);
        assert!(r.converged);
        assert!((r.root - 2f64.sqrt()).abs() < 1e-12);
    }
}
