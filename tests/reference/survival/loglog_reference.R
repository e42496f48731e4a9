# Kaplan–Meier with conf.type = "log-log" (SAS PROC LIFETEST's default CONFTYPE=LOGLOG):
# pointwise limits, quartiles with Brookmeyer–Crowley limits read off the log-log band, and
# S(t) at fixed times, for the data sets of survival_reference.R (veteran, lung, CDISC pilot
# adtte). R 4.2, survival 3.5.3. Run from this directory: Rscript loglog_reference.R
suppressPackageStartupMessages(library(survival))
options(digits = 17)
wr <- function(x, f) write.csv(x, f, row.names = FALSE, na = "")
vet <- read.csv("veteran.csv"); lung <- read.csv("lung.csv")
adtte <- read.csv("../../../../shared/reference/cdiscpilot01/adtte.csv", stringsAsFactors = FALSE)
adtte <- adtte[adtte$PARAMCD == "TTDE" & adtte$SAFFL == "Y", ]
adtte$event <- 1L - adtte$CNSR
sets <- list(
  veteran = list(d = vet, time = "time", event = "status", group = "trt", at = c(30, 90, 180, 365)),
  lung = list(d = lung, time = "time", event = "event", group = "sex", at = c(180, 365, 730)),
  adtte = list(d = adtte, time = "AVAL", event = "event", group = "TRTP", at = c(30, 60, 90, 180))
)
curves <- quants <- atrows <- NULL
for (nm in names(sets)) {
  s <- sets[[nm]]; d <- s$d
  d$g <- factor(d[[s$group]])
  f <- survfit(Surv(d[[s$time]], d[[s$event]]) ~ g, data = d, conf.type = "log-log")
  sm <- summary(f, censored = TRUE)
  curves <- rbind(curves, data.frame(data = nm, group = sub("^g=", "", as.character(sm$strata)),
    time = sm$time, surv = sm$surv, lower = sm$lower, upper = sm$upper))
  q <- quantile(f, probs = c(0.25, 0.5, 0.75))
  for (i in seq_len(nrow(q$quantile))) for (j in 1:3)
    quants <- rbind(quants, data.frame(data = nm, group = sub("^g=", "", rownames(q$quantile)[i]),
      prob = c(0.25, 0.5, 0.75)[j], quantile = q$quantile[i, j], lower = q$lower[i, j], upper = q$upper[i, j]))
  sa <- summary(f, times = s$at, extend = FALSE)
  atrows <- rbind(atrows, data.frame(data = nm, group = sub("^g=", "", as.character(sa$strata)),
    time = sa$time, surv = sa$surv, lower = sa$lower, upper = sa$upper))
}
wr(curves, "km_loglog_curves.csv"); wr(quants, "km_loglog_quantiles.csv"); wr(atrows, "km_loglog_at.csv")
