# Reference values for trialstat's two-sample and 2x2 routines.
# Regenerate from the project root:  Rscript tests/reference/two_sample_reference.R > tests/reference/two_sample_reference.csv
# Output: case,quantity,value (17 significant digits). Read by tests/two_sample_reference.rs.
suppressPackageStartupMessages(library(effectsize))
source("tests/reference/two_sample_helpers.R")  # fisher_tight
out <- function(case, q, v) for (i in seq_along(v)) {
  name <- if (length(v) > 1) paste0(q, "[", i, "]") else q
  cat(case, ",", name, ",", sprintf("%.17g", v[i]), "\n", sep = "")
}
vec <- function(case, q, x) cat(case, ",", q, ",", paste(sprintf("%.17g", x), collapse = " "), "\n", sep = "")
pairs <- list(
  exact_small = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  exact_shift = list(x = c(-3.1, -2.2, -4.45, -1.15, -4.7, -2.05, -0.33, -1.71), y = c(-0.88, 0.96, -1.3, 0.27, -0.61, 1.02, 0.14, -0.45, 0.78, -1.6)),
  ties        = list(x = c(-2, -1, -3, -2, -2, -4, -1, -3, -2, 0, -5), y = c(0, -1, 1, -1, 0, -2, 0, 1, -1, 0, -1, 2)),
  exact_unbal = list(x = c(5.1, 3.3), y = c(2.2, 1.9, 4.0, 0.7, 1.1, 2.9)),
  large       = list(x = round(sin(1:61) * 10 - 2, 4), y = round(cos(1:55) * 9, 4))
)
for (nm in names(pairs)) {
  x <- pairs[[nm]]$x; y <- pairs[[nm]]$y
  vec(nm, "x", x); vec(nm, "y", y)
  for (cl in c(0.95, 0.9)) {
    tag <- paste0(nm, "@", cl)
    tw <- t.test(x, y, conf.level = cl)
    out(tag, "welch.ci", tw$conf.int); out(tag, "welch.t", tw$statistic); out(tag, "welch.df", tw$parameter); out(tag, "welch.p", tw$p.value)
    ts <- t.test(x, y, conf.level = cl, var.equal = TRUE)
    out(tag, "student.ci", ts$conf.int); out(tag, "student.t", ts$statistic); out(tag, "student.df", ts$parameter); out(tag, "student.p", ts$p.value)
    w <- suppressWarnings(wilcox.test(x, y, conf.int = TRUE, conf.level = cl))
    out(tag, "mw.W", w$statistic); out(tag, "mw.p", w$p.value); out(tag, "mw.ci", w$conf.int)
    out(tag, "mw.conf_level", attr(w$conf.int, "conf.level")); out(tag, "mw.r_estimate", w$estimate)
    dd <- sort(outer(x, y, "-")); m <- length(dd)
    out(tag, "mw.hl_median", median(dd)); out(tag, "mw.middle", c(dd[ceiling(m / 2)], dd[floor(m / 2) + 1]))
    g <- hedges_g(x, y, ci = cl)
    out(tag, "g.effectsize", c(g$Hedges_g, g$CI_low, g$CI_high))
    # the same interval with the noncentral t solved by uniroot to 1e-13
    n1 <- length(x); n2 <- length(y); df <- n1 + n2 - 2
    sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / df); d <- (mean(x) - mean(y)) / sp
    hn <- sqrt(1 / n1 + 1 / n2); tobs <- d / hn
    J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
    f <- function(ncp, p) pt(tobs, df, ncp) - p
    a <- 1 - cl
    lo <- uniroot(f, c(tobs - 30, tobs + 30), p = 1 - a / 2, tol = 1e-13)$root
    hi <- uniroot(f, c(tobs - 30, tobs + 30), p = a / 2, tol = 1e-13)$root
    out(tag, "g.uniroot", c(d * J, lo * hn * J, hi * hn * J))
  }
}

# 2 x 2 tables: (a, b, c, d) = (arm events, arm non-events, control events, control non-events)
tables <- list(c(7, 5, 2, 10), c(12, 0, 3, 9), c(0, 14, 5, 9), c(20, 20, 20, 20), c(4, 36, 11, 29), c(1, 0, 0, 1), c(30, 10, 12, 28), c(3, 2, 3, 2))
for (tb in tables) for (cl in c(0.95, 0.9)) {
  tag <- paste0("tab@", paste(tb, collapse = "@"), "@", cl)
  tab <- matrix(c(tb[1], tb[3], tb[2], tb[4]), 2)
  f <- fisher.test(tab, conf.level = cl)
  out(tag, "fisher.p", f$p.value); out(tag, "fisher.r", c(f$estimate, f$conf.int))
  out(tag, "fisher.tight", fisher_tight(tab, cl))
  n1 <- tb[1] + tb[2]; n2 <- tb[3] + tb[4]
  w1 <- prop.test(tb[1], n1, correct = FALSE, conf.level = cl)$conf.int
  w2 <- prop.test(tb[3], n2, correct = FALSE, conf.level = cl)$conf.int
  p1 <- tb[1] / n1; p2 <- tb[3] / n2; dlt <- p1 - p2
  out(tag, "wilson1", w1); out(tag, "wilson2", w2)
  out(tag, "newcombe", c(dlt, dlt - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), dlt + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)))
  if (tb[1] > 0 && tb[3] > 0) {
    rr <- p1 / p2; se <- sqrt(1 / tb[1] - 1 / n1 + 1 / tb[3] - 1 / n2); z <- qnorm(1 - (1 - cl) / 2)
    out(tag, "rr_log", c(rr, exp(log(rr) - z * se), exp(log(rr) + z * se)))
  }
}
cat("# R:", R.version.string, " effectsize", as.character(packageVersion("effectsize")), "\n")
