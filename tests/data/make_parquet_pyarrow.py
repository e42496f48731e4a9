"""Parquet files of the example trial written by another writer than polars (pyarrow), for
tests/parquet_inputs.rs: snappy (pyarrow's default) and zstd compression, dictionary-encoded
strings, `NA` read as missing. Run from the repository root:
    python3 tests/data/make_parquet_pyarrow.py
"""
import pyarrow
import pyarrow.csv as pv
import pyarrow.parquet as pq

for src, stem in [("data/example_trial.csv", "example_trial"),
                  ("tests/data/example_trial_bds.csv", "example_trial_bds")]:
    table = pv.read_csv(src)
    pq.write_table(table, f"tests/data/{stem}_pyarrow.parquet")  # snappy, dictionaries
    if stem == "example_trial":
        pq.write_table(table, f"tests/data/{stem}_pyarrow_zstd.parquet", compression="zstd",
                       use_dictionary=False, row_group_size=500)
print("pyarrow", pyarrow.__version__)
