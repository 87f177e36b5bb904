import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.monitoring.drift.html_report import write_html_report
from casebook.monitoring.drift.quality import infer_schema
from casebook.monitoring.drift.report import monitor_weeks

RNG = np.random.default_rng(0)
REF = pd.DataFrame({"x": RNG.normal(size=500), "c": RNG.choice(["a", "b"], 500)})
SCHEDULE = pd.DataFrame({"week": [1, 2, 3], "kind": ["control", "sudden_shift", "unit_change"],
                         "injection": ["", "shift", "cents"]})  # fmt: skip


@pytest.fixture(scope="module")
def report():
    batches = {
        1: REF.sample(200, random_state=1),
        2: REF.sample(200, random_state=2).assign(x=lambda f: f["x"] + 1),
        3: REF.sample(200, random_state=3).assign(x=lambda f: f["x"] * 100),
    }
    return monitor_weeks(REF, batches, schema=infer_schema(REF), numeric=["x"],
                         categorical=["c"], mmd_permutations=9)  # fmt: skip


def test_html_report(report, tmp_path):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    path = write_html_report(report, tmp_path / "out", schedule=SCHEDULE, figures=[fig])
    plt.close(fig)
    text = path.read_text()
    assert path.name == "weekly_drift_report.html"
    assert "2 of 3 weeks raised an alert" in text
    assert text.count("data:image/png;base64,") == 1
    assert "out_of_range" in text
    assert "sudden_shift" in text


def test_saved_png_is_embedded_as_is(report, tmp_path):
    import base64

    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    png = tmp_path / "fig.png"
    fig.savefig(png)
    plt.close(fig)
    text = write_html_report(report, tmp_path, figures=[png, str(png)]).read_text()
    assert text.count(base64.b64encode(png.read_bytes()).decode("ascii")) == 2


def test_html_report_errors(report, tmp_path):
    with pytest.raises(ValueError, match="filename must be a bare name ending in .html"):
        write_html_report(report, tmp_path, filename="../x.html")
    with pytest.raises(TypeError, match="report must be a DriftReport"):
        write_html_report({}, tmp_path)
    with pytest.raises(ValueError, match="figures must be matplotlib figures or PNG files"):
        write_html_report(report, tmp_path / "a", figures=[tmp_path / "missing.png"])
    with pytest.raises(TypeError, match="figures must hold matplotlib figures or PNG paths"):
        write_html_report(report, tmp_path / "b", figures=[42])
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()  # nothing written
