//! Patient-level cohorts consistent with published claims: a seeded SPRITE-style search.
//!
//! For every arm the claims name, n patients get a baseline and a follow-up value of every
//! endpoint at every claimed visit, on the grid of the endpoint's scale (bounds and step).
//! A constructive start (percent changes drawn around the claimed mean and implied SD, each
//! patient's draws correlated (0.8) with one response shared by the arm's endpoints and visits,
//! the claimed number of strongest responders cleared) is repaired by random single-value moves,
//! accepted when they do not increase the total violation of the claims (SPRITE, Heathers et
//! al. 2018, generalised from one mean and SD to every estimand below). The search stops at
//! zero violation, restarts a bounded number of times, and otherwise fails naming the claims
//! it could not meet: it never loops forever.
//!
//! Estimands handled: mean_pct_change, mean_change, cohen_dz, mean and sd (raw follow-up
//! values), clearance_rate and responder{P}_rate. Between-arm claims are not simulated.
//!
//! closure-core (CLOSURE) was evaluated for this job: it enumerates every sample of one
//! integer-scale variable with a given mean and SD, which fits a single raw-score claim but
//! not paired baseline/follow-up values whose claims are on percent change; it is used in
//! `reproduce` for the raw-score case instead.

use super::checks::check_claim;
use super::estimand::is_rate_estimand;
use super::reported::{Reported, ReportedP};
use super::rounding::Range;
use super::schema::{Claim, SampleSize, Scale};
use crate::stats::descriptive::{mean, sd};
use crate::stats::distributions::{t_quantile, t_sf};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Options of a simulation.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub seed: u64,
    /// Patients per arm for arms whose claims give no n.
    pub n: Option<usize>,
    /// Moves per attempt.
    pub max_moves: usize,
    /// Restarts before giving up.
    pub attempts: usize,
}

impl Default for SimulateOptions {
    fn default() -> Self {
        SimulateOptions {
            seed: 1,
            n: None,
            max_moves: 200_000,
            attempts: 25,
        }
    }
}

/// Why no cohort could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulateError {
    #[error("{0}")]
    Unsupported(String),
    #[error("no cohort found that meets every claim after {attempts} attempts of {moves} moves; closest attempt misses: {missed}")]
    NotFound {
        attempts: usize,
        moves: usize,
        missed: String,
    },
}

/// One row of the simulated long-format cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct SimRow {
    pub patient_id: String,
    pub arm: String,
    pub visit: String,
    pub week: f64,
    pub endpoint: String,
    /// The value as text, on the scale's grid.
    pub value: String,
}

/// A simulated cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct SimCohort {
    pub rows: Vec<SimRow>,
    /// Moves used (summed over endpoints and attempts).
    pub moves: usize,
    pub attempts: usize,
}

/// The grid of one endpoint: value = units × step, within [min, max].
#[derive(Debug, Clone, Copy)]
struct Grid {
    decimals: u32,
    /// step × 10^decimals, an integer.
    step_int: i64,
    min_u: i64,
    max_u: i64,
    /// Baselines drawn from this range of units.
    base_lo: i64,
    base_hi: i64,
}

impl Grid {
    fn from_scale(scale: Option<Scale>) -> Grid {
        let step = scale.and_then(|s| s.step).unwrap_or(0.1);
        let text = format!("{step}");
        let decimals = text.split('.').nth(1).map(|f| f.len() as u32).unwrap_or(0);
        let step_int = (step * 10f64.powi(decimals as i32)).round() as i64;
        let min = scale.and_then(|s| s.min).unwrap_or(0.0);
        let min_u = (min / step).ceil() as i64;
        let (max_u, base_lo, base_hi) = match scale.and_then(|s| s.max) {
            Some(max) => {
                let max_u = (max / step).floor() as i64;
                let lo = (min_u + ((max_u - min_u) as f64 * 0.4).ceil() as i64).max(1);
                (max_u, lo.min(max_u), max_u)
            }
            None => {
                // Unbounded above: baselines of 20–40 steps (1.8–4.2 mm at a step of 0.1).
                let lo = (min_u.max(0) + 18).max(1);
                (i64::MAX / 4, lo, lo + 24)
            }
        };
        Grid {
            decimals,
            step_int,
            min_u,
            max_u,
            base_lo,
            base_hi,
        }
    }
    fn value(&self, u: i64) -> f64 {
        (u * self.step_int) as f64 / 10f64.powi(self.decimals as i32)
    }
    fn text(&self, u: i64) -> String {
        let d = self.decimals as usize;
        format!("{:.d$}", self.value(u))
    }
    fn clamp(&self, u: i64) -> i64 {
        u.clamp(self.min_u, self.max_u)
    }
}

