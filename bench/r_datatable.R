# The comparison pipeline in R: data.table::fread, then t.test and wilcox.test (the same subset
# as pandas_scipy.py). Usage: Rscript r_datatable.R FILE.csv
suppressMessages(library(data.table))
d <- fread(commandArgs(TRUE)[1])
b <- d[visit == "baseline", .(patient_id, endpoint, base = value)]
f <- merge(d[visit != "baseline"], b, by = c("patient_id", "endpoint"))
f <- f[!is.na(value) & !is.na(base) & base != 0]
f[, change := value - base][, pct := 100 * change / base]
w <- f[, .(t = t.test(change)$p.value, tp = t.test(pct)$p.value,
           wx = suppressWarnings(wilcox.test(change)$p.value)), by = .(endpoint, arm, visit)]
btw <- f[, {
  ctl <- change[arm == "placebo"]
  rbindlist(lapply(setdiff(unique(arm), "placebo"), function(a) {
    x <- change[arm == a]
    data.table(arm = a, welch = t.test(x, ctl)$p.value,
               mw = suppressWarnings(wilcox.test(x, ctl)$p.value))
  }))
}, by = .(endpoint, visit)]
cat(nrow(w) + nrow(btw), "results\n")
