# SAS data sets (sas7bdat) for trialstat's reader, and what R's haven (ReadStat) reads from them.
# Run from the repository root: Rscript tests/reference/sas7bdat/make_references.R
#
# Writes with haven::write_sas (uncompressed; haven cannot write RLE/RDC-compressed files):
#   tests/data/sas7bdat/edge_values.sas7bdat   zero, -0, negatives, tiny/huge/denormal numbers,
#       special missing values .A-.Z, an all-missing column, dates, datetimes, times, long and
#       blank and non-ASCII text, variable labels
#   tests/data/sas7bdat/many_rows.sas7bdat     3,000 rows: many 4 KiB pages
#   tests/data/sas7bdat/many_columns.sas7bdat  400 columns
# and with ReadStat's writer called directly (rle_write.c), RLE-compressed:
#   tests/data/sas7bdat/example_trial_rle.sas7bdat, tests/data/sas7bdat/rle_edge.sas7bdat
# and copies haven's own example tests/data/sas7bdat/haven_iris.sas7bdat (haven is MIT; the iris
# data are Fisher's, 1936). For each of those and tests/data/example_trial_head.sas7bdat it writes
# tests/reference/sas7bdat/<name>.csv: haven::read_sas's values, numbers as %.15g or %.17g (the
# shorter that reads back the same double; "-0" kept), dates/datetimes/times as the SAS numbers (days or
# seconds since 1960-01-01, seconds since midnight), missing as an empty cell, every text
# quoted; and <name>_variables.csv: name, label, format.
library(haven)
set.seed(20261201)
out <- "tests/data/sas7bdat"

n <- 60
num <- c(0, -0, -1, 1, -2.5, 3.141592653589793, 1e-17, -1e-17, 1e-300, 5e-324, 1e308, -1e308,
         2^53, 2^53 + 2, -2^31, 0.1, 1/3, -123456.789)
num <- c(num, rnorm(n - length(num)))
special <- rep(NA_real_, n)
special[seq(1, n, 2)] <- round(rnorm(n / 2), 3)
tags <- c(LETTERS, "A", "Z", "B", "Q")
special[seq(2, n, 2)] <- tagged_na(tags[seq_len(n / 2)])
special[4] <- NA
long <- vapply(seq_len(n), function(i) {
  if (i %% 7 == 0) return("")
  paste(rep(c("alpha ", "beta ", "gamma "), length.out = 1 + (i * 37) %% 60), collapse = "")
}, "")
long[3] <- paste(rep("x", 1200), collapse = "")
text <- sample(c("placebo", "drug A", "  leading blanks", "trailing blanks   ", "Zürich é ñ",
                 "日本語", ""), n, replace = TRUE)
edge <- data.frame(
  id = sprintf("P%03d", seq_len(n)),
  num = num,
  special = special,
  all_missing = rep(NA_real_, n),
  int = as.numeric(sample(-5:5, n, replace = TRUE)),
  date = as.Date("2020-01-01") + sample(-40000:20000, n),
  datetime = as.POSIXct("2021-06-15 12:34:56", tz = "UTC") + sample(-1e9:1e9, n),
  time = hms::hms(seconds = sample(0:86399, n)),
  text = text,
  long = long,
  stringsAsFactors = FALSE
)
edge$date[5] <- NA
attr(edge$num, "label") <- "A number with a label"
attr(edge$text, "label") <- "Text, with a label"
write_sas(edge, file.path(out, "edge_values.sas7bdat"))

m <- 3000
rows <- data.frame(
  id = sprintf("S%05d", seq_len(m)),
  arm = sample(c("placebo", "active"), m, replace = TRUE),
  x = round(rnorm(m, 10, 3), 2),
  y = round(rnorm(m), 6)
)
rows$x[sample(m, 50)] <- NA
write_sas(rows, file.path(out, "many_rows.sas7bdat"))

k <- 400
wide <- as.data.frame(matrix(round(rnorm(20 * k), 4), nrow = 20))
names(wide) <- sprintf("v%03d", seq_len(k))
wide$v007 <- NA_real_
wide$name <- sprintf("row %d", 1:20)
write_sas(wide, file.path(out, "many_columns.sas7bdat"))

