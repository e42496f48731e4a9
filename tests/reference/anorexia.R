# Real public trial data: MASS::anorexia (Hand et al. 1994, A Handbook of Small Data Sets,
# data set 285): weight (lb) of young women with anorexia before and after treatment with
# cognitive behavioural therapy (CBT), family therapy (FT) or control (Cont).
# Writes tests/data/anorexia.csv (wide layout) and tests/reference/anorexia_reference.csv with
# every within-arm row as R computes it, for tests/reference_data.rs.
# Regenerate:  Rscript tests/reference/anorexia.R
suppressPackageStartupMessages({ library(MASS); library(effectsize) })
source_dir <- "tests"
d <- anorexia
d$patient_id <- sprintf("A%02d", seq_len(nrow(d)))
long <- rbind(
  data.frame(patient_id = d$patient_id, arm = d$Treat, visit = "pre", weight_lb = d$Prewt),
  data.frame(patient_id = d$patient_id, arm = d$Treat, visit = "post", weight_lb = d$Postwt))
write.csv(long, file.path(source_dir, "data", "anorexia.csv"), row.names = FALSE, quote = FALSE)

rows <- list()
add <- function(arm, estimand, method, est, lo = NA, hi = NA, stat = NA, df = NA, p = NA, n)
  rows[[length(rows) + 1]] <<- data.frame(endpoint = "weight_lb", arm = arm, visit = "post",
    estimand = estimand, method = method, estimate = est, ci_low = lo, ci_high = hi,
    statistic = stat, df = df, p_value = p, n = n)
for (arm in levels(d$Treat)) {
  x <- d[d$Treat == arm, ]
  ch <- x$Postwt - x$Prewt
  pct <- 100 * (x$Postwt - x$Prewt) / x$Prewt
  n <- nrow(x)
  t1 <- t.test(x$Postwt, x$Prewt, paired = TRUE)
  add(arm, "mean_change", "paired_t", t1$estimate, t1$conf.int[1], t1$conf.int[2], t1$statistic, t1$parameter, t1$p.value, n)
  t2 <- t.test(pct)
  add(arm, "mean_pct_change", "one_sample_t", t2$estimate, t2$conf.int[1], t2$conf.int[2], t2$statistic, t2$parameter, t2$p.value, n)
  w <- suppressWarnings(wilcox.test(x$Postwt, x$Prewt, paired = TRUE, conf.int = TRUE))
  ch0 <- ch[ch != 0]; wa <- outer(ch0, ch0, "+"); wa <- wa[!lower.tri(wa)] / 2
  # estimate column: median of Walsh averages (trialstat's definition); R's own uniroot
  # estimate is kept in r_estimate for the record.
  add(arm, "pseudo_median_change", "wilcoxon_signed_rank", median(wa), w$conf.int[1], w$conf.int[2], w$statistic, NA, w$p.value, n)
  dz <- mean(ch) / sd(ch); tobs <- dz * sqrt(n)
  f <- function(ncp, p) pt(tobs, n - 1, ncp) - p
  lo <- uniroot(f, c(tobs - 30, tobs + 30), p = 0.975, tol = 1e-13)$root / sqrt(n)
  hi <- uniroot(f, c(tobs - 30, tobs + 30), p = 0.025, tol = 1e-13)$root / sqrt(n)
  add(arm, "cohen_dz", "noncentral_t", dz, lo, hi, tobs, n - 1, NA, n)
  for (P in c(5, 10)) {
    k <- sum(pct >= P)
    b <- binom.test(k, n)
    add(arm, paste0("responder", P, "_rate"), "clopper_pearson", k / n, b$conf.int[1], b$conf.int[2], NA, NA, NA, n)
  }
  k <- sum(x$Postwt == 0); b <- binom.test(k, n)
  add(arm, "clearance_rate", "clopper_pearson", k / n, b$conf.int[1], b$conf.int[2], NA, NA, NA, n)
  es <- cohens_d(ch, mu = 0)
  cat("# effectsize::cohens_d", arm, sprintf("%.17g", c(es$Cohens_d, es$CI_low, es$CI_high)), "\n", file = stderr())
}
res <- do.call(rbind, rows)
num <- c("estimate", "ci_low", "ci_high", "statistic", "df", "p_value")
for (c in num) res[[c]] <- ifelse(is.na(res[[c]]), "", sprintf("%.17g", res[[c]]))
write.csv(res, file.path(source_dir, "reference", "anorexia_reference.csv"), row.names = FALSE, quote = FALSE)
