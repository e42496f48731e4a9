# A CDISC ADaM BDS version of data/example_trial.csv, for the test that ADaM semantics with
# default options give exactly the results of the plain long file (tests/adam_inputs.rs).
# Run from the repository root: Rscript tests/data/make_example_bds.R
# Writes tests/data/example_trial_bds.csv and tests/data/example_trial_bds.xpt (haven, v5) with:
#  - USUBJID, TRTP/TRTA, AVISIT/AVISITN, PARAMCD/PARAM, AVAL, site, severity (as in the plain file);
#  - ABLFL = "Y" on the baseline records, BASE, CHG, PCHG (as ADaM derives them);
#  - for every 7th patient, an extra unflagged record at the baseline visit (a retest, a different
#    value): ADaM's ABLFL decides which one is the baseline;
#  - DTYPE = "LOCF" records the sponsor derived for each missing follow-up value (last
#    observation carried forward), which the default analysis (observed records only) leaves out;
#  - ANL01FL = "Y" on observed records.
suppressMessages(library(haven))
d <- read.csv("data/example_trial.csv", stringsAsFactors = FALSE)
labels <- c(plaque_thickness_mm = "Plaque thickness (mm)", erythema = "Erythema score",
            induration = "Induration score", pruritus = "Pruritus NRS")
bds <- data.frame(STUDYID = "EXAMPLE", USUBJID = d$patient_id, TRTP = d$arm, TRTA = d$arm,
                  site = d$site, baseline_severity = d$baseline_severity,
                  AVISIT = d$visit, AVISITN = d$week, PARAMCD = d$endpoint,
                  PARAM = unname(labels[d$endpoint]), AVAL = d$value, stringsAsFactors = FALSE)
key <- paste(bds$USUBJID, bds$PARAMCD)
base_rows <- bds$AVISIT == "baseline"
bds$BASE <- bds$AVAL[base_rows][match(key, key[base_rows])]
bds$ABLFL <- ifelse(base_rows, "Y", "")
bds$CHG <- ifelse(base_rows, NA, bds$AVAL - bds$BASE)
bds$PCHG <- ifelse(base_rows | is.na(bds$BASE) | bds$BASE == 0, NA, 100 * (bds$AVAL - bds$BASE) / bds$BASE)
bds$DTYPE <- ""
bds$ANL01FL <- "Y"
# retests at baseline, not flagged
ids <- unique(bds$USUBJID)
retest <- bds[base_rows & bds$USUBJID %in% ids[seq(1, length(ids), by = 7)], ]
retest$AVAL <- retest$AVAL + 1
retest$ABLFL <- ""
retest$ANL01FL <- ""
retest$CHG <- NA; retest$PCHG <- NA
# LOCF records for missing follow-up values
bds <- bds[order(bds$USUBJID, bds$PARAMCD, bds$AVISITN), ]
locf <- list()
for (k in unique(paste(bds$USUBJID, bds$PARAMCD))) {
  r <- bds[paste(bds$USUBJID, bds$PARAMCD) == k, ]
  last <- NA
  for (i in seq_len(nrow(r))) {
    if (!is.na(r$AVAL[i])) { last <- r$AVAL[i]; next }
    if (is.na(last) || r$AVISIT[i] == "baseline") next
    x <- r[i, ]
    x$AVAL <- last; x$DTYPE <- "LOCF"; x$ANL01FL <- ""
    x$CHG <- x$AVAL - x$BASE
    x$PCHG <- if (is.na(x$BASE) || x$BASE == 0) NA else 100 * x$CHG / x$BASE
    locf[[length(locf) + 1]] <- x
  }
}
out <- rbind(bds, retest, do.call(rbind, locf))
out <- out[order(out$USUBJID, out$PARAMCD, out$AVISITN, out$DTYPE), ]
write.csv(out, "tests/data/example_trial_bds.csv", row.names = FALSE, na = "")
write_xpt(out, "tests/data/example_trial_bds.xpt", version = 5, name = "ADEX",
          label = "Example trial, ADaM BDS")
cat(nrow(d), "plain rows;", nrow(out), "BDS records:", nrow(retest), "baseline retests,",
    length(locf), "LOCF records\n")
