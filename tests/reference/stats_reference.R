# Reference values for trialstat's stats routines.
# Regenerate with:  Rscript tests/reference/stats_reference.R > tests/reference/stats_reference.csv
# Output: case,quantity,value  (value printed with 17 significant digits)
# Requires: R >= 4.0, effectsize. Values are read by tests/stats_reference.rs.
suppressPackageStartupMessages(library(effectsize))
out <- function(case, q, v) {
  for (i in seq_along(v)) {
    name <- if (length(v) > 1) paste0(q, "[", i, "]") else q
    cat(case, ",", name, ",", sprintf("%.17g", v[i]), "\n", sep = "")
  }
}
vec <- function(case, x) cat(case, ",x,", paste(sprintf("%.17g", x), collapse = " "), "\n", sep = "")

# ---- vectors -------------------------------------------------------------
cases <- list(
  t_small      = c(-1.2, -0.8, -1.9, -0.4, -1.1, -1.5, -0.9, -2.0, -0.7, -1.3),
  t_pct        = c(-52.3, -61.0, -38.5, -70.2, -45.0, -49.9, -66.6, -33.3, -58.1, -55.0, -41.2, -57.7),
  t_pos        = c(0.5, 2.1, 1.4, -0.3, 3.2, 0.9, 1.1),
  t_offset     = 1e6 + c(0.11, 0.12, 0.135, 0.101, 0.14),
  t_n2         = c(1.5, 4.0),
  wx_exact10   = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, -0.61),
  wx_exact3    = c(0.7, 1.9, 2.6),
  wx_exact20   = c(-3.1, 2.2, -0.45, 1.15, 4.7, -2.05, 0.33, 1.71, -0.88, 2.96,
                   3.3, -1.27, 0.61, 5.02, 1.09, -0.14, 2.45, 0.78, 3.81, -2.6),
  wx_ties      = c(-1, -2, -2, -3, 1, -4, -2, -3, -1, -5, -2, -3),
  wx_zeros     = c(0, -1.5, -2.5, 0, -0.5, 1.0, -3.5, -2.0, -1.0, -4.0),
  wx_ties_pct  = c(-50, -50, -66.666666666666671, -33.333333333333336, -100, -100, -75, -25, -50, 0, -80, -60),
  wx_large     = round(sin(1:60) * 10 + 1, 3),
  wx_allsame   = c(2, 2, 2, 2)
)
for (nm in names(cases)) vec(nm, cases[[nm]])

for (nm in names(cases)) {
  x <- cases[[nm]]
  for (cl in c(0.95, 0.9)) {
    tag <- paste0(nm, "@", cl)
    if (!(nm %in% c("wx_allsame"))) {
      tt <- t.test(x, conf.level = cl)
      out(tag, "t.estimate", tt$estimate); out(tag, "t.ci", tt$conf.int)
      out(tag, "t.statistic", tt$statistic); out(tag, "t.df", tt$parameter); out(tag, "t.p", tt$p.value)
    }
    wt <- suppressWarnings(wilcox.test(x, conf.int = TRUE, conf.level = cl))
    out(tag, "w.statistic", wt$statistic); out(tag, "w.p", wt$p.value)
    if (!any(is.nan(wt$conf.int))) {
      out(tag, "w.ci", wt$conf.int); out(tag, "w.conf_level", attr(wt$conf.int, "conf.level"))
      out(tag, "w.r_estimate", wt$estimate)
    }
    x0 <- x[x != 0]
    w <- outer(x0, x0, "+"); w <- w[!lower.tri(w)] / 2
    out(tag, "w.hl_median_walsh", median(w))
    ws <- sort(w); m <- length(ws)
    out(tag, "w.walsh_middle", c(ws[ceiling(m / 2)], ws[floor(m / 2) + 1]))
    if (length(x) > 1 && sd(x) > 0 && abs(mean(x) / sd(x) * sqrt(length(x))) < 50) {
      d <- mean(x) / sd(x); n <- length(x); tobs <- d * sqrt(n)
      f <- function(ncp, p) pt(tobs, n - 1, ncp) - p
      a <- 1 - cl
      lo <- uniroot(f, c(tobs - 20, tobs + 20), p = 1 - a / 2, tol = 1e-13)$root
      hi <- uniroot(f, c(tobs - 20, tobs + 20), p = a / 2, tol = 1e-13)$root
      out(tag, "dz.estimate", d); out(tag, "dz.ci_uniroot", c(lo, hi) / sqrt(n))
      es <- cohens_d(x, mu = 0, ci = cl)
      out(tag, "dz.ci_effectsize", c(es$CI_low, es$CI_high))
    }
  }
}

# ---- distribution functions --------------------------------------------------
for (df in c(1, 2.5, 11, 30, 200)) for (p in c(1e-10, 0.001, 0.025, 0.3, 0.95, 0.995))
  out(paste0("qt@", p, "@", df), "value", qt(p, df))
for (df in c(3, 11, 40)) for (t in c(-3, 0.4, 2.2, 7, 25)) out(paste0("pt_sf@", t, "@", df), "value", pt(t, df, lower.tail = FALSE))
for (t in c(-2, 0.5, 3.7, 12)) for (df in c(4, 11, 60)) for (ncp in c(-1.5, 0.8, 3, 10))
  out(paste0("pnt@", t, "@", df, "@", ncp), "value", pt(t, df, ncp))
for (p in c(1e-12, 0.005, 0.025, 0.5, 0.975)) out(paste0("qnorm@", p), "value", qnorm(p))
# Extreme upper tails (p-values down to 1e-308): survival functions, never 1 - cdf.
for (tq in list(c(50, 3), c(1e3, 3), c(1e6, 3), c(20, 30), c(100, 30), c(1e4, 200)))
  out(paste0("pt_sf@", tq[1], "@", tq[2]), "value", pt(tq[1], tq[2], lower.tail = FALSE))
for (z in c(10, 30, 37.5)) out(paste0("pnorm_sf@", z), "value", pnorm(z, lower.tail = FALSE))

# ---- Clopper-Pearson -----------------------------------------------------------
for (kn in list(c(0, 12), c(4, 12), c(12, 12), c(1, 1), c(0, 1), c(7, 20), c(3, 150), c(149, 150)))
  for (cl in c(0.95, 0.9)) {
    b <- binom.test(kn[1], kn[2], conf.level = cl)
    out(paste0("cp@", kn[1], "@", kn[2], "@", cl), "ci", b$conf.int)
  }
cat("# R:", R.version.string, " effectsize", as.character(packageVersion("effectsize")), "\n")
