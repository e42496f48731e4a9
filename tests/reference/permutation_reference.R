# Exact permutation p-values by brute-force enumeration in R (all 2^n sign flips; all
# choose(N, nx) relabellings), two-sided: P(|T*| >= |T|).
# Regenerate from the project root:
#   Rscript tests/reference/permutation_reference.R > tests/reference/permutation_reference.csv
suppressPackageStartupMessages(library(MASS))
w <- read.csv("tests/data/tofacitinib_v1.csv")
d1 <- w$plaque_thickness_mm[w$visit == "week12"] - w$plaque_thickness_mm[w$visit == "baseline"]
d2 <- sleep$extra[sleep$group == 2] - sleep$extra[sleep$group == 1]
d3 <- c(0.5, -1.2, 0.3, 0.9, -0.4, 1.1, 0.2, -0.7)
sf <- function(d) {
  n <- length(d); s <- abs(sum(d)); cnt <- 0
  for (m in 0:(2^n - 1)) {
    sg <- ifelse(bitwAnd(m, 2^(0:(n - 1))) > 0, -1, 1)
    if (abs(sum(sg * abs(d))) >= s * (1 - 1e-12)) cnt <- cnt + 1
  }
  cnt / 2^n
}
for (nm in c("d1", "d2", "d3")) {
  d <- get(nm)
  cat(nm, ",x,", paste(sprintf("%.17g", d), collapse = " "), "\n", sep = "")
  cat(nm, ",p,", sprintf("%.17g", sf(d)), "\n", sep = "")
}
cx <- with(anorexia[anorexia$Treat == "FT", ], Postwt - Prewt)[1:7]
cy <- with(anorexia[anorexia$Treat == "Cont", ], Postwt - Prewt)[1:8]
all <- c(cx, cy); obs <- abs(mean(cx) - mean(cy)); cmb <- combn(length(all), length(cx))
st <- apply(cmb, 2, function(i) abs(mean(all[i]) - mean(all[-i])))
cat("two,x,", paste(sprintf("%.17g", cx), collapse = " "), "\n", sep = "")
cat("two,y,", paste(sprintf("%.17g", cy), collapse = " "), "\n", sep = "")
cat("two,p,", sprintf("%.17g", mean(st >= obs * (1 - 1e-12))), "\n", sep = "")
# Pratt's signed-rank test by enumeration: rank |x| with the zeros, drop the zeros, then all
# 2^n sign patterns of the remaining ranks; two-sided as exactRankTests (2 × smaller tail).
pratt <- function(x) {
  r <- rank(abs(x)); keep <- x != 0; r <- r[keep]; x <- x[keep]; n <- length(r)
  V <- sum(r[x > 0]); T <- numeric(2^n)
  for (m in 0:(2^n - 1)) T[m + 1] <- sum(r[bitwAnd(m, 2^(0:(n - 1))) > 0])
  lo <- mean(T <= V + 1e-9); hi <- mean(T >= V - 1e-9)
  min(1, if (2 * lo <= 1) 2 * lo else 2 * hi)
}
p1 <- c(0, -1.5, -2.5, 0, -0.5, 1.0, -3.5, -2.0, -1.0, -4.0, -1.5, -2.5)
p2 <- c(0, 0, 2, -1, 3, 3, 4, -2, 5, 1, 0, 6)
for (nm in c("p1", "p2")) {
  d <- get(nm)
  cat("pratt_", nm, ",x,", paste(sprintf("%.17g", d), collapse = " "), "\n", sep = "")
  cat("pratt_", nm, ",p,", sprintf("%.17g", pratt(d)), "\n", sep = "")
}
