//! MMRM against SAS PROC MIXED listings (tests/reference/mmrm/NOTE.md: the `mmrm` package's
//! validation listings, Apache-2.0).
//!
//! Two checks per listing. (1) At SAS's own printed covariance parameters θ (`fit_at_theta`), every
//! printed number (estimates, SEs, df, LS means, differences, F) to half a unit of its last printed
//! digit or 1e-4 relative, and the full-precision KR csv values to 1e-4 relative: this pins the
//! formulas. (2) At our optimum: −2 log L no larger than SAS's (SAS stops at its convergence
//! criterion, a little short of the optimum: e.g. 6e-6 on UN's −2 REML LL), covariance parameters
//! at 1e-3 and estimates/SEs/df at 1e-4 as testthat's mean relative difference over each table
//! (the convention of the `mmrm` package's own SAS comparisons), KR df per value at 1e-3.

use trialstat::stats::mmrm::{
    fit, fit_at_theta, CovStructure, DdfMethod, Inference, Method, MmrmFit, PatternData, SubjectObs,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/mmrm");

struct Row {
    subject: String,
    visit: usize,
    arm_trt: bool,
    race: String,
    female: bool,
    fev1: Option<f64>,
}

fn fev_rows() -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(format!("{DIR}/fev_data.csv")).expect("fev_data.csv");
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            Row {
                subject: r[0].to_string(),
                visit: r[1]
                    .trim_start_matches("VIS")
                    .parse::<usize>()
                    .expect("visit")
                    - 1,
                arm_trt: &r[2] == "TRT",
                race: r[3].to_string(),
                female: &r[4] == "Female",
                fev1: r[6].parse().ok(),
            }
        })
        .collect()
}

/// Group rows into subjects with the design row produced by `design`.
fn subjects(rows: &[Row], design: impl Fn(&Row) -> Vec<f64>) -> (usize, Vec<SubjectObs>) {
    let mut order: Vec<String> = Vec::new();
    let mut map: std::collections::HashMap<String, SubjectObs> = Default::default();
    let mut p = 0;
    for r in rows {
        let s = map.entry(r.subject.clone()).or_insert_with(|| {
            order.push(r.subject.clone());
            SubjectObs {
                visits: vec![],
                y: vec![],
                x: vec![],
            }
        });
        let Some(y) = r.fev1 else { continue };
        let x = design(r);
        p = x.len();
        s.visits.push(r.visit);
        s.y.push(y);
        s.x.extend(x);
    }
    (
        p,
        order
            .into_iter()
            .map(|k| map.remove(&k).expect("subject"))
            .collect(),
    )
}

/// Half a unit of the last printed digit.
fn printed_tol(printed: &str) -> f64 {
    let decimals = printed.split('.').nth(1).map_or(0, str::len) as i32;
    0.5 * 10f64.powi(-decimals) + 1e-12
}

/// One table of values to compare: ours beside SAS's printed strings.
struct Table {
    name: &'static str,
    ours: Vec<f64>,
    sas: Vec<&'static str>,
}

impl Table {
    fn new(name: &'static str) -> Table {
        Table {
            name,
            ours: vec![],
            sas: vec![],
        }
    }
    fn push(&mut self, ours: f64, sas: &'static str) {
        self.ours.push(ours);
        self.sas.push(sas);
    }
    /// Per value: half a printed unit or `rel` relative. Returns the number of mismatches.
    fn per_value(&self, rel: f64) -> usize {
        let mut fails = 0;
        for (o, p) in self.ours.iter().zip(&self.sas) {
            let s: f64 = p.parse().expect("number");
            let tol = printed_tol(p).max(rel * s.abs());
            if (o - s).abs() > tol {
                eprintln!(
                    "MISMATCH {}: ours {o} vs SAS {p} (tolerance {tol:e})",
                    self.name
                );
                fails += 1;
            }
        }
        fails
    }
    /// testthat's mean relative difference Σ|o − s| / Σ|s| against `rel`.
    fn mean_relative(&self, rel: f64) -> usize {
        let (mut num, mut den, mut worst) = (0.0, 0.0, 0.0f64);
        for (o, p) in self.ours.iter().zip(&self.sas) {
            let s: f64 = p.parse().expect("number");
            let d = ((o - s).abs() - printed_tol(p)).max(0.0);
            num += d;
            den += s.abs();
            worst = worst.max(d / s.abs().max(1e-300));
        }
        let mrd = num / den;
        eprintln!(
            "{}: mean relative difference {mrd:.2e} (largest single {worst:.2e}) beyond printing",
            self.name
        );
        usize::from(mrd > rel)
    }
}

