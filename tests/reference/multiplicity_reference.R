# Reference values for p-value adjustment: R's p.adjust.
# Regenerate from the project root:
#   Rscript tests/reference/multiplicity_reference.R > tests/reference/multiplicity_reference.csv
ps <- list(
  a = c(0.01, 0.02, 0.03, 0.04, 0.05),
  b = c(0.0001, 0.3, 0.02, 0.02, 0.8, 0.004, 0.049, 0.5, 0.03, 0.001),
  c = c(0.04, 0.01),
  d = c(1e-12, 3e-8, 0.7, 0.04, 0.04, 0.9, 0.011, 0.2),
  e = c(0.2, 0.2, 0.2)
)
for (nm in names(ps)) {
  cat(nm, ",p,", paste(sprintf("%.17g", ps[[nm]]), collapse = " "), "\n", sep = "")
  for (m in c("holm", "hochberg", "hommel", "bonferroni", "BH", "BY"))
    cat(nm, ",", tolower(m), ",", paste(sprintf("%.17g", p.adjust(ps[[nm]], m)), collapse = " "), "\n", sep = "")
}
