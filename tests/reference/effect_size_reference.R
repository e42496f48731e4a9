# Reference values for the effect sizes: R effectsize (hedges_g paired, glass_delta,
# rank_biserial paired and two-sample, cliffs_delta) and Lakens' (2013) formulas for d_av, d_rm.
# Regenerate from the project root:
#   Rscript tests/reference/effect_size_reference.R > tests/reference/effect_size_reference.csv
suppressPackageStartupMessages({ library(effectsize); library(MASS) })
out <- function(case, q, v) for (i in seq_along(v)) {
  name <- if (length(v) > 1) paste0(q, "[", i, "]") else q
  cat(case, ",", name, ",", sprintf("%.17g", v[i]), "\n", sep = "")
}
vec <- function(case, q, x) cat(case, ",", q, ",", paste(sprintf("%.17g", x), collapse = " "), "\n", sep = "")
w <- read.csv("tests/data/tofacitinib_v1.csv")
pairs <- list(
  thickness = list(b = w$plaque_thickness_mm[w$visit == "baseline"], f = w$plaque_thickness_mm[w$visit == "week12"]),
  pruritus = list(b = w$pruritus[w$visit == "baseline"], f = w$pruritus[w$visit == "week24"]),
  anorexia_ft = list(b = anorexia$Prewt[anorexia$Treat == "FT"], f = anorexia$Postwt[anorexia$Treat == "FT"])
)
for (nm in names(pairs)) {
  b <- pairs[[nm]]$b; f <- pairs[[nm]]$f; d <- f - b; n <- length(d)
  vec(nm, "b", b); vec(nm, "f", f)
  g <- hedges_g(f, b, paired = TRUE); out(nm, "hedges_gz", c(g$Hedges_g, g$CI_low, g$CI_high))
  J <- exp(lgamma((n - 1) / 2) - log(sqrt((n - 1) / 2)) - lgamma((n - 2) / 2))
  dav <- mean(d) / ((sd(b) + sd(f)) / 2); r <- cor(b, f); drm <- mean(d) / sd(d) * sqrt(2 * (1 - r))
  out(nm, "d_av", dav); out(nm, "g_av", dav * J); out(nm, "d_rm", drm); out(nm, "g_rm", drm * J)
  rb <- rank_biserial(d); out(nm, "rank_biserial", c(rb$r_rank_biserial, rb$CI_low, rb$CI_high))
}
two <- list(
  anorexia = list(x = with(anorexia[anorexia$Treat == "FT", ], Postwt - Prewt), y = with(anorexia[anorexia$Treat == "Cont", ], Postwt - Prewt)),
  scores = list(x = c(3, 2, 2, 1, 0, 3, 2, 1, 1, 2, 3, 4, 2, 1), y = c(1, 0, 0, 1, 2, 0, 1, 1, 0, 1, 2, 0))
)
for (nm in names(two)) {
  x <- two[[nm]]$x; y <- two[[nm]]$y; vec(nm, "x", x); vec(nm, "y", y)
  gd <- glass_delta(x, y); out(nm, "glass_delta", c(gd$Glass_delta, gd$CI_low, gd$CI_high))
  rb <- rank_biserial(x, y); out(nm, "rank_biserial", c(rb$r_rank_biserial, rb$CI_low, rb$CI_high))
  cd <- cliffs_delta(x, y); out(nm, "cliffs_delta", c(cd$r_rank_biserial, cd$CI_low, cd$CI_high))
}
cat("# R:", R.version.string, " effectsize", as.character(packageVersion("effectsize")), "\n")
