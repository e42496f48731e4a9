"""The comparison pipeline in pandas + scipy (a subset of trialstat's work): per endpoint, arm and
follow-up visit the paired t test of change, the one-sample t test of percent change and the
Wilcoxon signed-rank test of change; per endpoint, visit and active arm the Welch t test and the
Mann-Whitney test of change against placebo. Usage: python3 pandas_scipy.py FILE.csv"""
import sys
import pandas as pd
from scipy import stats

df = pd.read_csv(sys.argv[1])
base = df[df.visit == "baseline"][["patient_id", "endpoint", "value"]].rename(columns={"value": "base"})
fu = df[df.visit != "baseline"].merge(base, on=["patient_id", "endpoint"])
fu = fu.dropna(subset=["value", "base"])
fu["change"] = fu["value"] - fu["base"]
fu = fu[fu["base"] != 0].assign(pct=lambda d: 100 * d["change"] / d["base"])
rows = []
for (e, a, v), g in fu.groupby(["endpoint", "arm", "visit"]):
    rows.append((e, a, v, stats.ttest_1samp(g["change"], 0).pvalue,
                 stats.ttest_1samp(g["pct"], 0).pvalue, stats.wilcoxon(g["change"]).pvalue))
for (e, v), g in fu.groupby(["endpoint", "visit"]):
    ctl = g[g.arm == "placebo"]["change"]
    for a, ga in g[g.arm != "placebo"].groupby("arm"):
        rows.append((e, a, v, stats.ttest_ind(ga["change"], ctl, equal_var=False).pvalue,
                     stats.mannwhitneyu(ga["change"], ctl).pvalue, None))
print(len(rows), "results")
