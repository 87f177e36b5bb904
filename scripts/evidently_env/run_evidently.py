"""Run Evidently's data-drift report (PSI and KS) on the benchmark's saved data.

Runs inside the separate venv built by build_env.sh (Evidently 0.7.23 needs
pandas < 3). Reads the ``.npz`` written by scripts/bench_drift.py, times the
report, and writes every column's PSI and KS p-value as JSON:

    build/evidently-venv/bin/python scripts/evidently_env/run_evidently.py \
        --data build/bench_drift/data.npz --out build/bench_drift/evidently.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time

# No telemetry: its network calls time out on an offline machine and would
# be counted as Evidently's compute time.
os.environ.setdefault("DO_NOT_TRACK", "1")

import numpy as np
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently import __version__ as evidently_version
from evidently.presets import DataDriftPreset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="npz with reference, current, columns")
    parser.add_argument("--out", required=True, help="JSON file to write")
    args = parser.parse_args()

    data = np.load(args.data)
    cols = [str(c) for c in data["columns"]]
    # stored column-major (n_columns, n_rows); transposing gives a view
    ref = pd.DataFrame(data["reference"].T, columns=cols)
    cur = pd.DataFrame(data["current"].T, columns=cols)

    t0 = time.perf_counter()
    definition = DataDefinition(numerical_columns=cols)
    ref_ds = Dataset.from_pandas(ref, data_definition=definition)
    cur_ds = Dataset.from_pandas(cur, data_definition=definition)
    t1 = time.perf_counter()
    c1 = time.process_time()
    report = Report([DataDriftPreset(method="psi"), DataDriftPreset(method="ks")])
    snapshot = report.run(current_data=cur_ds, reference_data=ref_ds)
    t2 = time.perf_counter()
    c2 = time.process_time()

    values: dict[str, dict[str, float]] = {"psi": {}, "ks_p_value": {}}
    pattern = re.compile(r"ValueDrift\(column=(?P<col>[^,]+),method=(?P<method>\w+)")
    for metric in snapshot.dict()["metrics"]:
        m = pattern.match(metric["metric_name"])
        if m:
            key = "psi" if m["method"] == "psi" else "ks_p_value"
            values[key][m["col"]] = float(metric["value"])
    result = {
        "evidently_version": evidently_version,
        "pandas_version": pd.__version__,
        "dataset_seconds": t1 - t0,
        "report_seconds": t2 - t1,
        "report_cpu_seconds": c2 - c1,
        "total_seconds": t2 - t0,
        **values,
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
