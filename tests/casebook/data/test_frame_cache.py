"""The verified parquet copy of a parsed data file (casebook.data._frame_cache)."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from casebook.data._frame_cache import cache_path, cached_frame

SHA = "ab" * 32


@pytest.fixture
def source(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=5000), "y": rng.integers(0, 2, 5000)})
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    return path


class Parser:
    """Counts how often the source is parsed."""

    def __init__(self):
        self.calls = 0

    def __call__(self, path):
        self.calls += 1
        return pd.read_csv(path, dtype={"x": np.float64, "y": np.int64})


def test_miss_writes_a_copy_and_a_hit_reads_it(source):
    parse = Parser()
    first = cached_frame(source, SHA, parse, what="t")
    assert parse.calls == 1 and cache_path(source, SHA).is_file()
    second = cached_frame(source, SHA, parse, what="t")
    assert parse.calls == 1  # served from the copy
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(second, parse(source))
    assert not list(source.parent.glob("*.part"))


def test_another_checksum_or_parser_does_not_reuse_the_copy(source):
    parse = Parser()
    cached_frame(source, SHA, parse, what="t")
    cached_frame(source, "cd" * 32, parse, what="t")  # other bytes: other file
    assert parse.calls == 2
    cached_frame(source, SHA, parse, what="other loader")  # same file, other key: rewritten
    assert parse.calls == 3
    cached_frame(source, SHA, parse, what="other loader")
    assert parse.calls == 3


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty"])
def test_a_damaged_copy_is_ignored_and_rewritten(source, damage):
    parse = Parser()
    expected = cached_frame(source, SHA, parse, what="t")
    path = cache_path(source, SHA)
    raw = bytearray(path.read_bytes())
    if damage == "flip":  # inside the first data page: only the page CRC can tell
        for i in range(200, 260):
            raw[i] ^= 0xFF
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "garbage":
        raw = bytearray(b"not parquet at all")
    else:
        raw = bytearray()
    path.write_bytes(bytes(raw))
    got = cached_frame(source, SHA, parse, what="t")
    assert parse.calls == 2  # parsed again, not read from the damaged copy
    pd.testing.assert_frame_equal(got, expected)
    again = cached_frame(source, SHA, parse, what="t")  # the rewritten copy is whole
    assert parse.calls == 2
    pd.testing.assert_frame_equal(again, expected)


def test_concurrent_writers_leave_one_whole_copy(source):
    parse = Parser()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(cached_frame(source, SHA, parse, what="t"))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = pd.read_csv(source, dtype={"x": np.float64, "y": np.int64})
    for r in results:
        pd.testing.assert_frame_equal(r, expected)
    calls = parse.calls
    pd.testing.assert_frame_equal(cached_frame(source, SHA, parse, what="t"), expected)
    assert parse.calls == calls  # a whole copy was installed
    assert not list(source.parent.glob("*.part"))


def test_a_folder_that_cannot_take_the_copy_still_gives_the_frame(source, monkeypatch):
    import casebook.data._frame_cache as fc

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(fc.tempfile, "mkstemp", refuse)
    parse = Parser()
    got = cached_frame(source, SHA, parse, what="t")
    pd.testing.assert_frame_equal(got, parse(source))
    assert not cache_path(source, SHA).exists()
