# trialstat analyze data/example_trial.csv --strata site: the stratified responder50 rows of
# erythema at week12, baricitinib vs placebo (complete cases), from R mantelhaen.test and the
# formulas of responders_reference.R. Writes example_trial_strata.csv.
src <- sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))
refdir <- dirname(src)
exprs <- parse(file.path(refdir, "responders_reference.R"))
# the formula functions only (everything up to the data sets' loop)
for (e in exprs) { txt <- paste(deparse(e), collapse = ""); if (grepl("^rows <- list", txt)) break; eval(e, globalenv()) }
d <- read.csv(file.path(refdir, "../../../data/example_trial.csv"), stringsAsFactors = FALSE)
e <- d[d$endpoint == "erythema", ]
b <- e[e$visit == "baseline", c("patient_id", "arm", "site", "value")]
f <- e[e$visit == "week12" & !is.na(e$value), c("patient_id", "value")]
m <- merge(b, f, by = "patient_id", suffixes = c("_b", "_f"))
m <- m[!is.na(m$value_b) & m$value_b != 0 & m$arm %in% c("baricitinib", "placebo"), ]
m$resp <- 100 * (m$value_f - m$value_b) / m$value_b <= -50 + 1e-9 * 50
sites <- sort(unique(m$site))
st <- do.call(rbind, lapply(sites, function(s) {
  x <- m[m$site == s & m$arm == "baricitinib", ]; y <- m[m$site == s & m$arm == "placebo", ]
  data.frame(k1 = sum(x$resp), n1 = nrow(x), k2 = sum(y$resp), n2 = nrow(y))
}))
mh <- mantelhaen.test(to_array(st), correct = FALSE)
s <- sato(st); mn <- mn_stratified(st); bd <- breslow_day(st)
out <- data.frame(
  method = c("cmh", "mh_sato", "mh_sato", "mh_sato", "mn_stratified", "mn_stratified", "mn_stratified",
             "mantel_haenszel", "mantel_haenszel", "mantel_haenszel", "breslow_day", "breslow_day", "breslow_day", "cmh"),
  quantity = c("statistic", "estimate", "ci_low", "ci_high", "estimate", "ci_low", "ci_high",
               "estimate", "ci_low", "ci_high", "statistic", "df", "p_value", "p_value"),
  value = c(mh$statistic, s[["est"]], s[["lower"]], s[["upper"]], mn[["est"]], mn[["lower"]], mn[["upper"]],
            mh$estimate, mh$conf.int[1], mh$conf.int[2], bd[["statistic"]], bd[["df"]], bd[["p"]], mh$p.value))
write.csv(out, file.path(refdir, "example_trial_strata.csv"), row.names = FALSE)
print(st); print(out)
