"""The timing of the Python peers in bench/run.sh: a few untimed warm-up steps, then the mean
wall time of `steps` steps, printed as "ms_per_step X" (what run.sh reads)."""
import time


def print_ms_per_step(step, state, steps, warmup=3):
    """Runs state = step(state) warmup times, then times `steps` more and prints the mean."""
    for _ in range(warmup):
        state = step(state)
    start = time.perf_counter()
    for _ in range(steps):
        state = step(state)
    print(f"ms_per_step {(time.perf_counter() - start) / steps * 1e3}")
