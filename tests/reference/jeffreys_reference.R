# Reference values for the Jeffreys interval of a binomial proportion (rows {resp}_rate/jeffreys).
# Regenerate with:  Rscript tests/reference/jeffreys_reference.R > tests/reference/jeffreys_reference.csv
# Output: k,n,conf_level,lower,upper  (17 significant digits). Read by tests/jeffreys_reference.rs.
# The equal-tailed interval of the Beta(k + 1/2, n - k + 1/2) posterior under Jeffreys' prior,
# with Brown, Cai & DasGupta's (2001) boundary rule: lower = 0 when k = 0, upper = 1 when k = n —
# as SAS PROC FREQ BINOMIAL(JEFFREYS) and binom::binom.confint(method = "bayes", type = "central",
# prior.shape1 = 0.5, prior.shape2 = 0.5) except at the boundaries.
cat("k,n,conf_level,lower,upper\n")
cases <- rbind(
  c(0, 12, 0.95), c(1, 12, 0.95), c(4, 12, 0.95), c(8, 12, 0.95), c(12, 12, 0.95),
  c(14, 39, 0.95), c(24, 37, 0.95), c(0, 27, 0.95), c(5, 37, 0.90), c(5, 37, 0.99),
  c(1, 1, 0.95), c(0, 1, 0.95), c(50, 100, 0.95), c(3, 1000, 0.95), c(997, 1000, 0.95),
  c(123456, 600000, 0.95)
)
for (i in seq_len(nrow(cases))) {
  k <- cases[i, 1]; n <- cases[i, 2]; cl <- cases[i, 3]; a <- 1 - cl
  lower <- if (k == 0) 0 else qbeta(a / 2, k + 0.5, n - k + 0.5)
  upper <- if (k == n) 1 else qbeta(1 - a / 2, k + 0.5, n - k + 0.5)
  cat(sprintf("%d,%d,%.17g,%.17g,%.17g\n", k, n, cl, lower, upper))
}
