# Data and R timings for side_by_side.sh: 146 + 147 patients on a 1–5 scale, seeded.
args <- commandArgs(TRUE); out <- if (length(args)) args[1] else "."
suppressPackageStartupMessages(library(exactRankTests))
set.seed(20261201)
x <- sample(1:5, 146, TRUE, prob = c(.10, .20, .30, .25, .15))
y <- sample(1:5, 147, TRUE, prob = c(.15, .25, .30, .20, .10))
rows <- function(ids, arm, v) rbind(
  data.frame(patient_id = ids, arm = arm, visit = "baseline", week = 0, endpoint = "score", value = 0),
  data.frame(patient_id = ids, arm = arm, visit = "week12", week = 12, endpoint = "score", value = v))
d <- rbind(rows(sprintf("A%03d", 1:146), "active", x), rows(sprintf("P%03d", 1:147), "placebo", y))
write.csv(d, file.path(out, "ordinal.csv"), row.names = FALSE, quote = FALSE)
t1 <- system.time(p <- wilcox.exact(x, y, exact = TRUE)$p.value)[["elapsed"]]
t2 <- system.time(r <- wilcox.exact(x, y, exact = TRUE, conf.int = TRUE))[["elapsed"]]
cat(sprintf("R wilcox.exact p only: %.1f s; with conf.int: %.1f s\n", t1, t2))
cat(sprintf("R: p = %.10g, estimate %.10g, CI %.10g %.10g\n", r$p.value, r$estimate, r$conf.int[1], r$conf.int[2]))