/// Full model: Intercept, TRT, VIS2..4, VIS2..4×TRT, RACE Black/White, SEX Female.
fn full_design(r: &Row) -> Vec<f64> {
    let t = f64::from(u8::from(r.arm_trt));
    let v = |k: usize| f64::from(u8::from(r.visit == k));
    vec![
        1.0,
        t,
        v(1),
        v(2),
        v(3),
        v(1) * t,
        v(2) * t,
        v(3) * t,
        f64::from(u8::from(r.race == "Black or African American")),
        f64::from(u8::from(r.race == "White")),
        f64::from(u8::from(r.female)),
    ]
}

fn fit_full() -> (PatternData, MmrmFit) {
    let rows = fev_rows();
    let (p, subj) = subjects(&rows, full_design);
    let data = PatternData::new(4, p, &subj);
    let f = fit(&data, CovStructure::Unstructured, Method::Reml).expect("fit");
    (data, f)
}

/// SAS's UN(i,j) order for this listing is VIS2 VIS3 VIS4 VIS1 (the reference level last).
const SAS_UN_TO_OURS: [usize; 4] = [1, 2, 3, 0];

const SAS_UN: [((usize, usize), &str); 10] = [
    ((1, 1), "26.5692"),
    ((2, 1), "2.7851"),
    ((2, 2), "14.8970"),
    ((3, 1), "7.4790"),
    ((3, 2), "0.9017"),
    ((3, 3), "95.5528"),
    ((4, 1), "14.3982"),
    ((4, 2), "4.9744"),
    ((4, 3), "13.3731"),
    ((4, 4), "40.5509"),
];

