# R cross-check of trialstat's MMRM on a real public data set with dropout: ChickWeight
# (R datasets; Crowder & Hand 1990, "Analysis of Repeated Measures", example 5.3): 50 chicks on
# 4 diets, weight at days 0..21; 5 chicks die before day 21 (monotone dropout).
# Model: change from day-0 weight at days 4, 8, 12, 16, 21 ~ baseline + Diet * visit,
# unstructured covariance (corSymm + varIdent), REML, tight optimiser tolerances.
# Outputs (read by tests/mmrm_r.rs): chickweight_data.csv, chickweight_coef.csv,
# chickweight_sigma.csv, chickweight_emmeans.csv, chickweight_fit.csv.
# Run: Rscript chickweight_gls.R   (R 4.2, nlme 3.1, emmeans 1.8)
suppressPackageStartupMessages({ library(nlme); library(emmeans) })
d <- as.data.frame(ChickWeight)
d$Chick <- as.character(d$Chick)
base <- d[d$Time == 0, c("Chick", "weight")]
names(base)[2] <- "baseline"
d <- merge(d[d$Time %in% c(4, 8, 12, 16, 21), ], base, by = "Chick")
d$visit <- factor(paste0("day", d$Time), levels = paste0("day", c(4, 8, 12, 16, 21)))
d$Diet <- factor(as.character(d$Diet), levels = c("1", "2", "3", "4"))
d$change <- d$weight - d$baseline
d <- d[order(d$Chick, d$Time), ]
write.csv(d[, c("Chick", "visit", "Diet", "baseline", "weight", "change")],
  "chickweight_data.csv", row.names = FALSE)
ctrl <- glsControl(maxIter = 500, msMaxIter = 500, tolerance = 1e-10, msTol = 1e-12,
  returnObject = FALSE)
fit <- gls(change ~ baseline + Diet * visit, data = d, method = "REML",
  correlation = corSymm(form = ~ as.integer(visit) | Chick),
  weights = varIdent(form = ~ 1 | visit), control = ctrl)
co <- summary(fit)$tTable
write.csv(data.frame(term = rownames(co), estimate = co[, 1], se = co[, 2]),
  "chickweight_coef.csv", row.names = FALSE)
full <- names(which(table(d$Chick) == 5))[1]
S <- as.matrix(getVarCov(fit, individual = full))
write.csv(S, "chickweight_sigma.csv", row.names = FALSE)
em <- emmeans(fit, ~ Diet | visit, mode = "df.error")
e <- as.data.frame(summary(em))
write.csv(data.frame(Diet = e$Diet, visit = e$visit, estimate = e$emmean, se = e$SE),
  "chickweight_emmeans.csv", row.names = FALSE)
ct <- as.data.frame(summary(contrast(em, "trt.vs.ctrl", ref = 1)))
write.csv(data.frame(contrast = ct$contrast, visit = ct$visit, estimate = ct$estimate, se = ct$SE),
  "chickweight_diffs.csv", row.names = FALSE)
write.csv(data.frame(logLik = as.numeric(logLik(fit)), n = nrow(d), p = length(coef(fit))),
  "chickweight_fit.csv", row.names = FALSE)
