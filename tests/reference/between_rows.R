# Between-arm rows of the trialstat results table, computed with R's own functions:
# t.test (Welch and Student), lm + confint (ANCOVA), emmeans (least-squares means),
# wilcox.test(conf.int = TRUE), effectsize-equivalent Hedges' g (noncentral t by uniroot to 1e-13),
# Newcombe's hybrid score interval from prop.test(correct = FALSE) Wilson intervals,
# fisher.test's own functions solved to 1e-12, and the log risk-ratio interval.
# Sourced by anorexia.R, chickweight.R and example_trial.R.
suppressPackageStartupMessages(library(emmeans))
source("tests/reference/two_sample_helpers.R")

# d: data.frame(arm, b, f[, covariates]) of complete cases at one visit; control: name.
between_rows <- function(d, endpoint, visit, control, thresholds = c(50, 75), higher = FALSE, clear = 0, covariates = character()) {
  rows <- list()
  add <- function(arm, comparison, estimand, method, est, lo = NA, hi = NA, stat = NA, df = NA, p = NA, n)
    rows[[length(rows) + 1]] <<- data.frame(endpoint = endpoint, arm = arm, visit = visit, comparison = comparison,
      estimand = estimand, method = method, estimate = est, ci_low = lo, ci_high = hi,
      statistic = stat, df = df, p_value = p, n = n)
  d$arm <- relevel(factor(d$arm), ref = control)
  form <- as.formula(paste("f ~ b + arm", paste(c("", covariates), collapse = " + ")))
  fit <- lm(form, data = d)
  ci <- confint(fit)
  em <- summary(emmeans(fit, "arm"))
  for (a in levels(d$arm)) {
    e <- em[em$arm == a, ]
    add(a, "within", "ls_mean", "ancova", e$emmean, e$lower.CL, e$upper.CL, NA, e$df, NA, sum(d$arm == a))
  }
  s <- summary(fit)$coefficients
  for (a in setdiff(levels(d$arm), control)) {
    nm <- paste0("arm", a); cmp <- paste(a, "vs", control)
    nn <- sum(d$arm %in% c(a, control))
    add(a, cmp, "mean_change_diff", "ancova", s[nm, 1], ci[nm, 1], ci[nm, 2], s[nm, 3], fit$df.residual, s[nm, 4], nn)
    x <- d[d$arm == a, ]; y <- d[d$arm == control, ]
    cx <- x$f - x$b; cy <- y$f - y$b
    for (eq in c(FALSE, TRUE)) {
      t1 <- t.test(cx, cy, var.equal = eq)
      add(a, cmp, "mean_change_diff", if (eq) "student_t" else "welch_t", unname(t1$estimate[1] - t1$estimate[2]), t1$conf.int[1], t1$conf.int[2], t1$statistic, t1$parameter, t1$p.value, nn)
    }
    px <- 100 * (x$f - x$b) / x$b; py <- 100 * (y$f - y$b) / y$b
    px <- px[x$b != 0]; py <- py[y$b != 0]
    for (eq in c(FALSE, TRUE)) {
      t2 <- t.test(px, py, var.equal = eq)
      add(a, cmp, "mean_pct_change_diff", if (eq) "student_t" else "welch_t", unname(t2$estimate[1] - t2$estimate[2]), t2$conf.int[1], t2$conf.int[2], t2$statistic, t2$parameter, t2$p.value, length(px) + length(py))
    }
    w <- suppressWarnings(wilcox.test(cx, cy, conf.int = TRUE))
    add(a, cmp, "location_shift_change", "mann_whitney", median(outer(cx, cy, "-")), w$conf.int[1], w$conf.int[2], w$statistic, NA, w$p.value, nn)
    we <- wilcox.exact(cx, cy, exact = TRUE, conf.int = TRUE)
    add(a, cmp, "location_shift_change", "mann_whitney_exact", we$estimate, we$conf.int[1], we$conf.int[2], we$statistic, NA, we$p.value, nn)
    suppressPackageStartupMessages(library(effectsize))
    # effectsize::glass_delta's definition, its noncentral-t interval solved by uniroot to 1e-13
    hn <- 1 / length(cy) + var(cx) / (length(cx) * var(cy)); tg <- (mean(cx) - mean(cy)) / (sd(cy) * sqrt(hn))
    fg <- function(ncp, p) pt(tg, length(cy) - 1, ncp) - p
    glo <- suppressWarnings(uniroot(fg, c(tg - 30, tg + 30), p = 0.975, tol = 1e-13)$root)
    ghi <- suppressWarnings(uniroot(fg, c(tg - 30, tg + 30), p = 0.025, tol = 1e-13)$root)
    add(a, cmp, "glass_delta_change", "noncentral_t", (mean(cx) - mean(cy)) / sd(cy), glo * sqrt(hn), ghi * sqrt(hn), NA, NA, NA, nn)
    rb <- rank_biserial(cx, cy)
    add(a, cmp, "rank_biserial_change", "fisher_z", rb$r_rank_biserial, rb$CI_low, rb$CI_high, NA, NA, NA, nn)
    cd <- cliffs_delta(cx, cy)
    add(a, cmp, "cliffs_delta_change", "fisher_z", cd$r_rank_biserial, cd$CI_low, cd$CI_high, NA, NA, NA, nn)
    g <- hedges_tight(cx, cy)
    add(a, cmp, "hedges_g_change", "noncentral_t", g[1], g[2], g[3], g[4], g[5], NA, nn)
    binary <- function(name, k1, n1, k2, n2) {
      nc <- newcombe(k1, n1, k2, n2)
      add(a, cmp, paste0(name, "_diff"), "newcombe", nc[1], nc[2], nc[3], NA, NA, NA, n1 + n2)
      tab <- matrix(c(k1, k2, n1 - k1, n2 - k2), 2)
      fp <- fisher.test(tab)$p.value; ft <- fisher_tight(tab)
      add(a, cmp, paste0(name, "_odds_ratio"), "fisher_exact", ft[1], ft[2], ft[3], NA, NA, fp, n1 + n2)
      if (k1 > 0 && k2 > 0) {
        rr <- rr_log(k1, n1, k2, n2)
        add(a, cmp, paste0(name, "_risk_ratio"), "log", rr[1], rr[2], rr[3], NA, NA, NA, n1 + n2)
      }
    }
    imp <- function(p) if (higher) p else -p
    for (P in thresholds) binary(paste0("responder", P), sum(imp(px) >= P), length(px), sum(imp(py) >= P), length(py))
    binary("clearance", sum(x$f == clear), nrow(x), sum(y$f == clear), nrow(y))
  }
  do.call(rbind, rows)
}
