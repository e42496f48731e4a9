# Reference values for the stratified responder statistics of trialstat (src/stats/cmh.rs,
# src/stats/risk_difference.rs, src/stats/exact_unconditional.rs).
#
# R's own functions where R has them (mantelhaen.test(correct = FALSE), prop.test); the
# published formulas in R code written here where it has not:
#   - Sato (1989) variance of the Mantel-Haenszel risk difference, as SAS PROC FREQ
#     COMMONRISKDIFF documents it (P_h, Q_h);
#   - Miettinen & Nurminen (1985) score interval, unstratified and stratified with MH weights
#     (restricted MLE in closed form, Farrington & Manning 1990 / MN appendix);
#   - Breslow-Day with Tarone's (1985) correction, strata with a zero margin left out;
#   - generalized CMH statistics (Landis, Heyman & Koch 1978) with table scores, as SAS
#     PROC FREQ CMH (general association, row mean scores differ, nonzero correlation).
# Run: Rscript responders_reference.R  (writes the CSV files beside it)
options(digits = 17)
here <- function(f) file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), f)

# ---- 2 x 2 x K data sets: one row per stratum (k1 of n1 in the arm, k2 of n2 in control)
sets <- list(
  # SAS/STAT PROC FREQ Example "Cochran-Mantel-Haenszel Statistics" (Migraine; Active vs Placebo)
  migraine = data.frame(k1 = c(16, 12), n1 = c(27, 28), k2 = c(5, 7), n2 = c(25, 26)),
  four_strata = data.frame(k1 = c(20, 15, 30, 8), n1 = c(50, 40, 60, 25),
                           k2 = c(10, 9, 18, 6), n2 = c(48, 42, 61, 24)),
  zero_cells = data.frame(k1 = c(3, 5, 7), n1 = c(10, 12, 15), k2 = c(0, 1, 2), n2 = c(9, 11, 14)),
  # a stratum with one arm only, one where all respond, one where none respond, one with n = 1
  sparse = data.frame(k1 = c(12, 5, 6, 0, 9, 1), n1 = c(30, 8, 6, 5, 20, 1),
                      k2 = c(6, 0, 4, 0, 7, 0), n2 = c(28, 0, 4, 6, 22, 0)),
  negative = data.frame(k1 = c(4, 6, 3), n1 = c(30, 35, 25), k2 = c(10, 12, 9), n2 = c(29, 33, 27))
)

to_array <- function(d) {
  a <- array(0, dim = c(2, 2, nrow(d)))
  for (h in seq_len(nrow(d))) {
    a[, , h] <- matrix(c(d$k1[h], d$k2[h], d$n1[h] - d$k1[h], d$n2[h] - d$k2[h]), 2)
  }
  a
}

sato <- function(d, level = 0.95) {
  d <- d[d$n1 > 0 & d$n2 > 0, ]
  n <- d$n1 + d$n2
  w <- d$n1 * d$n2 / n
  dh <- d$k1 / d$n1 - d$k2 / d$n2
  est <- sum(w * dh) / sum(w)
  P <- (d$n1^2 * d$k2 - d$n2^2 * d$k1 + d$n1 * d$n2 * (d$n2 - d$n1) / 2) / n^2
  Q <- (d$k1 * (d$n2 - d$k2) + d$k2 * (d$n1 - d$k1)) / (2 * n)
  se <- sqrt((est * sum(P) + sum(Q)) / sum(w)^2)
  z <- qnorm(1 - (1 - level) / 2)
  c(est = est, lower = est - z * se, upper = est + z * se, se = se)
}

