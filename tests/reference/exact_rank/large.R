# Reference values for the exact rank tests above the unit-by-unit limits (200 non-zero values,
# 100 patients in two samples), on real tied data sets shipped with R (MASS::survey,
# datasets::faithful) and one continuous seeded sample: exactRankTests::wilcox.exact(exact =
# TRUE, conf.int = TRUE), with the time it takes.
# Regenerate from the project root (about 2 minutes):
#   Rscript tests/reference/exact_rank/large.R
# Writes tests/reference/exact_rank/large.csv (case,quantity,value) and timings_r.csv.
suppressPackageStartupMessages({library(MASS); library(exactRankTests)})
dir <- "tests/reference/exact_rank"
out <- file(file.path(dir, "large.csv"), "w")
tim <- file(file.path(dir, "timings_r.csv"), "w")
cat("case,quantity,value\n", file = out)
cat("case,n_x,n_y,seconds_p_and_interval\n", file = tim)
num <- function(case, q, v) cat(case, ",", q, ",", paste(sprintf("%.17g", v), collapse = " "), "\n", sep = "", file = out)
run <- function(case, x, y = NULL) {
  num(case, "x", x)
  if (!is.null(y)) num(case, "y", y)
  t <- system.time(w <- if (is.null(y)) wilcox.exact(x, exact = TRUE, conf.int = TRUE)
                        else wilcox.exact(x, y, exact = TRUE, conf.int = TRUE))[["elapsed"]]
  num(case, "statistic", w$statistic); num(case, "p", w$p.value)
  num(case, "ci", w$conf.int); num(case, "estimate", w$estimate)
  cat(case, ",", length(x), ",", if (is.null(y)) 0 else length(y), ",", t, "\n", sep = "", file = tim)
}
# Two samples, tied: pulse (beats per minute, 42 distinct values) of female and male students.
s <- survey[!is.na(survey$Pulse) & !is.na(survey$Sex), ]
run("survey_pulse_by_sex", s$Pulse[s$Sex == "Female"], s$Pulse[s$Sex == "Male"])
# Two samples, ordinal 1-3 (None/Some/Freq exercise), 118 and 118.
e <- survey[!is.na(survey$Exer) & !is.na(survey$Sex), ]
ex <- as.numeric(factor(e$Exer, levels = c("None", "Some", "Freq")))
run("survey_exercise_by_sex", ex[e$Sex == "Female"], ex[e$Sex == "Male"])
# One sample, tied: Old Faithful waiting times (whole minutes, 272) against 70 minutes.
run("faithful_waiting_vs_70", faithful$waiting - 70)
# One sample, tied, with zeros: writing minus non-writing hand span (cm), 236 students.
d <- survey[!is.na(survey$Wr.Hnd) & !is.na(survey$NW.Hnd), ]
run("survey_hand_span_diff", d$Wr.Hnd - d$NW.Hnd)
# Continuous (no ties), 130 and 120: seeded normal samples.
set.seed(18)
run("normal_130_120", round(rnorm(130, 0.3), 6), round(rnorm(120), 6))
# One sample continuous, 260.
run("normal_260", round(rnorm(260, 0.15), 6))
close(out); close(tim)
