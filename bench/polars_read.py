"""The floor: polars (Python) reading the file, nothing else. Usage: python3 polars_read.py FILE.csv"""
import sys
import polars as pl

print(pl.read_csv(sys.argv[1]).shape)
