# Exact permutation p-values by brute-force enumeration in R (all 2^n sign flips; all
# choose(N, nx) relabellings), two-sided: P(|T*| >= |T|).
# Regenerate from the project root:
#   Rscript tests/reference/permutation_reference.R > tests/reference/permutation_reference.csv
suppressPackageStartupMessages(library(MASS))
w <- read.csv("data/tofacitinib_case_series.csv")
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
