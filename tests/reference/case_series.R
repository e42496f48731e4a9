# The bundled demo case series (data/*.csv, synthetic: written by `trialstat simulate`, see
# data/README.md) analysed in R, every within-arm row.
# Regenerate from the project root:  Rscript tests/reference/case_series.R
source("tests/reference/within_rows.R")
one <- function(long, path) {
  out <- list()
  for (e in unique(long$endpoint)) for (v in setdiff(unique(long$visit), "baseline")) {
    b <- long[long$endpoint == e & long$visit == "baseline", ]
    f <- long[long$endpoint == e & long$visit == v, ]
    m <- merge(b, f, by = "patient_id")
    out[[length(out) + 1]] <- within_rows(m$value.x, m$value.y, e, m$arm.x[1], v)
  }
  write_reference(do.call(rbind, out), path)
}
w <- read.csv("data/tofacitinib_case_series.csv")
eps <- setdiff(names(w), c("patient_id", "arm", "visit", "week"))
long <- do.call(rbind, lapply(eps, function(e) data.frame(patient_id = w$patient_id, arm = w$arm, visit = w$visit, endpoint = e, value = w[[e]])))
one(long, "tests/reference/tofacitinib_reference.csv")
one(read.csv("data/baricitinib_case_series.csv"), "tests/reference/baricitinib_reference.csv")
