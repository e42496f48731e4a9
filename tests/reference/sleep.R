# Real public trial data: datasets::sleep (Cushny & Peebles 1905; Student 1908): extra hours of
# sleep of 10 patients on two soporific drugs, the classic paired t test. Drug 1 is taken as
# the "baseline" visit and drug 2 as the follow-up, so change = drug 2 − drug 1 and the
# within-arm rows are the paired analyses. It has negative values and a zero at baseline
# (left out of percent rows), which exercises those paths.
# Writes tests/data/sleep.csv and tests/reference/sleep_reference.csv.
# Regenerate from the project root:  Rscript tests/reference/sleep.R
source("tests/reference/within_rows.R")
d <- data.frame(patient_id = paste0("S", sleep$ID), visit = paste0("drug", sleep$group), extra_sleep_h = sleep$extra)
write.csv(d, "tests/data/sleep.csv", row.names = FALSE, quote = FALSE)
b <- sleep$extra[sleep$group == 1]; f <- sleep$extra[sleep$group == 2]
res <- within_rows(b, f, "extra_sleep_h", "all", "drug2", higher = TRUE)
write_reference(res, "tests/reference/sleep_reference.csv")
