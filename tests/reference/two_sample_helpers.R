# Helpers shared by the R reference scripts (tight-tolerance versions of what R packages do).
hedges_tight <- function(x, y, cl = 0.95) {
  n1 <- length(x); n2 <- length(y); df <- n1 + n2 - 2
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / df); d <- (mean(x) - mean(y)) / sp
  hn <- sqrt(1 / n1 + 1 / n2); tobs <- d / hn
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  f <- function(ncp, p) pt(tobs, df, ncp) - p
  a <- 1 - cl
  lo <- suppressWarnings(uniroot(f, c(tobs - 30, tobs + 30), p = 1 - a / 2, tol = 1e-13)$root)
  hi <- suppressWarnings(uniroot(f, c(tobs - 30, tobs + 30), p = a / 2, tol = 1e-13)$root)
  c(d * J, lo * hn * J, hi * hn * J, tobs, df)
}
newcombe <- function(k1, n1, k2, n2, cl = 0.95) {
  w1 <- suppressWarnings(prop.test(k1, n1, correct = FALSE, conf.level = cl)$conf.int)
  w2 <- suppressWarnings(prop.test(k2, n2, correct = FALSE, conf.level = cl)$conf.int)
  p1 <- k1 / n1; p2 <- k2 / n2; d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
rr_log <- function(k1, n1, k2, n2, cl = 0.95) {
  rr <- (k1 / n1) / (k2 / n2); se <- sqrt(1 / k1 - 1 / n1 + 1 / k2 - 1 / n2); z <- qnorm(1 - (1 - cl) / 2)
  c(rr, exp(log(rr) - z * se), exp(log(rr) + z * se))
}
fisher_tight <- function(tab, conf.level = 0.95) {
  # R's fisher.test internals with uniroot tolerance 1e-12 instead of the default ~1.2e-4
  m <- sum(tab[, 1L]); n <- sum(tab[, 2L]); k <- sum(tab[1L, ]); x <- tab[1L, 1L]
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) { if (ncp == 0) return(lo); if (ncp == Inf) return(hi); sum(support * dnhyper(ncp)) }
  pnhyper <- function(q, ncp, upper.tail = FALSE) sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  tol <- 1e-12
  mle <- if (x == lo) 0 else if (x == hi) Inf else exp(uniroot(function(u) mnhyper(exp(u)) - x, c(-60, 60), tol = tol)$root)
  alpha <- (1 - conf.level) / 2
  L <- if (x == lo) 0 else exp(uniroot(function(u) pnhyper(x, exp(u), TRUE) - alpha, c(-60, 60), tol = tol)$root)
  U <- if (x == hi) Inf else exp(uniroot(function(u) pnhyper(x, exp(u)) - alpha, c(-60, 60), tol = tol)$root)
  c(mle, L, U)
}
