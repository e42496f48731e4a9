suppressPackageStartupMessages(library(exactRankTests))
# Within-arm rows of the trialstat results table, computed the way R users would:
# t.test, wilcox.test(conf.int = TRUE), binom.test, and the noncentral-t interval for dz by
# uniroot on pt(..., ncp) to 1e-13. Sourced by anorexia.R and case_series.R.
within_rows <- function(b, f, endpoint, arm, visit, thresholds = c(50, 75), clear = 0, higher = FALSE) {
  ok <- !is.na(b) & !is.na(f)
  b <- b[ok]; f <- f[ok]
  n <- length(b)
  ch <- f - b
  nz <- b != 0
  pct <- 100 * (f[nz] - b[nz]) / b[nz]
  rows <- list()
  add <- function(estimand, method, est, lo = NA, hi = NA, stat = NA, df = NA, p = NA, nn = n)
    rows[[length(rows) + 1]] <<- data.frame(endpoint = endpoint, arm = arm, visit = visit, comparison = "within",
      estimand = estimand, method = method, estimate = est, ci_low = lo, ci_high = hi,
      statistic = stat, df = df, p_value = p, n = nn)
  t1 <- t.test(f, b, paired = TRUE)
  add("mean_change", "paired_t", t1$estimate, t1$conf.int[1], t1$conf.int[2], t1$statistic, t1$parameter, t1$p.value)
  t2 <- t.test(pct)
  add("mean_pct_change", "one_sample_t", t2$estimate, t2$conf.int[1], t2$conf.int[2], t2$statistic, t2$parameter, t2$p.value, length(pct))
  w <- suppressWarnings(wilcox.test(f, b, paired = TRUE, conf.int = TRUE))
  ch0 <- ch[ch != 0]; wa <- outer(ch0, ch0, "+"); wa <- wa[!lower.tri(wa)] / 2
  # estimate: the median of the Walsh averages (trialstat's definition; R's exact branch gives
  # the same, its asymptotic branch a uniroot of the statistic to within 1e-4).
  add("pseudo_median_change", "wilcoxon_signed_rank", median(wa), w$conf.int[1], w$conf.int[2], w$statistic, NA, w$p.value)
  # Percent change of the means (Fieller; delta method), both with t on n - 1 df, and the
  # geometric mean percent change (t test of log ratios, back-transformed).
  mb <- mean(b); mf <- mean(f); vb <- var(b) / n; vf <- var(f) / n; cbf <- cov(b, f) / n
  rr <- mf / mb; tq <- qt(0.975, n - 1)
  aa <- mb^2 - tq^2 * vb; bb <- -2 * (mf * mb - tq^2 * cbf); cc <- mf^2 - tq^2 * vf; disc <- bb^2 - 4 * aa * cc
  if (aa > 0 && disc >= 0)
    add("ratio_of_means_pct_change", "fieller", 100 * (rr - 1), 100 * ((-bb - sqrt(disc)) / (2 * aa) - 1), 100 * ((-bb + sqrt(disc)) / (2 * aa) - 1), NA, n - 1, NA)
  se <- sqrt(vf - 2 * rr * cbf + rr^2 * vb) / abs(mb)
  add("ratio_of_means_pct_change", "delta_method", 100 * (rr - 1), 100 * (rr - tq * se - 1), 100 * (rr + tq * se - 1), NA, n - 1, NA)
  ok <- b > 0 & f > 0; lr <- log(f[ok] / b[ok])
  if (sum(ok) >= 2 && sd(lr) > 0) {
    tl <- t.test(lr)
    add("geometric_mean_pct_change", "log_t", 100 * expm1(mean(lr)), 100 * expm1(tl$conf.int[1]), 100 * expm1(tl$conf.int[2]), tl$statistic, tl$parameter, tl$p.value, sum(ok))
  }
  if (any(ch != 0)) {
    we <- wilcox.exact(ch, exact = TRUE, conf.int = TRUE)
    add("pseudo_median_change", "wilcoxon_exact", we$estimate, we$conf.int[1], we$conf.int[2], we$statistic, NA, we$p.value)
  }
  dz <- mean(ch) / sd(ch); tobs <- dz * sqrt(n)
  f0 <- function(ncp, p) pt(tobs, n - 1, ncp) - p
  lo <- suppressWarnings(uniroot(f0, c(tobs - 30, tobs + 30), p = 0.975, tol = 1e-13)$root) / sqrt(n)
  hi <- suppressWarnings(uniroot(f0, c(tobs - 30, tobs + 30), p = 0.025, tol = 1e-13)$root) / sqrt(n)
  add("cohen_dz", "noncentral_t", dz, lo, hi, tobs, n - 1, NA)
  suppressPackageStartupMessages(library(effectsize))
  J <- exp(lgamma((n - 1) / 2) - log(sqrt((n - 1) / 2)) - lgamma((n - 2) / 2))
  # effectsize::hedges_g(f, b, paired = TRUE) is d_z × J with its interval × J; here the
  # interval is the uniroot one above (effectsize's Nelder–Mead agrees to ~1e-6).
  add("hedges_gz", "noncentral_t", dz * J, lo * J, hi * J, tobs, n - 1, NA)
  dav <- mean(ch) / ((sd(b) + sd(f)) / 2); drm <- mean(ch) / sd(ch) * sqrt(2 * (1 - cor(b, f)))
  add("cohen_dav", "point_estimate", dav); add("hedges_gav", "point_estimate", dav * J)
  add("cohen_drm", "point_estimate", drm); add("hedges_grm", "point_estimate", drm * J)
  if (any(ch != 0)) {
    rb <- rank_biserial(ch)
    add("rank_biserial_change", "fisher_z", rb$r_rank_biserial, rb$CI_low, rb$CI_high)
  }
  for (P in thresholds) {
    k <- if (higher) sum(pct >= P) else sum(-pct >= P)
    bt <- binom.test(k, length(pct))
    add(paste0("responder", P, "_rate"), "clopper_pearson", k / length(pct), bt$conf.int[1], bt$conf.int[2], nn = length(pct))
  }
  k <- sum(f == clear); bt <- binom.test(k, n)
  add("clearance_rate", "clopper_pearson", k / n, bt$conf.int[1], bt$conf.int[2])
  do.call(rbind, rows)
}

write_reference <- function(res, path) {
  for (c in c("estimate", "ci_low", "ci_high", "statistic", "df", "p_value"))
    res[[c]] <- ifelse(is.na(res[[c]]), "", sprintf("%.17g", res[[c]]))
  write.csv(res, path, row.names = FALSE, quote = FALSE)
}
