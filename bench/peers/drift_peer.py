"""The SciPy peer of `skewcheck drift` (bench/peers.mjs): scipy.stats.ks_2samp per numeric
column on arrays already in memory. The CSV load is timed apart and left out.

    /usr/bin/python3 bench/peers/drift_peer.py <train.csv> <prod.csv>   -> one JSON line
"""
import json
import sys
import time

import pandas as pd
import scipy
from scipy import stats


def main(train_path, prod_path):
    started = time.perf_counter()
    train = pd.read_csv(train_path)
    prod = pd.read_csv(prod_path)
    columns = {c: (train[c].dropna().to_numpy(), prod[c].dropna().to_numpy()) for c in train.columns}
    load = time.perf_counter() - started
    started = time.perf_counter()
    results = {c: stats.ks_2samp(x, y) for c, (x, y) in columns.items()}
    compute = time.perf_counter() - started
    print(json.dumps({
        "load_s": load,
        "compute_s": compute,
        "statistics": {c: r.statistic for c, r in results.items()},
        "scipy": scipy.__version__,
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
