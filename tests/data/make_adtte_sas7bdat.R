# The CDISC pilot ADTTE (MIT, PHUSE; ../shared/reference/cdiscpilot01/adtte.xpt) as a SAS data
# set written by haven::write_sas, for `trialstat survival` on sas7bdat input
# (tests/survival_cli.rs). Run from the repository root: Rscript tests/data/make_adtte_sas7bdat.R
library(haven)
d <- read_xpt("../shared/reference/cdiscpilot01/adtte.xpt")
write_sas(d, "tests/data/sas7bdat/adtte_pilot.sas7bdat")
