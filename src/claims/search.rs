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
//!
//! Reads and writes no files: the rows go to [`super::cohort`], the verification of each
//! cohort against the claims is [`super::simulate`]'s.

use super::checks::check_claim;
use super::cohort::{visit_week, Grid, SimCohort, SimRow};
use super::estimand::is_rate_estimand;
use super::rounding::Range;
use super::schema::{Claim, SampleSize};
use super::violation::violation;
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
