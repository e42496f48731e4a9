# Public randomised experiment with four arms and missing visits: datasets::ChickWeight
# (Crowder & Hand 1990, Analysis of Repeated Measures, example 5.3): body weight (g) of 50 chicks
# on four diets, measured on days 0 to 21; five chicks died early, so later visits are missing.
# Day 0 is the baseline, diet 1 the control; weight is higher-is-better.
# Writes tests/data/chickweight.csv and tests/reference/chickweight_reference.csv (every within-
# and between-arm row, complete cases at each visit).
# Regenerate from the project root:  Rscript tests/reference/chickweight.R
source("tests/reference/within_rows.R")
source("tests/reference/between_rows.R")
cw <- as.data.frame(ChickWeight)
d <- data.frame(patient_id = paste0("C", as.integer(as.character(cw$Chick))), arm = paste0("diet", cw$Diet),
                visit = paste0("day", cw$Time), day = cw$Time, weight_g = cw$weight)
write.csv(d, "tests/data/chickweight.csv", row.names = FALSE, quote = FALSE)
base <- d[d$day == 0, c("patient_id", "arm", "weight_g")]
out <- list()
for (t in sort(unique(d$day[d$day > 0]))) {
  f <- d[d$day == t, c("patient_id", "weight_g")]
  m <- merge(base, f, by = "patient_id")
  names(m) <- c("patient_id", "arm", "b", "f")
  for (a in sort(unique(m$arm))) {
    x <- m[m$arm == a, ]
    out[[length(out) + 1]] <- within_rows(x$b, x$f, "weight_g", a, paste0("day", t), thresholds = c(50, 100), higher = TRUE)
  }
  out[[length(out) + 1]] <- between_rows(m, "weight_g", paste0("day", t), "diet1", thresholds = c(50, 100), higher = TRUE)
}
write_reference(do.call(rbind, out), "tests/reference/chickweight_reference.csv")
