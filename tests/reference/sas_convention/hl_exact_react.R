# Exact Hodges-Lehmann limits as SAS PROC NPAR1WAY EXACT HL (React example, alpha = .02),
# by complete enumeration of the C(19, 6) splits of the pooled tied sample.
# Run: Rscript hl_exact_react.R > hl_exact_react.out
stim1 <- c(1.94,1.94,2.92,2.92,2.92,2.92,3.27,3.27,3.27,3.27,3.70,3.70,3.74)
stim2 <- c(3.27,3.27,3.27,3.70,3.70,3.74)
z <- c(stim2, stim1); r <- rank(z); N <- length(z); n1 <- length(stim2)
U <- apply(combn(N, n1), 2, function(i) sum(r[i])) - n1 * (n1 + 1) / 2
tab <- table(U); p <- as.numeric(tab) / sum(tab); u <- as.numeric(names(tab))
uobs <- sum(r[1:n1]) - n1 * (n1 + 1) / 2; M <- n1 * length(stim1); E <- M / 2
alpha <- 0.02
ul <- max(u[cumsum(p) <= alpha / 2]); uu <- min(u[rev(cumsum(rev(p))) <= alpha / 2])
d <- sort(as.vector(outer(stim2, stim1, "-")))
cat(sprintf("S %.2f U %.1f\n", sum(r[1:n1]), uobs))
cat(sprintf("exact two-sided p %.7f\n", sum(p[abs(u - E) >= abs(uobs - E)])))
cat(sprintf("u_l %.1f u_u %.1f\n", ul, uu))
cat(sprintf("HL %.4f exact limits %.4f %.4f\n", median(d), d[M + 1 - ceiling(uu)], d[M - floor(ul)]))
