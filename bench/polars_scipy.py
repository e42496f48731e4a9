"""The comparison pipeline in polars (Python) + scipy: the same subset as pandas_scipy.py.
Usage: python3 polars_scipy.py FILE.csv"""
import sys
import polars as pl
from scipy import stats

df = pl.read_csv(sys.argv[1])
base = df.filter(pl.col("visit") == "baseline").select("patient_id", "endpoint", pl.col("value").alias("base"))
fu = (df.filter(pl.col("visit") != "baseline").join(base, on=["patient_id", "endpoint"])
      .drop_nulls(["value", "base"]).filter(pl.col("base") != 0)
      .with_columns(change=pl.col("value") - pl.col("base"))
      .with_columns(pct=100 * pl.col("change") / pl.col("base")))
rows = []
for (e, a, v), g in fu.group_by(["endpoint", "arm", "visit"]):
    ch, pct = g["change"].to_numpy(), g["pct"].to_numpy()
    rows.append((e, a, v, stats.ttest_1samp(ch, 0).pvalue, stats.ttest_1samp(pct, 0).pvalue,
                 stats.wilcoxon(ch).pvalue))
for (e, v), g in fu.group_by(["endpoint", "visit"]):
    ctl = g.filter(pl.col("arm") == "placebo")["change"].to_numpy()
    for (a,), ga in g.filter(pl.col("arm") != "placebo").group_by(["arm"]):
        x = ga["change"].to_numpy()
        rows.append((e, a, v, stats.ttest_ind(x, ctl, equal_var=False).pvalue,
                     stats.mannwhitneyu(x, ctl).pvalue, None))
print(len(rows), "results")
