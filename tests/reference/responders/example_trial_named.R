# Counts behind trialstat analyze data/example_trial.csv --response ... at week12 (complete
# cases): er1 = "erythema: value <= 1 and change <= -1", itch4 = "pruritus: change <= -4 where
# baseline >= 4". Writes example_trial_named.csv (response, arm, responders, n).
refdir <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
d <- read.csv(file.path(refdir, "../../../data/example_trial.csv"), stringsAsFactors = FALSE)
at <- function(endpoint) {
  e <- d[d$endpoint == endpoint, ]
  b <- e[e$visit == "baseline" & !is.na(e$value), c("patient_id", "arm", "value")]
  f <- e[e$visit == "week12" & !is.na(e$value), c("patient_id", "value")]
  merge(b, f, by = "patient_id", suffixes = c("_b", "_f"))
}
er <- at("erythema"); er$resp <- er$value_f <= 1 & (er$value_f - er$value_b) <= -1
it <- at("pruritus"); it <- it[it$value_b >= 4, ]; it$resp <- (it$value_f - it$value_b) <= -4
out <- rbind(
  data.frame(response = "er1", aggregate(resp ~ arm, er, function(x) c(k = sum(x), n = length(x)))),
  data.frame(response = "itch4", aggregate(resp ~ arm, it, function(x) c(k = sum(x), n = length(x)))))
out <- data.frame(response = out$response, arm = out$arm, responders = out$resp[, "k"], n = out$resp[, "n"])
write.csv(out, file.path(refdir, "example_trial_named.csv"), row.names = FALSE)
print(out)