# Restricted MLE of (p1, p2) under p1 - p2 = delta (Miettinen & Nurminen 1985, appendix).
restricted <- function(k1, n1, k2, n2, delta) {
  N <- n1 + n2; m <- k1 + k2; th <- n2 / n1
  a <- 1 + th
  b <- -(1 + th + k1 / n1 + th * k2 / n2 + delta * (th + 2))
  c <- delta^2 + delta * (2 * k1 / n1 + th + 1) + k1 / n1 + th * k2 / n2
  dd <- -k1 / n1 * delta * (1 + delta)
  v <- b^3 / (27 * a^3) - b * c / (6 * a^2) + dd / (2 * a)
  u <- sign(v) * sqrt(max(b^2 / (9 * a^2) - c / (3 * a), 0))
  if (u == 0) { r <- 0 } else { r <- v / u^3 }
  w <- (pi + acos(max(-1, min(1, r)))) / 3
  p1 <- 2 * u * cos(w) - b / (3 * a)
  p1 <- min(1, max(0, p1))
  p2 <- min(1, max(0, p1 - delta))
  c(p1, p2)
}
mn_var <- function(k1, n1, k2, n2, delta) {
  p <- restricted(k1, n1, k2, n2, delta)
  N <- n1 + n2
  (p[1] * (1 - p[1]) / n1 + p[2] * (1 - p[2]) / n2) * N / (N - 1)
}
root_in <- function(f, lo, hi) uniroot(f, c(lo, hi), tol = 1e-13)$root
score_ci <- function(stat, est, level) {
  # stat(delta): the signed score statistic, decreasing in delta; limits where stat = +-z.
  z <- qnorm(1 - (1 - level) / 2)
  eps <- 1e-12
  stat0 <- stat
  stat <- function(x) if (x == est) 0 else stat0(x)  # 0/0 at the estimate when p1 = p2 = 0 or 1
  lo <- if (stat(-1 + eps) < z) -1 else root_in(function(x) stat(x) - z, -1 + eps, est)
  hi <- if (stat(1 - eps) > -z) 1 else root_in(function(x) stat(x) + z, est, 1 - eps)
  c(lower = lo, upper = hi)
}
mn_unstratified <- function(k1, n1, k2, n2, level = 0.95) {
  est <- k1 / n1 - k2 / n2
  stat <- function(delta) (est - delta) / sqrt(mn_var(k1, n1, k2, n2, delta))
  c(est = est, score_ci(stat, est, level))
}
mn_stratified <- function(d, level = 0.95) {
  d <- d[d$n1 > 0 & d$n2 > 0, ]
  w <- d$n1 * d$n2 / (d$n1 + d$n2); w <- w / sum(w)
  dh <- d$k1 / d$n1 - d$k2 / d$n2
  est <- sum(w * dh)
  stat <- function(delta) {
    v <- sapply(seq_len(nrow(d)), function(h) mn_var(d$k1[h], d$n1[h], d$k2[h], d$n2[h], delta))
    sum(w * (dh - delta)) / sqrt(sum(w^2 * v))
  }
  c(est = est, score_ci(stat, est, level))
}

breslow_day <- function(d) {
  a <- d$k1; n1 <- d$n1; n2 <- d$n2; m1 <- d$k1 + d$k2; N <- n1 + n2
  keep <- n1 > 0 & n2 > 0 & m1 > 0 & m1 < N
  a <- a[keep]; n1 <- n1[keep]; n2 <- n2[keep]; m1 <- m1[keep]; N <- N[keep]
  b <- n1 - a; c <- m1 - a; dd <- n2 - c
  psi <- sum(a * dd / N) / sum(b * c / N)
  A <- V <- numeric(length(a))
  for (h in seq_along(a)) {
    lo <- max(0, m1[h] - n2[h]); hi <- min(n1[h], m1[h])
    # E(a) under psi: root of (A (n2 - m1 + A)) = psi (n1 - A)(m1 - A) in (lo, hi)
    if (psi == 1) {
      A[h] <- n1[h] * m1[h] / N[h]
    } else {
      qa <- 1 - psi
      qb <- (n2[h] - m1[h]) + psi * (n1[h] + m1[h])
      qc <- -psi * n1[h] * m1[h]
      roots <- c((-qb + sqrt(qb^2 - 4 * qa * qc)) / (2 * qa), (-qb - sqrt(qb^2 - 4 * qa * qc)) / (2 * qa))
      A[h] <- roots[roots >= lo - 1e-9 & roots <= hi + 1e-9][1]
    }
    V[h] <- 1 / (1 / A[h] + 1 / (n1[h] - A[h]) + 1 / (m1[h] - A[h]) + 1 / (n2[h] - m1[h] + A[h]))
  }
  bd0 <- sum((a - A)^2 / V)
  bd <- bd0 - (sum(a) - sum(A))^2 / sum(V)
  df <- length(a) - 1
  c(statistic = bd, df = df, p = pchisq(bd, df, lower.tail = FALSE), uncorrected = bd0)
}

