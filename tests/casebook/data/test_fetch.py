import hashlib
import os
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from casebook.data import fetch as fetch_mod
from casebook.data.fetch import DataUnavailableError, clear_partial_files, fetch_file, sha256_of
from casebook.data.registry import Dataset, RemoteFile

CONTENT = b"col\n1\n2\n"


def make_dataset(url="http://127.0.0.1:9/x.csv", content=CONTENT, member=None):
    return Dataset(
        name="toy",
        title="Toy",
        files=(RemoteFile("x.csv", hashlib.sha256(content).hexdigest(), url, member=member),),
        homepage="",
        license="CC0",
        citation="none",
        shape=(2, 1),
    )


def write_mirror(root: Path, content: bytes) -> Path:
    p = root / "mirror" / "toy" / "x.csv"
    p.parent.mkdir(parents=True)
    p.write_bytes(content)
    return root / "mirror"


def no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith((".part", ".tmp"))]


def test_mirror_copy_is_verified_and_cached(isolated_data_env):
    mirror = write_mirror(isolated_data_env, CONTENT)
    ds = make_dataset()
    path = fetch_file(ds, "x.csv", mirror=mirror, download=False)
    assert path == isolated_data_env / "cache" / "toy" / "x.csv"
    assert path.read_bytes() == CONTENT
    # second call hits the cache even with the mirror gone
    (mirror / "toy" / "x.csv").unlink()
    assert fetch_file(ds, "x.csv", download=False) == path


