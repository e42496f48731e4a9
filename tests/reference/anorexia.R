# Real public trial data: MASS::anorexia (Hand et al. 1994, A Handbook of Small Data Sets,
# data set 285): weight (lb) of young women with anorexia before and after cognitive
# behavioural therapy (CBT), family therapy (FT) or control treatment (Cont).
# Writes tests/data/anorexia.csv (long-visit, wide-endpoint layout) and
# tests/reference/anorexia_reference.csv with every within-arm row as R computes it.
# Regenerate from the project root:  Rscript tests/reference/anorexia.R
suppressPackageStartupMessages(library(MASS))
source("tests/reference/within_rows.R")
source("tests/reference/between_rows.R")
d <- anorexia
d$patient_id <- sprintf("A%02d", seq_len(nrow(d)))
long <- rbind(
  data.frame(patient_id = d$patient_id, arm = d$Treat, visit = "pre", weight_lb = d$Prewt),
  data.frame(patient_id = d$patient_id, arm = d$Treat, visit = "post", weight_lb = d$Postwt))
write.csv(long, "tests/data/anorexia.csv", row.names = FALSE, quote = FALSE)
res <- do.call(rbind, lapply(levels(d$Treat), function(arm) {
  x <- d[d$Treat == arm, ]
  within_rows(x$Prewt, x$Postwt, "weight_lb", arm, "post", thresholds = c(5, 10), higher = TRUE)
}))
bt <- between_rows(data.frame(arm = d$Treat, b = d$Prewt, f = d$Postwt), "weight_lb", "post", "Cont", thresholds = c(5, 10), higher = TRUE)
write_reference(rbind(res, bt), "tests/reference/anorexia_reference.csv")
