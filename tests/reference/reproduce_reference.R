# What the published tofacitinib figures imply, computed in R, for tests/reproduce.rs.
# Regenerate from the project root:  Rscript tests/reference/reproduce_reference.R
# Reported: n = 12, mean percent change -52 (95% CI -60 to -45), p < 0.01; 4 of 12 cleared.
# Each reported number stands for the interval that rounds to it (+-0.5 here).
n <- 12; q <- qt(0.975, n - 1)
hw <- c((-45.5 - -59.5) / 2, (-44.5 - -60.5) / 2)  # half-width range of the interval
se <- hw / q; sd <- se * sqrt(n)
t <- c(51.5 / se[2], 52.5 / se[1])
p <- 2 * pt(-rev(t), n - 1)
dz <- c(-52.5 / sd[1], -51.5 / sd[2])
cp <- binom.test(4, 12)$conf.int
# The same claims at one visit: 4 of 12 at -100% force SD >= sqrt(k n (m + 100)^2 / ((n - k)(n - 1)))
sd_min <- sqrt(4 * 12 * (100 - 52.5)^2 / (8 * 11))
# Unknown n (baricitinib erythema: -60, p < 0.01): largest SD at n = 3, 12, 100
sd_max <- sapply(c(3, 12, 100), function(k) 60.5 * sqrt(k) / qt(1 - 0.005, k - 1))
# statcheck manual example "t(100) = 1, p < 0.001": p over t in [0.5, 1.5]
sc <- 2 * pt(-c(1.5, 0.5), 100)
out <- data.frame(
  name = c("se_low", "se_high", "sd_low", "sd_high", "t_low", "t_high", "p_low", "p_high",
           "dz_low", "dz_high", "cp_low", "cp_high", "sd_min_one_visit",
           "bari_sd_max_n3", "bari_sd_max_n12", "bari_sd_max_n100", "statcheck_p_low", "statcheck_p_high"),
  value = c(se, sd, t, p, sort(dz), cp, sd_min, sd_max, sc))
out$value <- sprintf("%.17g", out$value)
write.csv(out, "tests/reference/reproduce_reference.csv", row.names = FALSE, quote = FALSE)
