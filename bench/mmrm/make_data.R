# Simulated MMRM benchmark data (seeded): n patients x t visits, two arms, baseline, AR-like
# correlation with heterogeneous variances, ~3% dropout per visit (monotone).
# Usage: Rscript make_data.R N T OUT.csv
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[1]); t <- as.integer(args[2]); out <- args[3]
set.seed(20261130)
arm <- ifelse(runif(n) < 0.5, "TRT", "PBO")
base <- rnorm(n, 20, 4)
sd <- seq(4, 8, length.out = t)
R <- outer(1:t, 1:t, function(i, j) 0.6^abs(i - j))
L <- chol(diag(sd) %*% R %*% diag(sd))
e <- matrix(rnorm(n * t), n, t) %*% L
mu <- outer(arm == "TRT", 1:t, function(a, v) -1.0 * v - a * 0.5 * v)
y <- base + mu + 0.3 * (base - 20) + e
last <- pmin(t, 1 + rgeom(n, 0.03))
keep <- outer(last, 1:t, ">=")
d <- data.frame(
  USUBJID = rep(sprintf("P%06d", 1:n), times = t),
  AVISIT = rep(sprintf("V%02d", 1:t), each = n),
  ARMCD = rep(arm, times = t),
  BASE = rep(base, times = t),
  AVAL = ifelse(as.vector(keep), as.vector(y), NA)
)
write.csv(d[order(d$USUBJID, d$AVISIT), ], out, row.names = FALSE, na = "")