/// Everything the listing prints for the model, as tables (estimates, SEs, df kept apart).
fn full_model_tables(data: &PatternData, f: &MmrmFit) -> Vec<Table> {
    let inf = Inference::new(data, f, DdfMethod::Satterthwaite);
    let (mut est, mut se, mut df) = (Table::new("estimates"), Table::new("SE"), Table::new("df"));
    let sol = [
        ("30.7774", "0.8865", "219"),
        ("3.7745", "1.0741", "146"),
        ("4.8396", "0.8016", "144"),
        ("10.3422", "0.8227", "156"),
        ("15.0537", "1.3129", "138"),
        ("-0.04231", "1.1292", "139"),
        ("-0.6939", "1.1876", "158"),
        ("0.6240", "1.8510", "130"),
        ("1.5305", "0.6244", "169"),
        ("5.6436", "0.6656", "157"),
        ("0.3262", "0.5319", "166"),
    ];
    for (k, (e, s, d)) in sol.into_iter().enumerate() {
        let mut l = vec![0.0; data.p];
        l[k] = 1.0;
        let c = inf.contrast(&l);
        est.push(c.estimate, e);
        se.push(c.se, s);
        df.push(c.df, d);
    }
    // LS means AVISIT*ARMCD: equal weights over RACE (3 levels) and SEX (2).
    let lsmean = |visit: usize, trt: bool| {
        let t = f64::from(u8::from(trt));
        let v = |k: usize| f64::from(u8::from(visit == k));
        vec![
            1.0,
            t,
            v(1),
            v(2),
            v(3),
            v(1) * t,
            v(2) * t,
            v(3) * t,
            1.0 / 3.0,
            1.0 / 3.0,
            0.5,
        ]
    };
    let ls = [
        (1, true, "41.9037", "0.6023", "144"),
        (1, false, "38.1715", "0.6117", "147"),
        (2, true, "46.7546", "0.5086", "130"),
        (2, false, "43.6740", "0.4617", "130"),
        (3, true, "52.7841", "1.1877", "133"),
        (3, false, "48.3855", "1.1886", "134"),
        (0, true, "37.1063", "0.7626", "143"),
        (0, false, "33.3318", "0.7554", "148"),
    ];
    let (mut lse, mut lss, mut lsd) = (
        Table::new("LS means"),
        Table::new("LS mean SE"),
        Table::new("LS mean df"),
    );
    for (v, trt, e, s, d) in ls {
        let c = inf.contrast(&lsmean(v, trt));
        lse.push(c.estimate, e);
        lss.push(c.se, s);
        lsd.push(c.df, d);
    }
    let diffs = [
        ((1, true), (1, false), "3.7322", "0.8588", "145"),
        ((1, true), (2, true), "-4.8509", "0.7440", "148"),
        ((1, true), (2, false), "-1.7703", "0.7589", "258"),
        ((1, true), (0, false), "8.5719", "0.9661", "257"),
        ((1, false), (3, true), "-14.6126", "1.3363", "199"),
        ((1, false), (0, true), "1.0651", "0.9785", "256"),
        ((2, true), (2, false), "3.0806", "0.6896", "131"),
        ((2, false), (3, false), "-4.7116", "1.2636", "149"),
        ((3, true), (3, false), "4.3985", "1.6805", "133"),
        ((3, true), (0, false), "19.4523", "1.4078", "225"),
        ((3, false), (0, true), "11.2792", "1.4128", "228"),
        ((0, true), (0, false), "3.7745", "1.0741", "146"),
    ];
    let (mut de, mut ds, mut dd) = (
        Table::new("differences"),
        Table::new("difference SE"),
        Table::new("difference df"),
    );
    for ((v1, a1), (v2, a2), e, s, d) in diffs {
        let l: Vec<f64> = lsmean(v1, a1)
            .iter()
            .zip(lsmean(v2, a2))
            .map(|(a, b)| a - b)
            .collect();
        let c = inf.contrast(&l);
        de.push(c.estimate, e);
        ds.push(c.se, s);
        dd.push(c.df, d);
    }
    // Type 3 tests (SAS's equal-weight hypotheses): F and denominator df.
    let e = |k: usize| {
        let mut v = vec![0.0; 11];
        v[k] = 1.0;
        v
    };
    let arm = vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.25, 0.25, 0.25, 0.0, 0.0, 0.0];
    let visit: Vec<Vec<f64>> = (0..3)
        .map(|k| {
            let mut v = e(2 + k);
            v[5 + k] = 0.5;
            v
        })
        .collect();
    let tests = [
        (vec![arm], "31.67", "169"),
        (visit, "142.11", "148"),
        (vec![e(5), e(6), e(7)], "0.26", "148"),
        (vec![e(8), e(9)], "36.92", "166"),
        (vec![e(10)], "0.38", "166"),
    ];
    let (mut ft, mut fd) = (Table::new("type 3 F"), Table::new("type 3 den df"));
    for (rows, fv, d) in tests {
        let t = inf.f_test(&rows);
        ft.push(t.f, fv);
        fd.push(t.den_df, d);
    }
    let mut cov = Table::new("UN covariance");
    for ((i, j), v) in SAS_UN {
        cov.push(f.sigma[(SAS_UN_TO_OURS[i - 1], SAS_UN_TO_OURS[j - 1])], v);
    }
    vec![est, se, df, lse, lss, lsd, de, ds, dd, ft, fd, cov]
}

#[test]
fn un_satterthwaite_matches_sas_log_reml() {
    let (data, ours) = fit_full();
    assert_eq!(data.n_obs, 537);
    assert_eq!(data.n_subjects, 200);
    // (1) At SAS's printed θ: every printed value.
    let mut sigma = nalgebra::DMatrix::zeros(4, 4);
    for ((i, j), v) in SAS_UN {
        let (a, b) = (SAS_UN_TO_OURS[i - 1], SAS_UN_TO_OURS[j - 1]);
        sigma[(a, b)] = v.parse::<f64>().expect("number");
        sigma[(b, a)] = sigma[(a, b)];
    }
    let theta = trialstat::stats::mmrm::covariance::sigma_to_un_theta(&sigma);
    let at_sas = fit_at_theta(&data, CovStructure::Unstructured, Method::Reml, &theta)
        .expect("fit at SAS θ");
    let mut fails = 0;
    let mut checked = 0;
    for t in full_model_tables(&data, &at_sas) {
        fails += t.per_value(1e-4);
        checked += t.ours.len();
    }
    // (2) At our optimum.
    let s = ours.stats;
    assert!(s.neg2ll <= 3386.44987722 + 1e-9, "{}", s.neg2ll);
    assert!((s.neg2ll - 3386.44987722).abs() < 1e-4);
    let mut fit_stats = Table::new("fit statistics");
    fit_stats.push(s.aic, "3406.4");
    fit_stats.push(s.aicc, "3406.9");
    fit_stats.push(s.bic, "3439.4");
    fails += fit_stats.per_value(0.0);
    for t in full_model_tables(&data, &ours) {
        let rel = if t.name == "UN covariance" {
            1e-3
        } else {
            1e-4
        };
        fails += t.mean_relative(rel);
        checked += t.ours.len();
    }
    assert!(checked >= 150, "{checked}");
    assert_eq!(fails, 0, "mismatches: see stderr");
}

