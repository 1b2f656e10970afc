#!/usr/bin/env python3
"""A STREAM-like read-bandwidth probe: the best of 5 sums over a 400 MB float64 array, in GB/s."""
import time

import numpy as np

a = np.ones(50_000_000)
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    a.sum()
    best = min(best, time.perf_counter() - start)
print(f"read_gbps {a.nbytes / best / 1e9}")
