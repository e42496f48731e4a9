# R side of the MMRM benchmark: nlme::gls with corSymm + varIdent (UN), REML, the same model
# as trialstat mmrm (change ~ BASE + ARMCD*AVISIT; fev_data: FEV1 ~ ARMCD*AVISIT + RACE + SEX).
# Prints the elapsed seconds of reading + fitting + LS means (emmeans).
# Usage: Rscript gls.R FILE fev|sim
suppressPackageStartupMessages({ library(nlme); library(emmeans) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1])
if (args[2] == "fev") {
  d <- d[!is.na(d$FEV1), ]
  d$AVISIT <- factor(d$AVISIT)
  f <- gls(FEV1 ~ ARMCD * AVISIT + RACE + SEX, data = d, method = "REML",
    correlation = corSymm(form = ~ as.integer(AVISIT) | USUBJID),
    weights = varIdent(form = ~ 1 | AVISIT))
} else {
  d <- d[!is.na(d$AVAL), ]
  d$CHG <- d$AVAL - d$BASE
  d$AVISIT <- factor(d$AVISIT)
  f <- gls(CHG ~ BASE + ARMCD * AVISIT, data = d, method = "REML",
    correlation = corSymm(form = ~ as.integer(AVISIT) | USUBJID),
    weights = varIdent(form = ~ 1 | AVISIT))
}
em <- summary(emmeans(f, ~ ARMCD | AVISIT, mode = "df.error"))
cat(sprintf("%.3f\n", proc.time()[["elapsed"]] - t0))