# %.15g when it reads back to the same double, else %.17g (which always does).
shortest <- function(x) {
  s <- sprintf("%.15g", x)
  back <- suppressWarnings(as.numeric(s))
  ifelse(!is.na(back) & back == x & !(x == 0 & 1 / x < 0), s, sprintf("%.17g", x))
}
reference <- function(file, name) {
  d <- read_sas(file)
  cols <- lapply(d, function(x) {
    if (inherits(x, "POSIXct")) x <- as.numeric(x) + 315619200
    else if (inherits(x, "Date")) x <- as.numeric(x) + 3653
    else if (inherits(x, "hms")) x <- as.numeric(x)
    if (is.numeric(x)) ifelse(is.na(x), "", shortest(x)) else ifelse(is.na(x), "", x)
  })
  df <- as.data.frame(cols, stringsAsFactors = FALSE, optional = TRUE)
  names(df) <- names(d)
  write.csv(df, file.path("tests/reference/sas7bdat", paste0(name, ".csv")), row.names = FALSE,
            fileEncoding = "UTF-8")
  vars <- data.frame(
    name = names(d),
    label = vapply(d, function(x) { l <- attr(x, "label"); if (is.null(l)) "" else l }, ""),
    format = vapply(d, function(x) { f <- attr(x, "format.sas"); if (is.null(f)) "" else f }, "")
  )
  write.csv(vars, file.path("tests/reference/sas7bdat", paste0(name, "_variables.csv")),
            row.names = FALSE, fileEncoding = "UTF-8")
  cat(name, ": ", nrow(d), " rows x ", ncol(d), " columns, ", file.size(file), " bytes\n", sep = "")
}
# RLE-compressed files, written by ReadStat's own writer (haven's library) through
# tests/data/sas7bdat/rle_write.c: the example trial (for the end-to-end test) and a file whose
# rows compress (long, mostly blank text; runs of equal bytes), with special missing values.
exe <- file.path(tempdir(), "rle_write")
stopifnot(system2("gcc", c("-O1", "-o", exe, "tests/data/sas7bdat/rle_write.c",
  "/usr/lib/R/site-library/haven/libs/haven.so", "-L/usr/lib/R/lib", "-lR",
  "-Wl,-rpath,/usr/lib/R/site-library/haven/libs:/usr/lib/R/lib")) == 0)
stopifnot(system2(exe, c("data/example_trial.csv", file.path(out, "example_trial_rle.sas7bdat"),
  shQuote("Example trial, RLE-compressed"))) == 0)
r <- 1500
rle <- data.frame(
  id = sprintf("R%04d", seq_len(r)),
  arm = rep(c("placebo", "active"), length.out = r),
  x = ifelse(seq_len(r) %% 11 == 0, c(".A", ".Z", "NA")[seq_len(r) %% 3 + 1],
             sprintf("%.17g", round(rnorm(r), 3))),
  zeros = "0",
  note = vapply(seq_len(r), function(i) if (i %% 5 == 0) strrep("z", 1 + i %% 250) else
    paste0("note ", i), ""),
  stringsAsFactors = FALSE
)
rle$note[7] <- strrep("w", 300)
csv <- file.path(tempdir(), "rle_edge.csv")
write.table(rle, csv, sep = ",", quote = FALSE, row.names = FALSE)
stopifnot(system2(exe, c(csv, file.path(out, "rle_edge.sas7bdat"), shQuote("RLE edge cases"))) == 0)

reference(file.path(out, "edge_values.sas7bdat"), "edge_values")
reference(file.path(out, "rle_edge.sas7bdat"), "rle_edge")
reference(file.path(out, "example_trial_rle.sas7bdat"), "example_trial_rle")
reference(file.path(out, "many_rows.sas7bdat"), "many_rows")
reference(file.path(out, "many_columns.sas7bdat"), "many_columns")
reference(file.path(out, "haven_iris.sas7bdat"), "haven_iris")
reference("tests/data/example_trial_head.sas7bdat", "example_trial_head")

# The special missing values were written as such: haven reads their letters back.
back <- read_sas(file.path(out, "edge_values.sas7bdat"))
stopifnot(identical(na_tag(back$special)[seq(2, n, 2)][-2], tolower(tags[seq_len(n / 2)])[-2]))
stopifnot(all(is.na(back$all_missing)), identical(back$long[3], long[3]))
