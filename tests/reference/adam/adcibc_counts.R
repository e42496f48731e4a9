# Record accounting of `trialstat analyze adcibc.xpt --adsl adsl.xpt --population EFFFL`,
# computed from haven's CSV conversions of the CDISC pilot files (../shared/reference/cdiscpilot01).
# Filters in trialstat's order, each record counted under the first that removes it:
# patient not in ADSL, EFFFL missing, EFFFL != "Y", DTYPE not empty (sponsor-derived, LOCF).
# Run from the repository root: Rscript tests/reference/adam/adcibc_counts.R > tests/reference/adam/adcibc_counts.csv
dir <- "../shared/reference/cdiscpilot01"
adcibc <- read.csv(file.path(dir, "adcibc.csv"), stringsAsFactors = FALSE, na.strings = "")
adsl <- read.csv(file.path(dir, "adsl.csv"), stringsAsFactors = FALSE, na.strings = "")
flag <- adsl$EFFFL[match(adcibc$USUBJID, adsl$USUBJID)]
in_adsl <- adcibc$USUBJID %in% adsl$USUBJID
reason <- ifelse(!in_adsl, "not_in_adsl",
          ifelse(is.na(flag), "population_flag_missing",
          ifelse(flag != "Y", "outside_population",
          ifelse(!is.na(adcibc$DTYPE), "derived_record", "kept"))))
counts <- table(factor(reason, levels = c("kept", "not_in_adsl", "population_flag_missing",
                                          "outside_population", "derived_record")))
out <- data.frame(what = c("read", names(counts)), records = c(nrow(adcibc), as.vector(counts)))
# the derived records by DTYPE, over all patients (the study's LOCF records)
out <- rbind(out, data.frame(what = "dtype_locf_all", records = sum(adcibc$DTYPE %in% "LOCF", na.rm = TRUE)))
out <- rbind(out, data.frame(what = "baseline_records", records = sum(adcibc$AVISITN <= 0, na.rm = TRUE)))
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