/// One visit's claims of an endpoint × arm, with what the search needs.
struct VisitClaims<'a> {
    visit: String,
    claims: Vec<&'a Claim>,
    /// Percent-change centre and spread for the start.
    centre: f64,
    spread: f64,
    cleared: Option<usize>,
    /// Which patients are cleared (follow-up at the clear value), fixed for the search and
    /// shared by every endpoint of the arm at this visit.
    cleared_set: Vec<bool>,
}

struct Group<'a> {
    endpoint: String,
    arm: String,
    n: usize,
    grid: Grid,
    visits: Vec<VisitClaims<'a>>,
    /// Each patient's response (standard normal), shared by every endpoint and visit of the
    /// arm, so that trajectories are coherent: good responders stay good responders.
    latent: Vec<f64>,
}

/// Correlation of a patient's percent changes with their response, across visits and endpoints.
const RESPONSE_CORRELATION: f64 = 0.8;

fn qt2(conf: f64, df: f64) -> f64 {
    t_quantile(1.0 - (1.0 - conf) / 2.0, df)
}

/// Distance of x from a reported number, in half-units beyond its rounding (0 when it rounds to it).
fn miss(x: f64, r: &Reported, scale: f64) -> f64 {
    let h = r.half_unit() * scale;
    let v = r.value * scale;
    let d = (x - v).abs() - h * (1.0 - 1e-6);
    if d <= 0.0 {
        0.0
    } else {
        1.0 + d / h
    }
}

fn p_miss(p: f64, rp: &ReportedP, alpha: f64) -> f64 {
    if rp.admits(p, alpha) {
        return 0.0;
    }
    let target = match rp {
        ReportedP::Equal(r) | ReportedP::Less(r) | ReportedP::Greater(r) => r.value.max(1e-300),
        ReportedP::NotSignificant => alpha,
    };
    1.0 + (p.max(1e-300).log10() - target.log10()).abs()
}

/// How far a set of values is from meeting one claim (0 = met).
fn violation(c: &Claim, base: &[f64], follow: &[f64], clear_value: f64) -> f64 {
    let n = base.len();
    let est = c.estimand.as_str();
    let mut v = 0.0;
    let series: Option<Vec<f64>> = match est {
        "mean_pct_change" => Some(
            base.iter()
                .zip(follow)
                .map(|(b, f)| 100.0 * (f - b) / b)
                .collect(),
        ),
        "mean_change" | "cohen_dz" => Some(base.iter().zip(follow).map(|(b, f)| f - b).collect()),
        "mean" | "sd" => Some(follow.to_vec()),
        _ => None,
    };
    if let Some(x) = series {
        let m = mean(&x).unwrap_or(0.0);
        let s = sd(&x).unwrap_or(0.0);
        let nf = n as f64;
        if est == "sd" {
            if let Some(e) = &c.estimate {
                v += miss(s, e, 1.0);
            }
            return v;
        }
        if est == "cohen_dz" {
            if let Some(e) = &c.estimate {
                v += miss(if s > 0.0 { m / s } else { 0.0 }, e, 1.0);
            }
            return v;
        }
        if let Some(e) = &c.estimate {
            v += miss(m, e, 1.0);
        }
        if let Some(r) = &c.sd {
            v += miss(s, r, 1.0);
        }
        if n >= 2 {
            let se = s / nf.sqrt();
            if let Some((lo, hi)) = &c.ci {
                let q = qt2(c.conf_level, nf - 1.0);
                v += miss(m - q * se, lo, 1.0) + miss(m + q * se, hi, 1.0);
            }
            if let Some(rp) = &c.p {
                let p = if se > 0.0 {
                    2.0 * t_sf((m / se).abs(), nf - 1.0)
                } else if m == 0.0 {
                    1.0
                } else {
                    0.0
                };
                v += p_miss(p, rp, c.alpha);
            }
        }
        return v;
    }
    if is_rate_estimand(est) {
        let k = if est == "clearance_rate" {
            follow.iter().filter(|&&f| f == clear_value).count()
        } else {
            let p: f64 = est
                .trim_start_matches("responder")
                .trim_end_matches("_rate")
                .parse()
                .unwrap_or(50.0);
            let slack = 1e-9 * p.max(1.0);
            base.iter()
                .zip(follow)
                .filter(|(b, f)| {
                    let pct = 100.0 * (**f - **b) / **b;
                    let improvement = if c.higher_is_better { pct } else { -pct };
                    improvement >= p - slack
                })
                .count()
        };
        if let Some(want) = c.k {
            v += 2.0 * (k as f64 - want as f64).abs();
        }
        if let Some(e) = &c.estimate {
            let scale = if e.percent || e.value > 1.0 {
                100.0
            } else {
                1.0
            };
            v += miss(k as f64 / n as f64 * scale, e, 1.0);
        }
    }
    v
}

