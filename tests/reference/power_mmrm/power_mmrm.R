# Reference for trialstat's simulated MMRM power (src/analysis/mmrm/power.rs): an independent
# simulation in R of the same trials, each replicate fitted with nlme::gls (cell means arm x visit,
# unstructured covariance = corSymm + varIdent, REML) and the last-visit contrast tested with gls's
# residual df N - p (trialstat's --ddf residual is the same df; its default Kenward-Roger differs
# by a fraction of a Monte-Carlo SE at these sizes). R's own random numbers: agreement is within
# 3 combined Monte-Carlo SEs, not digit for digit. Also power.t.test for the no-dropout check.
# Regenerate from the project root (about 10 minutes):
#   Rscript tests/reference/power_mmrm/power_mmrm.R > tests/reference/power_mmrm/power_mmrm.csv
suppressPackageStartupMessages(library(nlme))
out <- function(case, q, v) cat(case, ",", q, ",", sprintf("%.17g", v), "\n", sep = "")
cat("case,quantity,value\n")
# The trial of tests/mmrm_power.rs: 4 visits, SD 8, 9, 10, 11, this correlation matrix.
sds <- c(8, 9, 10, 11)
R <- matrix(c(1.0, 0.6, 0.5, 0.4,
              0.6, 1.0, 0.6, 0.5,
              0.5, 0.6, 1.0, 0.7,
              0.4, 0.5, 0.7, 1.0), 4, 4)
Sigma <- diag(sds) %*% R %*% diag(sds)
L <- t(chol(Sigma))
# Two-sample t power at the last visit, sd = sqrt(Sigma[4, 4]) = 11 (no dropout).
for (n in c(30, 60)) {
  out(sprintf("t_n%d_d6", n), "power",
      power.t.test(n = n, delta = 6, sd = sqrt(Sigma[4, 4]), strict = TRUE)$power)
}
simulate <- function(n1, n2, delta, dropout, sims, seed) {
  set.seed(seed)
  T <- 4
  hits <- 0; failed <- 0
  for (s in seq_len(sims)) {
    rows <- list()
    id <- 0
    for (arm in c("trt", "ctl")) {
      n <- if (arm == "trt") n1 else n2
      mu <- if (arm == "trt") delta * c(0.25, 0.5, 0.75, 1) else rep(0, T)
      for (i in seq_len(n)) {
        id <- id + 1
        y <- mu + as.vector(L %*% rnorm(T))
        m <- sum(runif(1) >= dropout)  # monotone: visits 1..m observed
        if (m > 0) rows[[id]] <- data.frame(id = id, arm = arm, visit = 1:m, y = y[1:m])
      }
    }
    d <- do.call(rbind, rows)
    d$visitf <- factor(d$visit, levels = 1:T)
    d$arm <- factor(d$arm, levels = c("trt", "ctl"))
    fit <- tryCatch(gls(y ~ 0 + arm:visitf, data = d,
                        correlation = corSymm(form = ~ visit | id),
                        weights = varIdent(form = ~ 1 | visitf), method = "REML"),
                    error = function(e) NULL)
    if (is.null(fit)) { failed <- failed + 1; next }
    b <- coef(fit); V <- vcov(fit)
    l <- setNames(rep(0, length(b)), names(b))
    l["armtrt:visitf4"] <- 1; l["armctl:visitf4"] <- -1
    est <- sum(l * b); se <- sqrt(drop(t(l) %*% V %*% l))
    df <- nrow(d) - length(b)
    p <- 2 * pt(abs(est / se), df, lower.tail = FALSE)
    if (p <= 0.05) hits <- hits + 1
  }
  pw <- hits / sims
  c(power = pw, mc_se = sqrt(pw * (1 - pw) / sims), sims = sims, failed = failed)
}
cases <- list(
  list(name = "gls_n60_60_d6_drop0_10_20_30", n1 = 60, n2 = 60, delta = 6,
       dropout = c(0, 0.1, 0.2, 0.3), seed = 1),
  list(name = "gls_n50_25_d7_drop0_15_30_40", n1 = 50, n2 = 25, delta = 7,
       dropout = c(0, 0.15, 0.3, 0.4), seed = 2)
)
for (cs in cases) {
  r <- simulate(cs$n1, cs$n2, cs$delta, cs$dropout, 400, cs$seed)
  for (q in names(r)) out(cs$name, q, r[[q]])
}
# Not a simulation: the power with Sigma known (GLS information summed over the dropout
# patterns, t on n1 + n2 - 2 df), which the simulations approach from below as n grows.
asymptotic <- function(n1, n2, delta, dropout) {
  obs <- 1 - dropout; share <- obs - c(obs[-1], 0)  # share of patients with exactly m visits
  info <- function(n) {
    I <- matrix(0, 4, 4)
    for (m in 1:4) if (share[m] > 0) I[1:m, 1:m] <- I[1:m, 1:m] + n * share[m] * solve(Sigma[1:m, 1:m, drop = FALSE])
    I
  }
  v <- solve(info(n1))[4, 4] + solve(info(n2))[4, 4]
  df <- n1 + n2 - 2; q <- qt(0.975, df); ncp <- delta / sqrt(v)
  pt(q, df, ncp, lower.tail = FALSE) + pt(-q, df, ncp)
}
for (cs in cases) out(cs$name, "power_sigma_known", asymptotic(cs$n1, cs$n2, cs$delta, cs$dropout))
