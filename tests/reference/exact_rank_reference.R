# Reference values for the exact rank tests with ties and zeros:
# exactRankTests::wilcox.exact(..., exact = TRUE, conf.int = TRUE).
# Regenerate from the project root:
#   Rscript tests/reference/exact_rank_reference.R > tests/reference/exact_rank_reference.csv
suppressPackageStartupMessages(library(exactRankTests))
out <- function(case, q, v) for (i in seq_along(v)) {
  name <- if (length(v) > 1) paste0(q, "[", i, "]") else q
  cat(case, ",", name, ",", sprintf("%.17g", v[i]), "\n", sep = "")
}
vec <- function(case, q, x) cat(case, ",", q, ",", paste(sprintf("%.17g", x), collapse = " "), "\n", sep = "")
one <- list(
  ties_zeros = c(0, -1.5, -2.5, 0, -0.5, 1.0, -3.5, -2.0, -1.0, -4.0, -1.5, -2.5),
  ties_int   = c(-1, -2, -2, -3, 1, -4, -2, -3, -1, -5, -2, -3),
  no_ties    = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, -0.61),
  pct        = c(-50, -50, -66.666666666666671, -33.333333333333336, -100, -100, -75, -25, -50, 0, -80, -60),
  n60_ties   = round(sin(1:60) * 4 + 1),
  n200_ties  = round(cos(1:200) * 6 - 1.5)
)
for (nm in names(one)) {
  x <- one[[nm]]; vec(nm, "x", x)
  for (cl in c(0.95, 0.9)) {
    w <- wilcox.exact(x, exact = TRUE, conf.int = TRUE, conf.level = cl)
    tag <- paste0(nm, "@", cl)
    out(tag, "V", w$statistic); out(tag, "p", w$p.value); out(tag, "ci", w$conf.int); out(tag, "estimate", w$estimate)
  }
}
two <- list(
  two_ties = list(x = c(-2, -1, -3, -2, -2, -4, -1, -3, -2, 0, -5), y = c(0, -1, 1, -1, 0, -2, 0, 1, -1, 0, -1, 2)),
  two_no_ties = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.061, 3.14, 1.291)),
  two_scores = list(x = c(3, 2, 2, 1, 0, 3, 2, 1, 1, 2, 3, 4, 2, 1), y = c(1, 0, 0, 1, 2, 0, 1, 1, 0, 1, 2, 0)),
  two_n80 = list(x = round(sin(1:40) * 3), y = round(cos(1:40) * 3 + 1))
)
for (nm in names(two)) {
  x <- two[[nm]]$x; y <- two[[nm]]$y; vec(nm, "x", x); vec(nm, "y", y)
  for (cl in c(0.95, 0.9)) {
    w <- wilcox.exact(x, y, exact = TRUE, conf.int = TRUE, conf.level = cl)
    tag <- paste0(nm, "@", cl)
    out(tag, "W", w$statistic); out(tag, "p", w$p.value); out(tag, "ci", w$conf.int); out(tag, "estimate", w$estimate)
  }
}
cat("# R:", R.version.string, " exactRankTests", as.character(packageVersion("exactRankTests")), "\n")