fn visit_week(name: &str, index: usize) -> f64 {
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "baseline" | "bl" | "screening-day-0") {
        return 0.0;
    }
    let digits: String = lower
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let x: f64 = digits.parse().unwrap_or(index as f64);
    if lower.starts_with("month") {
        (x * 52.0 / 12.0).round()
    } else if lower.starts_with("day") {
        x / 7.0
    } else {
        x
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller on two uniforms in (0, 1].
    let u1: f64 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn build_groups<'a>(
    claims: &'a [Claim],
    n_default: Option<usize>,
) -> Result<Vec<Group<'a>>, SimulateError> {
    if let Some(c) = claims.iter().find(|c| c.control.is_some()) {
        return Err(SimulateError::Unsupported(format!(
            "claim {:?} compares two arms: simulate builds cohorts from within-arm claims only",
            c.id
        )));
    }
    const SUPPORTED: &[&str] = &[
        "mean_pct_change",
        "mean_change",
        "cohen_dz",
        "mean",
        "sd",
        "clearance_rate",
    ];
    if let Some(c) = claims
        .iter()
        .find(|c| !SUPPORTED.contains(&c.estimand.as_str()) && !is_rate_estimand(&c.estimand))
    {
        return Err(SimulateError::Unsupported(format!(
            "claim {:?}: simulate does not handle the estimand {} (handled: {}, responder{{P}}_rate)",
            c.id,
            c.estimand,
            SUPPORTED.join(", ")
        )));
    }
    // Arms and their n.
    let mut arms: Vec<(String, Option<usize>, String)> = Vec::new();
    for c in claims {
        let n = match c.n {
            Some(SampleSize::One(n)) => Some(n),
            _ => None,
        };
        match arms.iter_mut().find(|a| a.0 == c.arm) {
            Some(a) => match (a.1, n) {
                (Some(x), Some(y)) if x != y => {
                    return Err(SimulateError::Unsupported(format!(
                        "arm {}: claim {:?} gives n = {x}, claim {:?} gives n = {y}; simulate needs one n per arm",
                        c.arm, a.2, c.id
                    )))
                }
                (None, Some(y)) => {
                    a.1 = Some(y);
                    a.2 = c.id.clone();
                }
                _ => {}
            },
            None => arms.push((c.arm.clone(), n, c.id.clone())),
        }
    }
    let mut groups = Vec::new();
    for (arm, n, _) in &arms {
        let n = match (n, n_default) {
            (Some(n), _) => *n,
            (None, Some(d)) => d,
            (None, None) => {
                return Err(SimulateError::Unsupported(format!(
                    "arm {arm}: no claim gives n; say how many patients to simulate with --n"
                )))
            }
        };
        if n < 2 {
            return Err(SimulateError::Unsupported(format!(
                "arm {arm}: n = {n}; at least 2 patients are needed"
            )));
        }
        let mut endpoints: Vec<&str> = Vec::new();
        let mut visits: Vec<&str> = Vec::new();
        for c in claims.iter().filter(|c| &c.arm == arm) {
            if !endpoints.contains(&c.endpoint.as_str()) {
                endpoints.push(&c.endpoint);
            }
            if !visits.contains(&c.visit.as_str()) {
                visits.push(&c.visit);
            }
        }
        for endpoint in endpoints {
            let mine: Vec<&Claim> = claims
                .iter()
                .filter(|c| &c.arm == arm && c.endpoint == endpoint)
                .collect();
            let scale = mine.iter().find_map(|c| c.scale);
            let grid = Grid::from_scale(scale);
            // Reference centre/spread for visits without a mean claim.
            let reference = mine
                .iter()
                .find(|c| c.estimand == "mean_pct_change" && c.estimate.is_some())
                .map(|c| centre_spread(c, n))
                .unwrap_or((-50.0, 20.0));
            let mut vcs = Vec::new();
            for visit in &visits {
                let cs: Vec<&Claim> = mine.iter().copied().filter(|c| c.visit == *visit).collect();
                let (centre, spread) = cs
                    .iter()
                    .find(|c| c.estimand == "mean_pct_change" && c.estimate.is_some())
                    .map(|c| centre_spread(c, n))
                    .unwrap_or(reference);
                let cleared = cs
                    .iter()
                    .find(|c| c.estimand == "clearance_rate")
                    .and_then(|c| c.k);
                vcs.push(VisitClaims {
                    visit: visit.to_string(),
                    claims: cs,
                    centre,
                    spread,
                    cleared,
                    cleared_set: Vec::new(),
                });
            }
            groups.push(Group {
                endpoint: endpoint.to_string(),
                arm: arm.clone(),
                n,
                grid,
                visits: vcs,
                latent: Vec::new(),
            });
        }
    }
    Ok(groups)
}