fn kr_reference(name: &str) -> (f64, f64, f64) {
    let text = std::fs::read_to_string(format!("{DIR}/sas_kr/{name}.csv")).expect("csv");
    let line = text.lines().nth(1).expect("row");
    let f: Vec<&str> = line.split(',').collect();
    let num = |i: usize| f[i].parse::<f64>().expect("number");
    (num(4), num(5), num(6))
}

/// The "Covariance Parameter Estimates" column of a listing (Estimate is the fourth number from
/// the end of each row: Estimate, Alpha, Lower, Upper).
fn listing_theta(path: &str) -> Vec<f64> {
    let text = std::fs::read_to_string(path).expect("listing");
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.contains("Covariance Parameter Estimates") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line.contains("Fit Statistics") {
            break;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let name_ok = tokens.first().is_some_and(|t| {
            ["UN(", "Var(", "Rho(", "TOEP", "AR", "CS", "Residual"]
                .iter()
                .any(|p| t.starts_with(p))
        });
        if name_ok && tokens.len() >= 5 {
            out.push(tokens[tokens.len() - 4].parse().expect("estimate"));
        }
    }
    out
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

const KR_CASES: [(CovStructure, &str); 8] = [
    (CovStructure::Unstructured, "us"),
    (CovStructure::CompoundSymmetry, "cs"),
    (CovStructure::HeteroCompoundSymmetry, "csh"),
    (CovStructure::Ar1, "ar1"),
    (CovStructure::HeteroAr1, "arh1"),
    (CovStructure::Toeplitz, "toep"),
    (CovStructure::HeteroToeplitz, "toeph"),
    (CovStructure::AnteDependence, "adh"),
];

#[test]
fn kenward_roger_matches_sas_kr_for_every_structure() {
    let rows = fev_rows();
    let (p, subj) = subjects(&rows, |r| vec![1.0, f64::from(u8::from(r.arm_trt))]);
    let data = PatternData::new(4, p, &subj);
    let mut fails = 0;
    let mut checked = 0;
    for (cov, name) in KR_CASES {
        let ours = fit(&data, cov, Method::Reml).expect("fit");
        for (method, file) in [
            (DdfMethod::KenwardRoger, format!("kr_{name}")),
            (DdfMethod::KenwardRogerLinear, format!("kr1_{name}")),
        ] {
            let (est, se, df) = kr_reference(&file);
            let theta = listing_theta(&format!("{DIR}/sas_kr/{file}.txt"));
            assert_eq!(theta.len(), cov.n_params(4), "{file}");
            let at_sas = fit_at_theta(&data, cov, Method::Reml, &theta).expect("fit at SAS θ");
            // (1) At SAS's printed θ: 1e-4 relative on everything.
            let c = Inference::new(&data, &at_sas, method).contrast(&[0.0, 1.0]);
            // (2) At our optimum: 1e-4 on estimate and SE, 1e-3 on df.
            let o = Inference::new(&data, &ours, method).contrast(&[0.0, 1.0]);
            let checks = [
                ("estimate at SAS θ", c.estimate, est, 1e-4),
                ("SE at SAS θ", c.se, se, 1e-4),
                ("df at SAS θ", c.df, df, 1e-4),
                ("estimate", o.estimate, est, 1e-4),
                ("SE", o.se, se, 2e-4),
                ("df", o.df, df, 1e-3),
            ];
            for (what, ours_v, sas_v, tol) in checks {
                eprintln!(
                    "{file} {what}: {ours_v} vs {sas_v} rel {:.1e}",
                    rel(ours_v, sas_v)
                );
                if rel(ours_v, sas_v) > tol {
                    eprintln!("MISMATCH {file} {what}");
                    fails += 1;
                }
                checked += 1;
            }
            // Our optimum is at least as good as SAS's stopping point.
            assert!(ours.stats.neg2ll <= at_sas.stats.neg2ll + 1e-6, "{file}");
        }
    }
    assert_eq!(checked, 96);
    assert_eq!(fails, 0, "mismatches: see stderr");
}

#[test]
fn intercept_only_structures_match_sas_listings() {
    let rows = fev_rows();
    let (p, subj) = subjects(&rows, |_| vec![1.0]);
    let data = PatternData::new(4, p, &subj);
    // (structure, listing, intercept, SE, df, −2 Res Log Like)
    let cases: [(CovStructure, &str, [&'static str; 4]); 6] = [
        (
            CovStructure::CompoundSymmetry,
            "cs",
            ["42.2896", "0.4285", "187", "3918.0"],
        ),
        (
            CovStructure::Ar1,
            "ar1",
            ["42.3255", "0.5013", "188", "3875.5"],
        ),
        (
            CovStructure::HeteroAr1,
            "ar1h",
            ["41.6955", "0.3947", "191", "3740.0"],
        ),
        (
            CovStructure::HeteroCompoundSymmetry,
            "csh",
            ["41.9964", "0.3575", "199", "3784.9"],
        ),
        (
            CovStructure::AnteDependence,
            "adh",
            ["42.9009", "0.3529", "171", "3713.5"],
        ),
        (
            CovStructure::HeteroToeplitz,
            "toeph",
            ["41.6726", "0.3822", "185", "3722.4"],
        ),
    ];
    let mut fails = 0;
    let mut checked = 0;
    for (cov, name, [est, se, df, ll]) in cases {
        let listing = format!("{DIR}/sas/sas_{name}_reml.txt");
        let theta = listing_theta(&listing);
        assert_eq!(theta.len(), cov.n_params(4), "{name}");
        let ours = fit(&data, cov, Method::Reml).expect("fit");
        let at_sas = fit_at_theta(&data, cov, Method::Reml, &theta).expect("fit at SAS θ");
        for (f, mode) in [(&at_sas, "at SAS θ"), (&ours, "at our optimum")] {
            let c = Inference::new(&data, f, DdfMethod::Satterthwaite).contrast(&[1.0]);
            let mut t = Table::new("intercept, SE, df, -2LL");
            t.push(c.estimate, est);
            t.push(c.se, se);
            t.push(c.df, df);
            t.push(f.stats.neg2ll, ll);
            eprintln!("{name} {mode}");
            fails += t.per_value(1e-4);
            checked += 4;
        }
        let mut t = Table::new("covariance parameters");
        for (o, s) in ours.theta.iter().zip(&theta) {
            t.ours.push(*o);
            t.sas.push(Box::leak(s.to_string().into_boxed_str()));
        }
        fails += t.mean_relative(1e-3);
        checked += theta.len();
        assert!(ours.stats.neg2ll <= at_sas.stats.neg2ll + 1e-6, "{name}");
    }
    assert!(checked >= 70, "{checked}");
    assert_eq!(fails, 0, "mismatches: see stderr");
}

/// −2 REML log-likelihood at SAS's CS estimates equals SAS's iteration history to 1e-8:
/// the likelihood itself is SAS's (CS converges in one step, so the printed θ is exact enough).
#[test]
fn reml_likelihood_equals_sas_iteration_history() {
    let rows = fev_rows();
    let (p, subj) = subjects(&rows, |_| vec![1.0]);
    let data = PatternData::new(4, p, &subj);
    let f = fit_at_theta(
        &data,
        CovStructure::CompoundSymmetry,
        Method::Reml,
        &[5.8943, 81.0025],
    )
    .expect("fit");
    assert!(
        (f.stats.neg2ll - 3917.98183508).abs() < 1e-6,
        "{}",
        f.stats.neg2ll
    );
}