rows <- list()
add <- function(set, quantity, value) rows[[length(rows) + 1]] <<- data.frame(set = set, quantity = quantity, value = value)
for (name in names(sets)) {
  d <- sets[[name]]
  # mantelhaen.test needs every stratum to have n >= 2; a stratum of one patient adds nothing
  # to the CMH sums (its variance term is 0/0 and is taken as 0, as SAS does).
  dm <- d[d$n1 + d$n2 >= 2, ]
  mh <- mantelhaen.test(to_array(dm), correct = FALSE)
  add(name, "cmh_statistic", unname(mh$statistic))
  add(name, "cmh_p", mh$p.value)
  add(name, "mh_or", unname(mh$estimate))
  add(name, "mh_or_lower", mh$conf.int[1])
  add(name, "mh_or_upper", mh$conf.int[2])
  s <- sato(d)
  add(name, "sato_est", s[["est"]]); add(name, "sato_lower", s[["lower"]]); add(name, "sato_upper", s[["upper"]])
  m <- mn_stratified(d)
  add(name, "mn_strat_est", m[["est"]]); add(name, "mn_strat_lower", m[["lower"]]); add(name, "mn_strat_upper", m[["upper"]])
  bd <- breslow_day(d)
  add(name, "bd_statistic", bd[["statistic"]]); add(name, "bd_df", bd[["df"]]); add(name, "bd_p", bd[["p"]])
  add(name, "bd_uncorrected", bd[["uncorrected"]])
  # pooled (unstratified) pieces
  K1 <- sum(d$k1); N1 <- sum(d$n1); K2 <- sum(d$k2); N2 <- sum(d$n2)
  u <- mn_unstratified(K1, N1, K2, N2)
  add(name, "mn_est", u[["est"]]); add(name, "mn_lower", u[["lower"]]); add(name, "mn_upper", u[["upper"]])
  w <- prop.test(K1, N1, correct = FALSE)$conf.int
  add(name, "wilson1_lower", w[1]); add(name, "wilson1_upper", w[2])
}
# MN edge cases: 0 of n, n of n
for (case in list(c(0, 20, 0, 20), c(20, 20, 0, 20), c(0, 15, 3, 17), c(10, 10, 9, 10), c(5, 7, 5, 7))) {
  u <- mn_unstratified(case[1], case[2], case[3], case[4])
  nm <- paste0("mn_edge_", paste(case, collapse = "_"))
  add(nm, "mn_est", u[["est"]]); add(nm, "mn_lower", u[["lower"]]); add(nm, "mn_upper", u[["upper"]])
}
write.csv(do.call(rbind, rows), here("responders_reference.csv"), row.names = FALSE)

