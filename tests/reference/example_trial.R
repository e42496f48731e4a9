# The bundled synthetic three-arm trial (data/example_trial.csv) analysed in R: every within-
# and between-arm row at every visit, complete cases, with the ANCOVA adjusted for site and
# baseline severity (both categorical; emmeans averages over their levels with equal weights).
# Regenerate from the project root:  Rscript tests/reference/example_trial.R
source("tests/reference/within_rows.R")
source("tests/reference/between_rows.R")
d <- read.csv("data/example_trial.csv", stringsAsFactors = FALSE)
out <- list()
for (e in sort(unique(d$endpoint))) {
  base <- d[d$endpoint == e & d$visit == "baseline" & !is.na(d$value), c("patient_id", "arm", "site", "baseline_severity", "value")]
  for (v in c("week4", "week8", "week12", "week24")) {
    f <- d[d$endpoint == e & d$visit == v & !is.na(d$value), c("patient_id", "value")]
    m <- merge(base, f, by = "patient_id")
    names(m) <- c("patient_id", "arm", "site", "baseline_severity", "b", "f")
    for (a in sort(unique(m$arm))) {
      x <- m[m$arm == a, ]
      out[[length(out) + 1]] <- within_rows(x$b, x$f, e, a, v)
    }
    out[[length(out) + 1]] <- between_rows(m, e, v, "placebo", covariates = c("site", "baseline_severity"))
  }
}
write_reference(do.call(rbind, out), "tests/reference/example_trial_reference.csv")
