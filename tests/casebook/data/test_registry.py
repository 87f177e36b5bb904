import re
from pathlib import Path

import pytest

from casebook.data.registry import DATASETS, get_dataset

SHARED = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "MANIFEST.sha256"


def test_every_entry_is_complete():
    for ds in DATASETS.values():
        assert ds.license and ds.citation and ds.homepage.startswith("https://")
        assert ds.shape[0] > 0 and ds.shape[1] > 0
        for f in ds.files:
            assert re.fullmatch(r"[0-9a-f]{64}", f.sha256), f.name
            assert f.url.startswith("https://")


@pytest.mark.skipif(not SHARED.is_file(), reason="no ../shared/datasets beside this checkout")
def test_registry_matches_the_mirror_manifest():
    manifest = dict(
        reversed(line.split("  ", 1)) for line in SHARED.read_text().splitlines() if line.strip()
    )
    for ds in DATASETS.values():
        for f in ds.files:
            assert manifest[f"{ds.name}/{f.name}"] == f.sha256


def test_file_lookup():
    assert get_dataset("adult").file("adult.test").name == "adult.test"
    with pytest.raises(KeyError, match="has no file 'x'"):
        get_dataset("adult").file("x")
