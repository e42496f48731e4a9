# Reference values for src/stats/survival (Kaplan–Meier, quantiles, log-rank, Cox, exact Poisson).
# R 4.2, survival 3.5.3. Run from this directory: Rscript survival_reference.R
# Inputs written here too (veteran.csv, lung.csv) so the Rust tests need no R.
suppressPackageStartupMessages(library(survival))
options(digits = 17)
wr <- function(x, f) write.csv(x, f, row.names = FALSE, na = "")

vet <- survival::veteran[, c("trt", "celltype", "time", "status", "karno", "age", "prior")]
lung <- survival::lung[, c("time", "status", "sex", "age", "ph.ecog", "ph.karno")]
lung$event <- as.integer(lung$status == 2)          # status 1 = censored, 2 = dead
adtte <- read.csv("../../../../shared/reference/cdiscpilot01/adtte.csv", stringsAsFactors = FALSE)
adtte <- adtte[adtte$PARAMCD == "TTDE" & adtte$SAFFL == "Y", ]
adtte$event <- 1L - adtte$CNSR
adtte$TRTP <- factor(adtte$TRTP, levels = c("Placebo", "Xanomeline Low Dose", "Xanomeline High Dose"))
wr(vet, "veteran.csv"); wr(lung, "lung.csv")

sets <- list(
  veteran = list(d = vet, time = "time", event = "status", group = "trt", strata = "celltype",
                 covs = c("karno", "age"), at = c(30, 90, 180, 365)),
  lung = list(d = lung, time = "time", event = "event", group = "sex", strata = "ph.ecog",
              covs = c("age", "ph.karno"), at = c(180, 365, 730)),
  adtte = list(d = adtte, time = "AVAL", event = "event", group = "TRTP", strata = "SEX",
               covs = c("AGE"), at = c(30, 60, 90, 180))
)

curves <- quants <- atrows <- lr <- cx <- NULL
for (nm in names(sets)) {
  s <- sets[[nm]]; d <- s$d
  d$g <- factor(d[[s$group]])
  f <- survfit(Surv(d[[s$time]], d[[s$event]]) ~ g, data = d)   # conf.type = "log" (default)
  sm <- summary(f, censored = TRUE)
  curves <- rbind(curves, data.frame(data = nm, group = sub("^g=", "", as.character(sm$strata)),
    time = sm$time, n_risk = sm$n.risk, n_event = sm$n.event, surv = sm$surv,
    std_err = sm$std.err, lower = sm$lower, upper = sm$upper))
  q <- quantile(f, probs = c(0.25, 0.5, 0.75))
  for (i in seq_len(nrow(q$quantile))) for (j in 1:3)
    quants <- rbind(quants, data.frame(data = nm, group = sub("^g=", "", rownames(q$quantile)[i]),
      prob = c(0.25, 0.5, 0.75)[j], quantile = q$quantile[i, j], lower = q$lower[i, j], upper = q$upper[i, j]))
  sa <- summary(f, times = s$at, extend = FALSE)
  atrows <- rbind(atrows, data.frame(data = nm, group = sub("^g=", "", as.character(sa$strata)),
    time = sa$time, surv = sa$surv, std_err = sa$std.err, lower = sa$lower, upper = sa$upper))
  lev <- levels(d$g)
  for (arm in lev[-1]) {
    dd <- d[d$g %in% c(lev[1], arm), ]; dd$g <- factor(dd$g, levels = c(lev[1], arm))
    for (strat in c(FALSE, TRUE)) {
      fo <- if (strat) Surv(dd[[s$time]], dd[[s$event]]) ~ g + strata(dd[[s$strata]]) else Surv(dd[[s$time]], dd[[s$event]]) ~ g
      sd <- survdiff(fo, data = dd)
      df <- sum(!is.na(sd$exp) & sd$exp > 0) - 1
      lr <- rbind(lr, data.frame(data = nm, arm = arm, control = lev[1], stratified = strat,
        chisq = sd$chisq, df = 1, p = pchisq(sd$chisq, 1, lower.tail = FALSE),
        observed = if (is.matrix(sd$obs)) sum(sd$obs[2, ]) else sd$obs[2],
        expected = if (is.matrix(sd$exp)) sum(sd$exp[2, ]) else sd$exp[2]))
    }
    for (ties in c("efron", "breslow")) for (adj in c(FALSE, TRUE)) for (strat in c(FALSE, TRUE)) {
      rhs <- "g"
      if (adj) rhs <- paste(c(rhs, s$covs), collapse = " + ")
      if (strat) rhs <- paste(rhs, "+ strata(", s$strata, ")")
      fo <- as.formula(paste("Surv(", s$time, ",", s$event, ") ~", rhs))
      m <- coxph(fo, data = dd, ties = ties, control = coxph.control(eps = 1e-10, iter.max = 50))
      cf <- summary(m)$coefficients; ci <- summary(m)$conf.int
      cx <- rbind(cx, data.frame(data = nm, arm = arm, control = lev[1], ties = ties, adjusted = adj,
        stratified = strat, term = rownames(cf), coef = cf[, "coef"], se = cf[, "se(coef)"],
        hr = ci[, "exp(coef)"], lower = ci[, "lower .95"], upper = ci[, "upper .95"], p = cf[, "Pr(>|z|)"],
        n = m$n, nevent = m$nevent, loglik = m$loglik[2]))
    }
  }
}
wr(curves, "km_curves.csv"); wr(quants, "km_quantiles.csv"); wr(atrows, "km_survival_at.csv")
wr(lr, "log_rank.csv"); wr(cx, "cox.csv")

# Exact Poisson intervals (poisson.test)
pz <- NULL
for (x in c(0, 1, 2, 5, 17, 100)) for (tt in c(1, 12.5, 250)) {
  p <- poisson.test(x, tt)
  pz <- rbind(pz, data.frame(x = x, exposure = tt, rate = p$estimate, lower = p$conf.int[1], upper = p$conf.int[2]))
}
wr(pz, "poisson_exact.csv")
sink("sessionInfo.txt"); print(sessionInfo()); sink()
