"""The pandas/Python peer of `skewcheck replay` on the fraud features (bench/peers.mjs).

Does the work a replay does, the way a data scientist would in Python: the batch features with
a pandas groupby, the streaming features with a plain per-event loop in event-time order (a
dict of per-(user, window) accumulators), then an outer join of the two and a comparison with
tolerance. The CSV load is timed apart and left out of the compared time.

    /usr/bin/python3 bench/peers/replay_peer.py <log.csv>   -> one JSON line on stdout
"""
import json
import sys
import time

import numpy as np
import pandas as pd

WINDOW_NS = 5 * 60 * 1_000_000_000


def main(path):
    started = time.perf_counter()
    df = pd.read_csv(path, dtype={"user_id": str, "merchant_id": str, "merchant_name": str})
    df["ts"] = pd.to_datetime(df["ts"])
    load = time.perf_counter() - started

    started = time.perf_counter()
    # Batch: per user and 5-minute tumbling window.
    batch = (
        df.assign(window_start=df["ts"].dt.floor("5min"))
        .groupby(["user_id", "window_start"], sort=False)
        .agg(
            txn_count_5m=("amount", "size"),
            total_spent_5m=("amount", "sum"),
            unique_merchants_5m=("merchant_id", "nunique"),
        )
        .reset_index()
    )
    # Stream: one event at a time in event-time order.
    ordered = df.sort_values("ts", kind="stable")
    users = ordered["user_id"].tolist()
    times = ordered["ts"].to_numpy().astype("int64").tolist()
    amounts = ordered["amount"].tolist()
    merchants = ordered["merchant_id"].tolist()
    windows = {}
    for user, t, amount, merchant in zip(users, times, amounts, merchants):
        key = (user, t - t % WINDOW_NS)
        acc = windows.get(key)
        if acc is None:
            acc = windows[key] = [0, 0, set()]
        acc[0] += 1
        acc[1] += round(amount * 100)
        acc[2].add(merchant)
    stream = pd.DataFrame(
        [(u, w, c, cents / 100, len(m)) for (u, w), (c, cents, m) in windows.items()],
        columns=["user_id", "window_start", "txn_count_5m", "total_spent_5m", "unique_merchants_5m"],
    )
    stream["window_start"] = pd.to_datetime(stream["window_start"])
    # Diff: align on key and window, compare every feature.
    joined = batch.merge(stream, on=["user_id", "window_start"], how="outer", suffixes=("_b", "_s"), indicator=True)
    differs = joined["_merge"] != "both"
    for feature in ["txn_count_5m", "total_spent_5m", "unique_merchants_5m"]:
        a = joined[f"{feature}_b"].to_numpy(dtype=float)
        b = joined[f"{feature}_s"].to_numpy(dtype=float)
        differs |= ~np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    compute = time.perf_counter() - started
    print(json.dumps({
        "load_s": load,
        "compute_s": compute,
        "events": len(df),
        "windows": len(joined),
        "differing": int(differs.sum()),
        "pandas": pd.__version__,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
