# Reference bootstrap intervals: boot::boot + boot.ci(type = "all") with R = 100,000 resamples.
# Monte-Carlo references: trialstat draws different resamples, so agreement is within the
# Monte-Carlo error (see tests/bootstrap_reference.rs for the tolerance and its derivation).
# Regenerate from the project root:
#   Rscript tests/reference/bootstrap_reference.R > tests/reference/bootstrap_reference.csv
suppressPackageStartupMessages({ library(boot); library(MASS) })
set.seed(20261126)
B <- 100000
out <- function(case, q, v) for (i in seq_along(v)) {
  name <- if (length(v) > 1) paste0(q, "[", i, "]") else q
  cat(case, ",", name, ",", sprintf("%.17g", v[i]), "\n", sep = "")
}
vec <- function(case, q, x) cat(case, ",", q, ",", paste(sprintf("%.17g", x), collapse = " "), "\n", sep = "")
report <- function(case, b) {
  ci <- boot.ci(b, conf = 0.95, type = c("norm", "basic", "perc", "stud", "bca"))
  out(case, "t0", b$t0[1]); out(case, "se", sd(b$t[, 1]))
  out(case, "normal", ci$normal[2:3]); out(case, "basic", ci$basic[4:5]); out(case, "percentile", ci$percent[4:5])
  out(case, "studentized", ci$student[4:5]); out(case, "bca", ci$bca[4:5])
}
w <- read.csv("tests/data/tofacitinib_v1.csv")
b0 <- w$plaque_thickness_mm[w$visit == "baseline"]; f12 <- w$plaque_thickness_mm[w$visit == "week12"]
pct <- 100 * (f12 - b0) / b0
one <- list(tofacitinib_pct = pct, anorexia_cbt = with(anorexia[anorexia$Treat == "CBT", ], Postwt - Prewt))
for (nm in names(one)) {
  x <- one[[nm]]; vec(nm, "x", x)
  report(nm, boot(x, function(d, i) c(mean(d[i]), var(d[i]) / length(i)), R = B))
}
cx <- with(anorexia[anorexia$Treat == "CBT", ], Postwt - Prewt)
cy <- with(anorexia[anorexia$Treat == "Cont", ], Postwt - Prewt)
vec("anorexia_cbt_vs_cont", "x", cx); vec("anorexia_cbt_vs_cont", "y", cy)
d <- data.frame(v = c(cx, cy), g = rep(1:2, c(length(cx), length(cy))))
st <- function(d, i) {
  a <- d$v[i][d$g[i] == 1]; b <- d$v[i][d$g[i] == 2]
  c(mean(a) - mean(b), var(a) / length(a) + var(b) / length(b))
}
report("anorexia_cbt_vs_cont", boot(d, st, R = B, strata = d$g))
cat("# R:", R.version.string, " boot", as.character(packageVersion("boot")), " R =", B, "\n")