/// Centre and spread of percent changes to start from: the claimed mean and the middle of
/// the SD range its other figures allow.
fn centre_spread(c: &Claim, n: usize) -> (f64, f64) {
    let m = c.estimate.as_ref().map(|e| e.value).unwrap_or(-50.0);
    let mut c2 = c.clone();
    if c2.n.is_none() {
        c2.n = Some(SampleSize::One(n));
    }
    let ck = check_claim(&c2);
    let spread = match ck.recomputed.sd {
        Some(Range { low, high }) if high.is_finite() && low > 0.0 => (low + high) / 2.0,
        Some(Range { high, .. }) if high.is_finite() => (high * 0.5).min(m.abs() * 0.4).max(1.0),
        _ => (m.abs() * 0.4).max(5.0),
    };
    (m, spread)
}

struct GroupState {
    base: Vec<i64>,
    /// follow[visit][patient]
    follow: Vec<Vec<i64>>,
}

fn group_violation(g: &Group, st: &GroupState, vi: usize) -> f64 {
    let base: Vec<f64> = st.base.iter().map(|&u| g.grid.value(u)).collect();
    let follow: Vec<f64> = st.follow[vi].iter().map(|&u| g.grid.value(u)).collect();
    g.visits[vi]
        .claims
        .iter()
        .map(|c| violation(c, &base, &follow, 0.0))
        .sum()
}

fn start_state(g: &Group, rng: &mut ChaCha8Rng) -> GroupState {
    let grid = g.grid;
    let base: Vec<i64> = (0..g.n)
        .map(|_| rng.gen_range(grid.base_lo..=grid.base_hi))
        .collect();
    let mut follow = Vec::new();
    for v in &g.visits {
        let f: Vec<i64> = base
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if v.cleared_set.get(i) == Some(&true) {
                    return 0;
                }
                let r = RESPONSE_CORRELATION;
                let z = r * g.latent[i] + (1.0 - r * r).sqrt() * normal(rng);
                let x = (v.centre + v.spread * z).clamp(-99.0, 200.0);
                let u = ((b as f64) * (1.0 + x / 100.0)).round() as i64;
                grid.clamp(u.max(if v.cleared.is_some() { 1 } else { grid.min_u }))
            })
            .collect();
        follow.push(f);
    }
    GroupState { base, follow }
}

