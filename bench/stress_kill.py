"""Crash drill, many times: SIGKILL a desk process mid-edit and count lost acknowledged edits.

    python bench/stress_kill.py [--runs 1000]

Prints the runs, the acknowledged edits, how many were lost (target 0) and whether SQLite's
integrity_check passed every time (target: always).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from desk.store.durability import kill_during_edits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    acked = lost = bad = 0
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drill.desk"
        for run in range(1, args.runs + 1):
            result = kill_during_edits(path, after_acks=rng.randint(1, 60), rng=rng)
            acked += result.acknowledged
            lost += result.lost
            bad += result.integrity != "ok"
            if run % 100 == 0:
                print(f"{run} runs: {acked} acknowledged, {lost} lost, {bad} failed checks")
    print(f"runs                 {args.runs}")
    print(f"acknowledged edits   {acked}")
    print(f"lost edits           {lost}   (target 0)")
    print(f"integrity failures   {bad}   (target 0)")
    print(f"time                 {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
