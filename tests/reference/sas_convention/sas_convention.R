# References for `trialstat analyze --convention sas` (tests/sas_convention.rs).
# The formulas are SAS's, from the SAS/STAT documentation pages named in README.md; R evaluates
# them (and, where R has the same test, its own function) on the data of SAS's worked examples
# and on tied data. Run: Rscript sas_convention.R > sas_convention.csv
suppressPackageStartupMessages(library(exactRankTests))
out <- data.frame(case = character(), quantity = character(), value = numeric())
put <- function(case, quantity, value) {
  out[nrow(out) + 1, ] <<- list(case, quantity, value)
}

# PROC UNIVARIATE signed rank statistic: S, exact p for n <= 20, else t on n - 1 df.
sas_signed_rank <- function(x) {
  x <- x[x != 0]; n <- length(x); r <- rank(abs(x))
  S <- sum(r[x > 0]) - n * (n + 1) / 4
  t <- table(abs(x)); V <- n * (n + 1) * (2 * n + 1) / 24 - sum(t * (t + 1) * (t - 1)) / 48
  if (n <= 20) {
    p <- wilcox.exact(x, exact = TRUE)$p.value
  } else {
    tt <- S * sqrt((n - 1) / (n * V - S^2)); p <- 2 * pt(-abs(tt), n - 1)
  }
  c(n = n, S = S, p = p)
}

# UNIVARIATE Example "Testing for Location": Heights, mu0 = 66 (printed: S = -849, p < .0001,
# 72 values not equal to 66).
heights <- c(64.1,60.9,64.1,64.7,66.7,65.0,63.7,67.4,64.9,63.7,64.0,67.5,62.8,63.9,65.9,62.3,
  64.1,60.6,68.6,68.6,63.7,63.0,64.7,68.2,66.7,62.8,64.0,64.1,62.1,62.9,62.7,60.9,61.6,64.6,
  65.7,66.6,66.7,66.0,68.5,64.4,60.5,63.0,60.0,61.6,64.3,60.2,63.5,64.7,66.0,65.1,63.6,62.0,
  63.6,65.8,66.0,65.4,63.5,66.3,66.2,67.5,65.8,63.1,65.8,64.4,64.0,64.9,65.7,61.0,64.1,65.5,
  68.6,66.6,65.7,65.1,70.0)
# The differences as the Rust test forms them (f64 subtraction), rounded to the data's grid.
r <- sas_signed_rank(round(heights - 66, 10))
for (q in names(r)) put("univariate_heights", q, r[[q]])
# UNIVARIATE Example "Performing a Sign Test Using Paired Data": Score (printed: S = -8.5).
score_change <- c(91-94, 65-51, 97-95, 75-63, 75-80, 55-92, 78-75, 82-89, 76-79, 77-71, 70-75, 73-87)
r <- sas_signed_rank(score_change)
for (q in names(r)) put("univariate_score", q, r[[q]])
# A tied 0-10 change score, 60 patients (t branch) with R's wilcox.test beside it.
set.seed(18)
tied <- sample(-5:5, 60, replace = TRUE)
r <- sas_signed_rank(tied)
for (q in names(r)) put("tied_signed_rank", q, r[[q]])
put("tied_signed_rank", "r_wilcox_test_p", suppressWarnings(wilcox.test(tied)$p.value))
cat("# tied_signed_rank data:", tied, "\n", file = stderr())

# PROC NPAR1WAY WILCOXON HL: Z with continuity correction 0.5, Moses limits.
sas_rank_sum <- function(x, y, conf = 0.95, correct = TRUE) {
  nx <- length(x); ny <- length(y); N <- nx + ny
  rk <- rank(c(x, y)); S <- sum(rk[1:nx]); E <- nx * (N + 1) / 2
  tt <- table(c(x, y)); V <- nx * ny / 12 * ((N + 1) - sum(tt^3 - tt) / (N * (N - 1)))
  dev <- S - E; cc <- if (correct) sign(dev) * 0.5 else 0
  Z <- (dev - cc) / sqrt(V)
  d <- sort(as.vector(outer(x, y, "-"))); M <- length(d)
  C <- floor(M / 2 - qnorm(1 - (1 - conf) / 2) * sqrt(V))
  c(S = S, sd = sqrt(V), Z = Z, p = 2 * pnorm(-abs(Z)), hl = median(d),
    lower = d[C], upper = d[M + 1 - C])
}
# NPAR1WAY Examples "Exact Wilcoxon Two-Sample Test" and "Hodges-Lehmann Estimation": React,
# stimulant 2 (x, the smaller class) against stimulant 1 (printed: S = 79.50, Std Dev Under H0
# 11.004784, Z = 1.7265 and two-sided p 0.0843 with the continuity correction, one-sided p 0.0382
# with CORRECT=NO, location shift 0.3500, 98% Moses limits 0.0000 and 0.8200).
s1 <- c(1.94,1.94,2.92,2.92,2.92,2.92,3.27,3.27,3.27,3.27,3.70,3.70,3.74)
s2 <- c(3.27,3.27,3.27,3.70,3.70,3.74)
r <- sas_rank_sum(s2, s1, conf = 0.98)
for (q in names(r)) put("npar1way_react", q, r[[q]])
put("npar1way_react", "p_one_sided_no_correction", pnorm(-sas_rank_sum(s2, s1, 0.98, FALSE)[["Z"]]))
# A tied 0-10 scale, 40 against 45 patients, with R's wilcox.test beside it.
a <- sample(0:10, 40, replace = TRUE, prob = c(1,1,2,3,3,3,2,2,1,1,1))
b <- sample(0:10, 45, replace = TRUE, prob = c(1,1,1,2,2,3,3,3,2,1,1))
r <- sas_rank_sum(a, b)
for (q in names(r)) put("tied_rank_sum", q, r[[q]])
w <- suppressWarnings(wilcox.test(a, b, conf.int = TRUE))
put("tied_rank_sum", "r_wilcox_test_p", w$p.value)
put("tied_rank_sum", "r_wilcox_test_lower", w$conf.int[1])
put("tied_rank_sum", "r_wilcox_test_upper", w$conf.int[2])
cat("# tied_rank_sum x:", a, "\n# tied_rank_sum y:", b, "\n", file = stderr())
# Untied, 12 against 10: R gives the exact p, NPAR1WAY (without EXACT) the corrected normal one.
u1 <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.91, 0.77, 2.12)
u2 <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.15, 1.29, 0.45)
u2[7] <- 1.07; u2[9] <- 1.31
r <- sas_rank_sum(u1, u2)
for (q in names(r)) put("untied_rank_sum", q, r[[q]])
put("untied_rank_sum", "r_wilcox_test_p", wilcox.test(u1, u2)$p.value)

# PROC FREQ sample odds ratio with Wald (Woolf, logit) limits.
woolf <- function(a, b, c, d, conf = 0.95) {
  or <- a * d / (b * c); se <- sqrt(1/a + 1/b + 1/c + 1/d); z <- qnorm(1 - (1 - conf) / 2)
  c(or = or, lower = exp(log(or) - z * se), upper = exp(log(or) + z * se),
    r_fisher_or = unname(fisher.test(matrix(c(a, c, b, d), 2))$estimate))
}
# PROC FREQ Example "Analysis of a 2x2 Contingency Table": FatComp, 11 of 15 and 2 of 8.
r <- woolf(11, 4, 2, 6)
for (q in names(r)) put("freq_fatcomp", q, r[[q]])
r <- woolf(34, 66, 21, 79)
for (q in names(r)) put("responders_34_100_21_100", q, r[[q]])

write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