/// Search one endpoint × arm; returns the state and the moves used, or the best state's misses.
fn search_group(
    g: &Group,
    rng: &mut ChaCha8Rng,
    opts: &SimulateOptions,
) -> Result<(GroupState, usize), (f64, String)> {
    let mut best_total = f64::INFINITY;
    let mut best_missed = String::new();
    let mut moves_used = 0usize;
    for _attempt in 0..opts.attempts {
        let mut st = start_state(g, rng);
        let mut viol: Vec<f64> = (0..g.visits.len())
            .map(|vi| group_violation(g, &st, vi))
            .collect();
        let mut moves = 0usize;
        while viol.iter().sum::<f64>() > 0.0 && moves < opts.max_moves {
            moves += 1;
            // Work on a visit that still misses; move a follow-up (or now and then a baseline).
            let bad: Vec<usize> = (0..viol.len()).filter(|&i| viol[i] > 0.0).collect();
            let vi = bad[rng.gen_range(0..bad.len())];
            let i = rng.gen_range(0..g.n);
            let delta: i64 = if rng.gen::<bool>() { 1 } else { -1 }
                * if rng.gen_range(0..4) == 0 { 2 } else { 1 };
            let move_base = rng.gen_range(0..5) == 0;
            if move_base {
                let old = st.base[i];
                let new = g.grid.clamp(old + delta).max(1);
                if new == old {
                    continue;
                }
                st.base[i] = new;
                let new_viol: Vec<f64> = (0..g.visits.len())
                    .map(|v| group_violation(g, &st, v))
                    .collect();
                if new_viol.iter().sum::<f64>() <= viol.iter().sum::<f64>() {
                    viol = new_viol;
                } else {
                    st.base[i] = old;
                }
            } else {
                let old = st.follow[vi][i];
                let v = &g.visits[vi];
                if v.cleared_set.get(i) == Some(&true) {
                    continue;
                }
                let floor = if v.cleared.is_some() { 1 } else { g.grid.min_u };
                let new = g.grid.clamp(old + delta).max(floor);
                if new == old {
                    continue;
                }
                st.follow[vi][i] = new;
                let nv = group_violation(g, &st, vi);
                if nv <= viol[vi] {
                    viol[vi] = nv;
                } else {
                    st.follow[vi][i] = old;
                }
            }
        }
        moves_used += moves;
        let total: f64 = viol.iter().sum();
        if total == 0.0 {
            return Ok((st, moves_used));
        }
        if total < best_total {
            best_total = total;
            let base: Vec<f64> = st.base.iter().map(|&u| g.grid.value(u)).collect();
            let mut missed = Vec::new();
            for (vi, v) in g.visits.iter().enumerate() {
                let follow: Vec<f64> = st.follow[vi].iter().map(|&u| g.grid.value(u)).collect();
                for c in &v.claims {
                    if violation(c, &base, &follow, 0.0) > 0.0 {
                        missed.push(format!("{:?} (line {})", c.id, c.line));
                    }
                }
            }
            best_missed = missed.join(", ");
        }
    }
    Err((best_total, best_missed))
}

