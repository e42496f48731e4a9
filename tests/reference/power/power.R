# Reference values for trialstat power (src/stats/power.rs): R's power.t.test (strict = TRUE:
# both tails), power.prop.test, pwr::pwr.t.test / pwr.t2n.test, and Fisher's exact power by
# enumeration with fisher.test. Welch and ANCOVA have no R function: their noncentral-t
# formulas are written out here with R's pt. Regenerate from the project root:
#   Rscript tests/reference/power/power.R > tests/reference/power/power.csv
suppressPackageStartupMessages(library(pwr))
out <- function(case, q, v) cat(case, ",", q, ",", sprintf("%.17g", v), "\n", sep = "")
cat("case,quantity,value\n")
p <- power.t.test(n = 20, delta = 1, sd = 1.5, type = "one.sample", strict = TRUE)$power
out("one_sample_n20_d1_sd1.5", "power", p)
p <- power.t.test(n = 12, delta = 0.8, sd = 1, type = "paired", strict = TRUE, sig.level = 0.01)$power
out("paired_n12_d0.8_a0.01", "power", p)
p <- power.t.test(n = 20, delta = 1, sd = 1.5, strict = TRUE)$power
out("two_sample_n20_d1_sd1.5", "power", p)
n <- power.t.test(power = 0.9, delta = 5, sd = 10, strict = TRUE)$n
out("two_sample_d5_sd10_pw0.9", "n_continuous", n); out("two_sample_d5_sd10_pw0.9", "n", ceiling(n))
n <- power.t.test(power = 0.8, delta = 0.5, sd = 1, type = "one.sample", strict = TRUE)$n
out("one_sample_d0.5_pw0.8", "n", ceiling(n))
p <- pwr.t.test(n = 25, d = 0.6, type = "paired")$power
out("pwr_paired_n25_d0.6", "power", p)
p <- pwr.t2n.test(n1 = 30, n2 = 45, d = 0.5)$power
out("pwr_t2n_30_45_d0.5", "power", p)
p <- pwr.t.test(n = 40, d = 0.5, type = "two.sample")$power
out("pwr_two_n40_d0.5", "power", p)
p <- power.prop.test(n = 50, p1 = 0.6, p2 = 0.3)$power
out("prop_n50_0.6_0.3", "power", p)
n <- power.prop.test(p1 = 0.5, p2 = 0.75, power = 0.9)$n
out("prop_0.5_0.75_pw0.9", "n", ceiling(n))
# Welch (Satterthwaite df), both tails, n1 = 20, n2 = 30, sd 1 and 2, delta 1.
n1 <- 20; n2 <- 30; s1 <- 1; s2 <- 2; d <- 1; a <- 0.05
v1 <- s1^2 / n1; v2 <- s2^2 / n2; df <- (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1))
q <- qt(1 - a / 2, df); ncp <- d / sqrt(v1 + v2)
out("welch_20_30_sd1_2_d1", "power", pt(q, df, ncp, lower.tail = FALSE) + pt(-q, df, ncp))
# ANCOVA: residual SD sd*sqrt(1 - rho^2), df n1 + n2 - 3; n = 25 per arm, delta 4, sd 10, rho 0.6.
n <- 25; sdr <- 10 * sqrt(1 - 0.6^2); df <- 2 * n - 3; q <- qt(0.975, df); ncp <- 4 / (sdr * sqrt(2 / n))
out("ancova_n25_d4_sd10_rho0.6", "power", pt(q, df, ncp, lower.tail = FALSE) + pt(-q, df, ncp))
# Fisher's exact test: power by enumerating every pair of counts, n = 25 per arm, 0.6 vs 0.2.
fisher_power <- function(n1, n2, p1, p2, a = 0.05) {
  s <- 0
  for (x1 in 0:n1) for (x2 in 0:n2) {
    pv <- fisher.test(matrix(c(x1, n1 - x1, x2, n2 - x2), 2, byrow = TRUE))$p.value
    if (pv <= a) s <- s + dbinom(x1, n1, p1) * dbinom(x2, n2, p2)
  }
  s
}
out("fisher_25_25_0.6_0.2", "power", fisher_power(25, 25, 0.6, 0.2))
out("fisher_15_20_0.7_0.3", "power", fisher_power(15, 20, 0.7, 0.3))
# Noether (1987): power = pnorm(sqrt(12 t (1 - t) N) |p - 1/2| - z), p = P(X > Y) = pnorm(delta / (sd sqrt 2)).
pg <- pnorm(0.5 / sqrt(2)); N <- 120; t <- 0.5
out("noether_60_60_d0.5", "power", pnorm(sqrt(12 * t * (1 - t) * N) * abs(pg - 0.5) - qnorm(0.975)))
