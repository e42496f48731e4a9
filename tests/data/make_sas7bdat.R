# A small SAS data set (sas7bdat) written by haven::write_sas (ReadStat; deprecated in haven but
# present in 2.5.1), from the first 40 rows of data/example_trial.csv. trialstat does not read
# sas7bdat yet: tests/parquet_inputs.rs checks that a real one is recognised and refused (exit 2)
# with a hint to convert it. Run from the repository root: Rscript tests/data/make_sas7bdat.R
d <- read.csv("data/example_trial.csv", stringsAsFactors = FALSE)[1:40, ]
suppressWarnings(haven::write_sas(d, "tests/data/example_trial_head.sas7bdat"))
back <- haven::read_sas("tests/data/example_trial_head.sas7bdat")
stopifnot(nrow(back) == 40, all.equal(as.numeric(back$value), d$value))