# ---- generalized CMH (SAS PROC FREQ CMH, table scores) ----
gcmh <- function(tab) {
  # tab: r x c x K array; row and column scores are the table scores (row index; column value)
  r <- dim(tab)[1]; cc <- dim(tab)[2]; K <- dim(tab)[3]
  colscore <- as.numeric(dimnames(tab)[[2]]); rowscore <- seq_len(r)
  G <- list(ga = 0, rm = 0, co = 0); V <- list(ga = 0, rm = 0, co = 0)
  for (h in seq_len(K)) {
    n <- tab[, , h]; nh <- sum(n)
    if (nh < 2) next
    pr <- rowSums(n) / nh; pc <- colSums(n) / nh
    m <- nh * outer(pr, pc)
    Vh <- nh^2 / (nh - 1) * kronecker(diag(pc) - pc %o% pc, diag(pr) - pr %o% pr)
    resid <- as.vector(n - m)  # column-major: rows vary fastest, matching kronecker(col, row)
    Rga <- cbind(diag(r - 1), 0); Cga <- cbind(diag(cc - 1), 0)
    B <- list(ga = kronecker(Cga, Rga),
              rm = kronecker(t(colscore), Rga),
              co = kronecker(t(colscore), t(rowscore)))
    # row mean scores: R = [I_{r-1}, 0] gives a full-rank contrast set of row means
    for (s in names(B)) {
      G[[s]] <- G[[s]] + B[[s]] %*% resid
      V[[s]] <- V[[s]] + B[[s]] %*% Vh %*% t(B[[s]])
    }
  }
  out <- list()
  for (s in names(G)) {
    q <- as.numeric(t(G[[s]]) %*% solve(V[[s]], G[[s]]))
    df <- length(G[[s]])
    out[[s]] <- c(statistic = q, df = df, p = pchisq(q, df, lower.tail = FALSE))
  }
  out
}
adcibc <- read.csv(file.path("/work/shared/reference/cdiscpilot01", "adcibc.csv"), stringsAsFactors = FALSE)
w24 <- subset(adcibc, AVISIT == "Week 24" & EFFFL == "Y" & ANL01FL == "Y" & PARAMCD == "CIBICVAL")
stopifnot(!anyDuplicated(w24$USUBJID))
arms <- c("Placebo", "Xanomeline Low Dose", "Xanomeline High Dose")
w24$TRTP <- factor(w24$TRTP, levels = arms)
w24$AVAL <- factor(w24$AVAL)
grows <- list()
for (strat in c(TRUE, FALSE)) {
  z <- if (strat) factor(w24$SITEGR1) else factor(rep("all", nrow(w24)))
  tab <- table(w24$TRTP, w24$AVAL, z)
  g <- gcmh(tab)
  for (s in names(g)) grows[[length(grows) + 1]] <- data.frame(
    stratified = strat, statistic = s, value = g[[s]][["statistic"]], df = g[[s]][["df"]], p = g[[s]][["p"]])
  if (strat) {
    # cross-check of general association with R's generalized mantelhaen.test (strata with n >= 2)
    r <- mantelhaen.test(tab)
    stopifnot(abs(r$statistic - g$ga[["statistic"]]) < 1e-8 * r$statistic)
  }
}
write.csv(do.call(rbind, grows), here("cibic_week24_cmh.csv"), row.names = FALSE)
write.csv(as.data.frame(table(site = w24$SITEGR1, arm = w24$TRTP, cibic = w24$AVAL)),
          here("cibic_week24_counts.csv"), row.names = FALSE)
migr <- gcmh(aperm(array(to_array(sets$migraine), dim = c(2, 2, 2), dimnames = list(c("a", "p"), c("1", "2"), c("f", "m"))), c(1, 2, 3)))
cat("migraine generalized CMH (SAS prints 8.3052, p 0.0040 for all three):\n"); print(migr)

# ---- pairwise rows as trialstat writes them (ARM vs Placebo), stratified by SITEGR1 ----
# and the input file of the row-level test (tests/data/cibic_week24.csv: efficacy population,
# ANL01FL records, the columns trialstat reads).
prow <- list()
for (arm in arms[-1]) {
  s <- droplevels(w24[w24$TRTP %in% c(arm, "Placebo"), ])
  s$TRTP <- factor(as.character(s$TRTP), levels = c(arm, "Placebo"))
  for (strat in c(TRUE, FALSE)) {
    z <- if (strat) factor(s$SITEGR1) else factor(rep("all", nrow(s)))
    g <- gcmh(table(s$TRTP, s$AVAL, z))
    for (st in names(g)) prow[[length(prow) + 1]] <- data.frame(
      arm = arm, stratified = strat, statistic = st, value = g[[st]][["statistic"]], df = g[[st]][["df"]], p = g[[st]][["p"]], n = nrow(s))
  }
}
write.csv(do.call(rbind, prow), here("cibic_week24_pairwise.csv"), row.names = FALSE)
keep <- subset(adcibc, EFFFL == "Y" & ANL01FL == "Y" & PARAMCD == "CIBICVAL",
               c("USUBJID", "TRTP", "SITEGR1", "AVISIT", "AVISITN", "PARAMCD", "AVAL"))
write.csv(keep, file.path(dirname(here("x")), "../../data/cibic_efficacy.csv"), row.names = FALSE, quote = FALSE)
