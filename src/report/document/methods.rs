//! Names for people: estimand and method labels, and the "Statistical methods" paragraphs with
//! their references. Any name without an entry here is shown as it is in the results table, so
//! a new method appears in the report before anyone writes its sentence.

use crate::analysis::{Analysis, Estimand, Measure, Method, RateStat, Response};

/// "Mean change", "Responders ≥50%: rate (%)", …
pub fn estimand_label(e: &Estimand) -> String {
    match e {
        Estimand::Measure(m) => match m {
            Measure::MeanChange => "Mean change from baseline".into(),
            Measure::MeanPctChange => "Mean % change from baseline".into(),
            Measure::PseudoMedianChange => "Pseudo-median change (Hodges–Lehmann)".into(),
            Measure::RatioOfMeansPctChange => "% change of the mean (ratio of means − 1)".into(),
            Measure::GeometricMeanPctChange => "Geometric mean % change".into(),
            Measure::CohenDz => "Cohen's d_z".into(),
            Measure::HedgesGz => "Hedges' g_z".into(),
            Measure::CohenDav => "Cohen's d_av".into(),
            Measure::HedgesGav => "Hedges' g_av".into(),
            Measure::CohenDrm => "Cohen's d_rm".into(),
            Measure::HedgesGrm => "Hedges' g_rm".into(),
            Measure::RankBiserialChange => "Rank-biserial correlation of change".into(),
            Measure::LsMean => "LS mean (ANCOVA)".into(),
            Measure::MeanChangeDiff => "Difference in mean change".into(),
            Measure::MeanPctChangeDiff => "Difference in mean % change".into(),
            Measure::LocationShiftChange => "Location shift of change (Hodges–Lehmann)".into(),
            Measure::GlassDeltaChange => "Glass's Δ of change".into(),
            Measure::CliffsDeltaChange => "Cliff's δ of change".into(),
            Measure::HedgesGChange => "Hedges' g of change".into(),
            #[allow(unreachable_patterns)]
            other => humanise(other.name()),
        },
        Estimand::Response(r, stat) => {
            let who = match r {
                Response::Responder(p) => format!("Responders (≥{p}% improvement)"),
                Response::Clearance => "Clearance".to_string(),
                #[allow(unreachable_patterns)]
                other => humanise(&other.to_string()),
            };
            let what = match stat {
                RateStat::Rate => "rate (%)",
                RateStat::Diff => "difference in rates (percentage points)",
                RateStat::OddsRatio => "odds ratio",
                RateStat::RiskRatio => "risk ratio",
                #[allow(unreachable_patterns)]
                other => return format!("{who}: {}", humanise(other.name())),
            };
            format!("{who}: {what}")
        }
        #[allow(unreachable_patterns)]
        other => humanise(&other.to_string()),
    }
}