def test_mirror_from_environment(isolated_data_env, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DATA_MIRROR", str(write_mirror(isolated_data_env, CONTENT)))
    assert fetch_file(make_dataset(), "x.csv").read_bytes() == CONTENT


def test_corrupt_mirror_reports_checksum_and_leaves_no_partial_file(isolated_data_env):
    mirror = write_mirror(isolated_data_env, b"col\n1\n3\n")
    ds = make_dataset()
    with pytest.raises(DataUnavailableError) as info:
        fetch_file(ds, "x.csv", mirror=mirror)
    msg = str(info.value)
    assert "dataset 'toy', file 'x.csv'" in msg
    assert ds.files[0].sha256 in msg
    assert "checksum mismatch" in msg and str(mirror / "toy" / "x.csv") in msg
    assert "CASEBOOK_OFFLINE is set" in msg and "How to fix" in msg
    cache = isolated_data_env / "cache"
    assert not (cache / "toy" / "x.csv").exists()
    assert no_leftovers(isolated_data_env)


def test_corrupt_cache_is_replaced_from_mirror(isolated_data_env):
    mirror = write_mirror(isolated_data_env, CONTENT)
    cached = isolated_data_env / "cache" / "toy" / "x.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    assert fetch_file(make_dataset(), "x.csv", mirror=mirror).read_bytes() == CONTENT


def test_nothing_available_names_every_attempt(isolated_data_env):
    with pytest.raises(
        DataUnavailableError, match=r"(?s)cache .*not there.*mirror: none set.*skipped"
    ):
        fetch_file(make_dataset(), "x.csv")


def test_explicit_path_is_verified(tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(CONTENT)
    assert fetch_file(make_dataset(), "x.csv", path=good) == good
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"other")
    with pytest.raises(DataUnavailableError, match="explicit path .*checksum mismatch"):
        fetch_file(make_dataset(), "x.csv", path=bad)
    with pytest.raises(DataUnavailableError, match="no such file"):
        fetch_file(make_dataset(), "x.csv", path=tmp_path / "missing.csv")


def test_interrupted_copy_of_corrupt_mirror_is_reported(isolated_data_env, monkeypatch):
    mirror = write_mirror(isolated_data_env, b"corrupt")

    def exploding_chunks(path):
        yield b"col\n"
        raise OSError("disk full")

    monkeypatch.setattr(fetch_mod, "_file_chunks", exploding_chunks)
    with pytest.raises(DataUnavailableError, match="copy to cache failed \\(disk full\\)"):
        fetch_file(make_dataset(), "x.csv", mirror=mirror, download=False)
    assert no_leftovers(isolated_data_env)


def test_interrupted_copy_leaves_no_file(isolated_data_env, monkeypatch):
    mirror = write_mirror(isolated_data_env, CONTENT)

    def exploding_chunks(path):
        yield b"col\n"
        raise OSError("disk full")

    monkeypatch.setattr(fetch_mod, "_file_chunks", exploding_chunks)
    # the cache cannot be written: the verified mirror file is used in place
    path = fetch_file(make_dataset(), "x.csv", mirror=mirror, download=False)
    assert path == mirror / "toy" / "x.csv"
    assert not (isolated_data_env / "cache" / "toy" / "x.csv").exists()
    assert no_leftovers(isolated_data_env)


@pytest.fixture
def http_server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_download_from_upstream(isolated_data_env, monkeypatch, http_server):
    monkeypatch.delenv("CASEBOOK_OFFLINE")
    root, base = http_server
    (root / "x.csv").write_bytes(CONTENT)
    path = fetch_file(make_dataset(url=f"{base}/x.csv"), "x.csv")
    assert path.read_bytes() == CONTENT


def test_download_zip_member(isolated_data_env, monkeypatch, http_server):
    import zipfile

    monkeypatch.delenv("CASEBOOK_OFFLINE")
    root, base = http_server
    with zipfile.ZipFile(root / "a.zip", "w") as zf:
        zf.writestr("inner.csv", CONTENT)
    ds = make_dataset(url=f"{base}/a.zip", member="inner.csv")
    assert fetch_file(ds, "x.csv").read_bytes() == CONTENT


def test_corrupt_download_is_refused(isolated_data_env, monkeypatch, http_server):
    monkeypatch.delenv("CASEBOOK_OFFLINE")
    root, base = http_server
    (root / "x.csv").write_bytes(b"tampered")
    with pytest.raises(DataUnavailableError, match="upstream .*checksum mismatch"):
        fetch_file(make_dataset(url=f"{base}/x.csv"), "x.csv")
    assert no_leftovers(isolated_data_env)


def test_download_failure_is_reported(isolated_data_env, monkeypatch, http_server):
    monkeypatch.delenv("CASEBOOK_OFFLINE")
    _, base = http_server
    with pytest.raises(DataUnavailableError, match="upstream .*failed \\(HTTPError"):
        fetch_file(make_dataset(url=f"{base}/missing.csv"), "x.csv")


def test_unknown_file_and_dataset():
    with pytest.raises(ValueError, match="filename: dataset 'toy' has no file 'y.csv'"):
        fetch_file(make_dataset(), "y.csv")
    with pytest.raises(ValueError, match="name must be a registered dataset"):
        fetch_file("nope", "x.csv")
    with pytest.raises(TypeError, match="dataset must be a name or a Dataset"):
        fetch_file(3, "x.csv")


def finished_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_clear_partial_files_keeps_a_live_fetchs_file(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    dead = folder / f".x.csv.{finished_pid()}.abc123.part"
    live = folder / f".x.csv.{os.getppid()}.def456.part"
    old = folder / ".x.csv.abc.part"  # a name without a pid, an hour untouched
    fresh = folder / ".y.csv.ghi.part"
    for p in (dead, live, old, fresh):
        p.write_bytes(b"partial")
    os.utime(old, (0, 0))
    (folder / "x.csv").write_bytes(b"")
    assert clear_partial_files(tmp_path) == 2
    assert sorted(os.listdir(folder)) == sorted([live.name, fresh.name, "x.csv"])


def test_fetch_clears_what_a_killed_fetch_left(isolated_data_env):
    mirror = write_mirror(isolated_data_env, CONTENT)
    folder = isolated_data_env / "cache" / "toy"
    folder.mkdir(parents=True)
    killed = folder / f".x.csv.{finished_pid()}.abc123.part"
    killed.write_bytes(b"col\n")
    live = folder / f".x.csv.{os.getppid()}.def456.part"
    live.write_bytes(b"col\n")
    assert fetch_file(make_dataset(), "x.csv", mirror=mirror).read_bytes() == CONTENT
    assert not killed.exists() and live.exists()


def test_cached_files_get_the_usual_mode(isolated_data_env):
    import stat

    mirror = write_mirror(isolated_data_env, CONTENT)
    mask = os.umask(0o022)
    try:
        path = fetch_file(make_dataset(), "x.csv", mirror=mirror)
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_corrupt_cache_left_in_place_is_said_so(isolated_data_env):
    cached = isolated_data_env / "cache" / "toy" / "x.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    with pytest.raises(DataUnavailableError) as info:
        fetch_file(make_dataset(), "x.csv")
    assert "checksum mismatch" in str(info.value) and "left in place" in str(info.value)
    assert "will be replaced" not in str(info.value)
    assert cached.read_bytes() == b"truncated"


def test_sha256_of(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(CONTENT)
    assert sha256_of(p) == hashlib.sha256(CONTENT).hexdigest()


def test_user_dirs_respect_xdg(monkeypatch, tmp_path):
    from casebook.data.fetch import user_cache_dir, user_data_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    assert user_cache_dir() == tmp_path / "c" / "casebook"
    assert user_data_dir() == tmp_path / "d" / "casebook"
