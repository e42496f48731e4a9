# Reference for `trialstat safety` on the CDISC pilot ADAE + ADSL (R 4.2, base stats only).
# Rules: safety population = ADSL SAFFL == "Y", arm = ADSL TRT01A; treatment-emergent events =
# ADAE TRTEMFL == "Y" of patients in that population; a patient counts once per preferred term
# (AEDECOD) and once per system organ class (AEBODSYS); events = ADAE records.
# Exposure = (TRTEDT - TRTSDT + 1) days / 365.25, summed over the arm's safety population.
# Incidence: binom.test; difference vs Placebo: Newcombe hybrid score (Wilson without continuity
# correction, as prop.test(correct = FALSE)); rate per 100 patient-years: poisson.test.
# Run from this directory: Rscript safety_reference.R
options(digits = 17)
base <- "../../../../shared/reference/cdiscpilot01/"
adsl <- read.csv(paste0(base, "adsl.csv"), stringsAsFactors = FALSE)
adae <- read.csv(paste0(base, "adae.csv"), stringsAsFactors = FALSE)
adsl <- adsl[adsl$SAFFL == "Y", ]
adsl$years <- (as.numeric(as.Date(adsl$TRTEDT) - as.Date(adsl$TRTSDT)) + 1) / 365.25
ae <- adae[adae$TRTEMFL == "Y" & adae$USUBJID %in% adsl$USUBJID, ]
ae$arm <- adsl$TRT01A[match(ae$USUBJID, adsl$USUBJID)]
arms <- c("Placebo", "Xanomeline Low Dose", "Xanomeline High Dose")
N <- sapply(arms, function(a) sum(adsl$TRT01A == a))
PY <- sapply(arms, function(a) sum(adsl$years[adsl$TRT01A == a]))
wilson <- function(k, n) if (n == 0) c(NA, NA) else prop.test(k, n, correct = FALSE)$conf.int[1:2]
wilson <- function(k, n) {   # closed form (prop.test warns for small counts but gives the same)
  z <- qnorm(0.975); p <- k / n
  c0 <- p + z^2 / (2 * n); h <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)); d <- 1 + z^2 / n
  c(if (k == 0) 0 else max(0, (c0 - h) / d), if (k == n) 1 else min(1, (c0 + h) / d))
}
out <- NULL
terms <- rbind(data.frame(level = "any", term = "ANY TREATMENT-EMERGENT EVENT", soc = ""),
               unique(data.frame(level = "soc", term = ae$AEBODSYS, soc = ae$AEBODSYS)),
               unique(data.frame(level = "pt", term = ae$AEDECOD, soc = ae$AEBODSYS)))
for (i in seq_len(nrow(terms))) {
  tr <- terms[i, ]
  sel <- switch(tr$level, any = rep(TRUE, nrow(ae)), soc = ae$AEBODSYS == tr$term,
                pt = ae$AEDECOD == tr$term & ae$AEBODSYS == tr$soc)
  for (a in arms) {
    k <- length(unique(ae$USUBJID[sel & ae$arm == a])); ev <- sum(sel & ae$arm == a)
    b <- binom.test(k, N[a])$conf.int
    pz <- poisson.test(ev, PY[a])$conf.int * 100
    row <- data.frame(level = tr$level, soc = tr$soc, term = tr$term, arm = a, patients = k, N = N[a],
      incidence = k / N[a], inc_lower = b[1], inc_upper = b[2], events = ev, patient_years = PY[a],
      rate = 100 * ev / PY[a], rate_lower = pz[1], rate_upper = pz[2], diff = NA, diff_lower = NA, diff_upper = NA)
    if (a != "Placebo") {
      k0 <- length(unique(ae$USUBJID[sel & ae$arm == "Placebo"])); n0 <- N["Placebo"]
      w1 <- wilson(k, N[a]); w0 <- wilson(k0, n0); p1 <- k / N[a]; p0 <- k0 / n0; d <- p1 - p0
      row$diff <- d
      row$diff_lower <- d - sqrt((p1 - w1[1])^2 + (w0[2] - p0)^2)
      row$diff_upper <- d + sqrt((w1[2] - p1)^2 + (p0 - w0[1])^2)
    }
    out <- rbind(out, row)
  }
}
write.csv(out, "safety_pilot.csv", row.names = FALSE, na = "")
cat(nrow(out), "rows\n")
