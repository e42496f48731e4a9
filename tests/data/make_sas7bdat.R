# SAS data sets (sas7bdat) written by haven::write_sas (ReadStat; deprecated in haven but present in
# 2.5.1, uncompressed), from data/example_trial.csv: its first 40 rows (with the same rows as a
# transport file, for the reader tests) and the whole trial (for the end-to-end test that the
# analysis equals the CSV's byte for byte: tests/sas7bdat_inputs.rs). The values haven reads back
# are in tests/reference/sas7bdat/ (make_references.R).
# Run from the repository root: Rscript tests/data/make_sas7bdat.R
d <- read.csv("data/example_trial.csv", stringsAsFactors = FALSE)
head40 <- d[1:40, ]
suppressWarnings(haven::write_sas(head40, "tests/data/example_trial_head.sas7bdat"))
haven::write_xpt(head40, "tests/data/example_trial_head.xpt", version = 8, name = "HEAD40")
suppressWarnings(haven::write_sas(d, "tests/data/example_trial.sas7bdat"))
back <- haven::read_sas("tests/data/example_trial_head.sas7bdat")
stopifnot(nrow(back) == 40, all.equal(as.numeric(back$value), head40$value))
back <- haven::read_sas("tests/data/example_trial.sas7bdat")
stopifnot(nrow(back) == nrow(d), identical(as.numeric(back$value), d$value))
# An ADSL for the example trial (one record per patient: USUBJID, TRT01P, site,
# baseline_severity, ITTFL), as a SAS data set: tests/adsl_columns.rs takes --covariate and
# --strata columns from it for a BDS file that lacks them.
adsl <- unique(data.frame(USUBJID = d$patient_id, TRT01P = d$arm, site = d$site,
                          baseline_severity = d$baseline_severity, ITTFL = "Y",
                          stringsAsFactors = FALSE))
stopifnot(!anyDuplicated(adsl$USUBJID))
suppressWarnings(haven::write_sas(adsl, "tests/data/example_trial_adsl.sas7bdat"))