/// Simulate one cohort (solution `index` of the seed's sequence).
pub fn simulate(
    claims: &[Claim],
    opts: &SimulateOptions,
    index: u64,
) -> Result<SimCohort, SimulateError> {
    let mut groups = build_groups(claims, opts.n)?;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    rng.set_stream(index);
    // Each arm's patients get a response; the strongest responders are the ones cleared, at
    // every visit and endpoint that claims clearance.
    let mut responses: Vec<(String, Vec<f64>, Vec<usize>)> = Vec::new();
    for g in &mut groups {
        let n = g.n;
        let pos = match responses.iter().position(|r| r.0 == g.arm) {
            Some(p) => p,
            None => {
                let latent: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by(|&a, &b| latent[a].total_cmp(&latent[b]).then(a.cmp(&b)));
                responses.push((g.arm.clone(), latent, order));
                responses.len() - 1
            }
        };
        g.latent = responses[pos].1.clone();
        for v in &mut g.visits {
            let Some(k) = v.cleared else { continue };
            if k > n {
                return Err(SimulateError::Unsupported(format!(
                    "{} / {} / {}: {k} cleared of {n} patients",
                    g.endpoint, g.arm, v.visit
                )));
            }
            let mut set = vec![false; n];
            for &i in responses[pos].2.iter().take(k) {
                set[i] = true;
            }
            v.cleared_set = set;
        }
    }
    let mut states = Vec::new();
    let mut moves = 0;
    for g in &groups {
        match search_group(g, &mut rng, opts) {
            Ok((st, m)) => {
                moves += m;
                states.push(st);
            }
            Err((_, missed)) => {
                return Err(SimulateError::NotFound {
                    attempts: opts.attempts,
                    moves: opts.max_moves,
                    missed: format!("{} / {}: {missed}", g.endpoint, g.arm),
                })
            }
        }
    }
    // Rows: patients of each arm; every endpoint at baseline and each claimed visit.
    let mut arms: Vec<&str> = Vec::new();
    for g in &groups {
        if !arms.contains(&g.arm.as_str()) {
            arms.push(&g.arm);
        }
    }
    let initials: Vec<char> = arms
        .iter()
        .map(|a| a.chars().next().unwrap_or('P').to_ascii_uppercase())
        .collect();
    let unique_initials =
        (0..arms.len()).all(|i| initials.iter().filter(|&&c| c == initials[i]).count() == 1);
    let mut rows = Vec::new();
    for (ai, arm) in arms.iter().enumerate() {
        let gs: Vec<usize> = (0..groups.len())
            .filter(|&i| groups[i].arm == *arm)
            .collect();
        let n = groups[gs[0]].n;
        let width = (n.to_string().len()).max(2);
        let id = |i: usize| {
            if unique_initials {
                format!("{}{:0width$}", initials[ai], i + 1)
            } else {
                format!("{arm}-{:0width$}", i + 1)
            }
        };
        let visits: Vec<String> = groups[gs[0]]
            .visits
            .iter()
            .map(|v| v.visit.clone())
            .collect();
        let mut order: Vec<(f64, usize)> = visits
            .iter()
            .enumerate()
            .map(|(i, v)| (visit_week(v, i + 1), i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0));
        for p in 0..n {
            for &gi in &gs {
                let g = &groups[gi];
                rows.push(SimRow {
                    patient_id: id(p),
                    arm: arm.to_string(),
                    visit: "baseline".into(),
                    week: 0.0,
                    endpoint: g.endpoint.clone(),
                    value: g.grid.text(states[gi].base[p]),
                });
            }
            for &(week, vi) in &order {
                for &gi in &gs {
                    let g = &groups[gi];
                    rows.push(SimRow {
                        patient_id: id(p),
                        arm: arm.to_string(),
                        visit: visits[vi].clone(),
                        week,
                        endpoint: g.endpoint.clone(),
                        value: g.grid.text(states[gi].follow[vi][p]),
                    });
                }
            }
        }
    }
    Ok(SimCohort {
        rows,
        moves,
        attempts: opts.attempts,
    })
}

/// The long-format CSV of a cohort.
pub fn to_long_csv(c: &SimCohort) -> String {
    let mut s = String::from("patient_id,arm,visit,week,endpoint,value\n");
    for r in &c.rows {
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            r.patient_id, r.arm, r.visit, r.week, r.endpoint, r.value
        ));
    }
    s
}

/// The wide-format CSV of a cohort (one column per endpoint, in first-seen order).
pub fn to_wide_csv(c: &SimCohort) -> String {
    let mut endpoints: Vec<&str> = Vec::new();
    for r in &c.rows {
        if !endpoints.contains(&r.endpoint.as_str()) {
            endpoints.push(&r.endpoint);
        }
    }
    let mut s = format!("patient_id,arm,visit,week,{}\n", endpoints.join(","));
    let mut i = 0;
    while i < c.rows.len() {
        let r = &c.rows[i];
        let mut vals = vec![String::new(); endpoints.len()];
        let mut j = i;
        while j < c.rows.len() && c.rows[j].patient_id == r.patient_id && c.rows[j].visit == r.visit
        {
            let e = endpoints
                .iter()
                .position(|e| *e == c.rows[j].endpoint)
                .unwrap();
            vals[e] = c.rows[j].value.clone();
            j += 1;
        }
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            r.patient_id,
            r.arm,
            r.visit,
            r.week,
            vals.join(",")
        ));
        i = j;
    }
    s
}
