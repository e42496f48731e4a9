# Edge-case SAS transport files for the XPT reader (src/data/xpt), written by haven::write_xpt
# (ReadStat's writer), with the values read back by haven::read_xpt written to CSV beside them.
# Run from this directory: Rscript make_edge_cases.R
# Files:
#   edge_v5.xpt / edge_v8.xpt: one member EDGE, label "Edge cases", columns
#     ID (char), ZERO (0, -0, 0), NEG (negatives), ALLMISS (all missing), SPECIAL (., .A, .Z; ._ is written by the Rust test from the spec: haven cannot tag it),
#     TINY/HUGE (extreme magnitudes), LONGSTR (a 200-character value, v5 keeps 200 bytes),
#     PADDED (leading blanks kept, trailing blanks trimmed), FRAC (values with 53 significant bits)
#   edge_values.csv: the values haven reads back (numbers printed with 17 significant digits)
suppressMessages(library(haven))
long <- paste(rep("abcdefghij", 20), collapse = "")
d <- data.frame(
  ID = c("P1", "P2", "P3", "P4"),
  ZERO = c(0, -0, 0, 0),
  NEG = c(-1, -0.5, -123456.789, -1e-10),
  ALLMISS = c(NA_real_, NA_real_, NA_real_, NA_real_),
  SPECIAL = c(NA_real_, tagged_na("A"), tagged_na("Z"), 1),
  TINY = c(1e-300, 2.5e-78, 5.397605346934028e-79, 1),
  HUGE = c(1e75, -7.2e75, 123456789012345678, 0.1),
  LONGSTR = c(long, "x", "", "short"),
  PADDED = c("  lead", "trail  ", "", " both "),
  FRAC = c(1/3, 2/3, pi, exp(1)),
  stringsAsFactors = FALSE
)
attr(d$ID, "label") <- "Patient identifier"
attr(d$NEG, "label") <- "Negative numbers"
attr(d$SPECIAL, "label") <- "Special missing values"
for (v in c(5, 8)) {
  names8 <- d
  if (v == 8) names(names8)[names(names8) == "LONGSTR"] <- "LONG_CHARACTER_VARIABLE_NAME"
  write_xpt(names8, sprintf("edge_v%d.xpt", v), version = v, name = "EDGE", label = "Edge cases")
}
back <- read_xpt("edge_v5.xpt")
out <- as.data.frame(back)
for (n in names(out)) if (is.numeric(out[[n]])) out[[n]] <- ifelse(is.na(out[[n]]), "", sprintf("%.17g", out[[n]]))
write.csv(out, "edge_values.csv", row.names = FALSE, na = "")
print(sapply(back, function(x) attr(x, "label")))
print(attr(back, "label"))
print(is_tagged_na(back$SPECIAL)); print(na_tag(back$SPECIAL))
