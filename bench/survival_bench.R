# R beside examples/bench_survival.rs (issue 19): same data (written by
# `cargo run --release --example bench_survival -- --write`), best of 3 elapsed times.
#   Rscript bench/survival_bench.R
suppressPackageStartupMessages(library(survival))
best <- function(f) min(sapply(1:3, function(i) system.time(f())[["elapsed"]]))
d <- read.csv("bench/surv_1m.csv")
cat(sprintf("R km_logrank_1e6_seconds %.3f\n", best(function() {
  f <- survfit(Surv(time, event) ~ arm, data = d); q <- quantile(f, 0.5)
  s <- survdiff(Surv(time, event) ~ arm, data = d)
})))
d <- read.csv("bench/surv_cox_100k.csv")
cat(sprintf("R cox_5cov_1e5_seconds %.3f\n", best(function()
  coxph(Surv(time, event) ~ arm + x1 + x2 + x3 + x4 + x5, data = d))))
print(coef(coxph(Surv(time, event) ~ arm + x1 + x2 + x3 + x4 + x5, data = d)))
