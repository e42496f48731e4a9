# `analyze --time-to` reference: time to clearance (plaque_thickness_mm == 0) in the demo case
# series and time to a 50% reduction in the synthetic three-arm trial, derived as trialstat does
# (week of the first follow-up visit meeting the condition, else censored at the last follow-up
# visit with a value), then survfit / survdiff / coxph. Run from this directory.
suppressPackageStartupMessages(library(survival))
options(digits = 17)
derive <- function(d, endpoint, met) {
  d <- d[!is.na(d[[endpoint]]) | TRUE, ]
  out <- NULL
  for (p in unique(d$patient_id)) {
    x <- d[d$patient_id == p, ]; x <- x[order(x$week), ]
    b <- x[[endpoint]][x$week == 0]
    if (length(b) == 0 || is.na(b)) next
    f <- x[x$week > 0 & !is.na(x[[endpoint]]), ]
    if (nrow(f) == 0) next
    hit <- which(met(b, f[[endpoint]]))
    out <- rbind(out, data.frame(patient = p, arm = x$arm[1],
      time = if (length(hit)) f$week[hit[1]] else f$week[nrow(f)], event = as.integer(length(hit) > 0)))
  }
  out
}
tofa <- read.csv("../../../data/tofacitinib_case_series.csv")
t1 <- derive(tofa, "plaque_thickness_mm", function(b, v) v == 0)
trial <- read.csv("../../../data/example_trial.csv")
wide <- trial[trial$endpoint == "plaque_thickness_mm", c("patient_id", "arm", "week", "value")]
names(wide)[4] <- "plaque_thickness_mm"
t2 <- derive(wide, "plaque_thickness_mm", function(b, v) 100 * (v - b) / b <= -50)
res <- NULL
for (nm in c("tofacitinib_cleared", "trial_pasi50")) {
  d <- if (nm == "tofacitinib_cleared") t1 else t2
  f <- survfit(Surv(time, event) ~ arm, data = d)
  q <- quantile(f, probs = c(0.25, 0.5, 0.75))
  qq <- q$quantile; if (is.null(dim(qq))) { qq <- t(qq); q$lower <- t(q$lower); q$upper <- t(q$upper); rownames(qq) <- paste0("arm=", unique(d$arm)) }
  for (i in seq_len(nrow(qq))) for (j in 1:3)
    res <- rbind(res, data.frame(data = nm, arm = sub("^arm=", "", rownames(qq)[i]), estimand = c("q25", "median", "q75")[j],
      estimate = qq[i, j], lower = q$lower[i, j], upper = q$upper[i, j], statistic = NA, p = NA))
  if (length(unique(d$arm)) > 1) for (a in setdiff(unique(d$arm), "placebo")) {
    dd <- d[d$arm %in% c("placebo", a), ]; dd$g <- factor(dd$arm, levels = c("placebo", a))
    s <- survdiff(Surv(time, event) ~ g, data = dd)
    m <- coxph(Surv(time, event) ~ g, data = dd, control = coxph.control(eps = 1e-10))
    ci <- summary(m)$conf.int
    res <- rbind(res, data.frame(data = nm, arm = a, estimand = "log_rank", estimate = NA, lower = NA, upper = NA,
      statistic = s$chisq, p = pchisq(s$chisq, 1, lower.tail = FALSE)))
    res <- rbind(res, data.frame(data = nm, arm = a, estimand = "hazard_ratio", estimate = ci[1, 1], lower = ci[1, 3],
      upper = ci[1, 4], statistic = NA, p = summary(m)$coefficients[1, 5]))
  }
}
write.csv(res, "time_to.csv", row.names = FALSE, na = "")
