# One simulated trial of trialstat's MMRM power simulation (replicate 0 of the 60 + 60 trial with
# dropout 0, 0.1, 0.2, 0.3, seed 20261201; written by `cargo test --test mmrm_power
# write_replicate_for_r -- --ignored` to replicate.csv), fitted with nlme::gls: cell means
# arm x visit, unstructured covariance (corSymm + varIdent), REML; the last-visit contrast
# trt - ctl with gls's residual df N - p. Regenerate from the project root:
#   Rscript tests/reference/power_mmrm/power_mmrm_replicate.R > tests/reference/power_mmrm/replicate_fit.csv
suppressPackageStartupMessages(library(nlme))
d <- read.csv("tests/reference/power_mmrm/replicate.csv")
d$visitf <- factor(d$visit, levels = 1:4)
d$arm <- factor(d$arm, levels = c("trt", "ctl"))
fit <- gls(y ~ 0 + arm:visitf, data = d, correlation = corSymm(form = ~ visit | id),
           weights = varIdent(form = ~ 1 | visitf), method = "REML",
           control = glsControl(tolerance = 1e-10, msTol = 1e-10, msMaxIter = 500))
b <- coef(fit); V <- vcov(fit)
l <- setNames(rep(0, length(b)), names(b))
l["armtrt:visitf4"] <- 1; l["armctl:visitf4"] <- -1
est <- sum(l * b); se <- sqrt(drop(t(l) %*% V %*% l)); df <- nrow(d) - length(b)
out <- function(q, v) cat("replicate0_gls,", q, ",", sprintf("%.17g", v), "\n", sep = "")
cat("case,quantity,value\n")
out("n_obs", nrow(d))
out("estimate", est); out("se", se); out("df", df)
out("p", 2 * pt(abs(est / se), df, lower.tail = FALSE))
out("neg2_reml_loglik", -2 * logLik(fit))