/// "mean_change_diff" → "Mean change diff".
fn humanise(name: &str) -> String {
    let s = name.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// A short label for a method, as a row label under its estimand.
pub fn method_label(m: Method) -> String {
    match m {
        Method::PairedT => "paired t".into(),
        Method::OneSampleT => "one-sample t".into(),
        Method::BcaBootstrap => "BCa bootstrap".into(),
        Method::Permutation => "permutation".into(),
        Method::WilcoxonSignedRank => "Wilcoxon signed-rank (normal approx.)".into(),
        Method::WilcoxonExact => "Wilcoxon signed-rank (exact)".into(),
        Method::WilcoxonExactPratt => "Wilcoxon signed-rank, Pratt (exact)".into(),
        Method::Fieller => "Fieller".into(),
        Method::DeltaMethod => "delta method".into(),
        Method::LogT => "t on logs".into(),
        Method::NoncentralT => "noncentral t".into(),
        Method::PointEstimate => "point estimate".into(),
        Method::FisherZ => "Fisher z".into(),
        Method::ClopperPearson => "Clopper–Pearson".into(),
        Method::Jeffreys => "Jeffreys".into(),
        Method::WelchT => "Welch t".into(),
        Method::StudentT => "Student t (pooled)".into(),
        Method::Ancova => "ANCOVA".into(),
        Method::MannWhitney => "Mann–Whitney (normal approx.)".into(),
        Method::MannWhitneyExact => "Mann–Whitney (exact)".into(),
        Method::Newcombe => "Newcombe".into(),
        Method::FisherExact => "Fisher's exact".into(),
        Method::Log => "log scale".into(),
        #[allow(unreachable_patterns)]
        other => other.name().replace('_', " "),
    }
}

/// What a method does and where it comes from, for the "Statistical methods" section.
pub fn method_description(m: Method) -> String {
    match m {
        Method::PairedT => "Mean change from baseline with the paired t test and t interval (Student 1908).".into(),
        Method::OneSampleT => "Mean percent change with the one-sample t test and t interval.".into(),
        Method::BcaBootstrap => "Bias-corrected and accelerated bootstrap interval, seeded (Efron 1987; as R boot.ci type \"bca\").".into(),
        Method::Permutation => "Monte-Carlo permutation (sign-flip) test, seeded.".into(),
        Method::WilcoxonSignedRank => "Wilcoxon signed-rank test, normal approximation with continuity correction (as R wilcox.test).".into(),
        Method::WilcoxonExact => "Hodges–Lehmann estimate with the exact Wilcoxon signed-rank test and interval (Bauer 1972; as R exactRankTests::wilcox.exact).".into(),
        Method::WilcoxonExactPratt => "Exact signed-rank test with Pratt's treatment of zero changes (Pratt 1959).".into(),
        Method::Fieller => "Ratio of means with Fieller's interval (Fieller 1954).".into(),
        Method::DeltaMethod => "Ratio of means with a delta-method interval.".into(),
        Method::LogT => "Geometric mean ratio from the t interval of log(follow-up/baseline).".into(),
        Method::NoncentralT => "Standardised effect size with the noncentral t interval (Steiger & Fouladi 1997).".into(),
        Method::PointEstimate => "Point estimate without an interval.".into(),
        Method::FisherZ => "Interval through Fisher's z transformation of a correlation.".into(),
        Method::ClopperPearson => "Exact binomial (Clopper–Pearson 1934) interval of a rate.".into(),
        Method::Jeffreys => "Jeffreys interval of a rate, beta(k + ½, n − k + ½) quantiles (Brown, Cai & DasGupta 2001).".into(),
        Method::WelchT => "Difference between arms with the Welch two-sample t test (Welch 1947).".into(),
        Method::StudentT => "Difference between arms with the pooled-variance two-sample t test.".into(),
        Method::Ancova => "ANCOVA of change with baseline as covariate; least-squares means and their difference.".into(),
        Method::MannWhitney => "Mann–Whitney (Wilcoxon rank-sum) test, normal approximation with continuity correction.".into(),
        Method::MannWhitneyExact => "Hodges–Lehmann shift with the exact Mann–Whitney test and interval (Bauer 1972).".into(),
        Method::Newcombe => "Difference of rates with Newcombe's hybrid score interval (Newcombe 1998, method 10).".into(),
        Method::FisherExact => "Fisher's exact test; conditional maximum-likelihood odds ratio with its exact interval (as R fisher.test).".into(),
        Method::Log => "Risk ratio with the interval on the log scale (Katz et al. 1978).".into(),
        #[allow(unreachable_patterns)]
        other => format!("{} (see docs/results-table.md).", other.name()),
    }
}

/// One paragraph per method used, in the order of first use.
pub(super) fn paragraphs(analysis: &Analysis) -> Vec<String> {
    let mut seen: Vec<Method> = Vec::new();
    for r in &analysis.rows {
        if !seen.contains(&r.key.method) {
            seen.push(r.key.method);
        }
    }
    let mut out = vec![format!(
        "Change = follow-up − baseline (baseline visit: {}); % change = 100 × change / baseline. \
         All tests are two-sided; intervals are {}% confidence intervals.",
        analysis.baseline_visit,
        crate::report::shortest(100.0 * analysis.options.conf_level)
    )];
    out.extend(
        seen.into_iter()
            .map(|m| format!("{}: {}", method_label(m), method_description(m))),
    );
    out
}
