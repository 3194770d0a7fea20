"""Several server processes share one workspace and one static folder (docs/deployment.md, several
processes): what they write there at the same moment is neither lost nor half-written, and no
process removes another's work."""
from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

N = 6


def _together(target, args_of) -> list:
    """Run `target(*args_of(i), barrier, queue)` in N forked processes started at the same moment;
    what each put on the queue, in process order."""
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(N), ctx.Queue()
    procs = [ctx.Process(target=target, args=(i, *args_of(i), barrier, out)) for i in range(N)]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return [got[i] for i in range(N)]


def _claim(i, parent: str, barrier, out) -> None:
    from planner.io import unused_folder

    barrier.wait(30)
    try:
        out.put((i, str(unused_folder(Path(parent) / "du-lieu"))))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put((i, f"error {type(exc).__name__}: {exc}"))


def test_imports_under_one_name_at_once_get_a_folder_each(tmp_path):
    got = _together(_claim, lambda i: (str(tmp_path),))
    assert sorted(got) == sorted(str(tmp_path / n) for n in ["du-lieu", *(f"du-lieu-{k}" for k in range(2, N + 1))])
    assert all(Path(p).is_dir() and not any(Path(p).iterdir()) for p in got)


def test_a_claimed_folder_is_removed_when_the_write_fails(tmp_path, monkeypatch):
    import errno

    import pytest

    import planner.io as pio
    from conftest import tiny_layers
    from planner.errors import PlannerError

    out = pio.unused_folder(tmp_path / "du-lieu")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pio.os, "replace", full)
    with pytest.raises(PlannerError):
        pio.write_package(tiny_layers(), {"name": "x"}, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def _publish(i, static: str, barrier, out) -> None:
    from planner.io import publish_map_assets

    barrier.wait(30)
    try:
        folder = publish_map_assets(static)
        out.put((i, sorted(p.name for p in folder.iterdir())))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put((i, f"error {type(exc).__name__}: {exc}"))


def _expected_leaflet() -> list[str]:
    import xstatic.pkg.leaflet as leaflet

    return sorted(["images", "leaflet.css", "leaflet.js", f"VERSION-{leaflet.VERSION}"])


def test_processes_starting_at_once_publish_leaflet_once_and_whole(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    got = _together(_publish, lambda i: (str(static),))
    assert got == [_expected_leaflet()] * N
    assert sorted(p.name for p in static.iterdir()) == [".leaflet-lock", "leaflet"]  # no copy left behind


def test_an_older_leaflet_is_replaced_once_by_processes_starting_at_once(tmp_path):
    static = tmp_path / "static"
    (static / "leaflet" / "images").mkdir(parents=True)
    (static / "leaflet" / "VERSION-0.1").write_text("0.1")
    (static / "leaflet" / "leaflet.js").write_text("old")
    got = _together(_publish, lambda i: (str(static),))
    assert got == [_expected_leaflet()] * N
    assert sorted(p.name for p in static.iterdir()) == [".leaflet-lock", "leaflet"]
    assert (static / "leaflet" / "leaflet.js").read_text() != "old"


def _remember(i, path: str, barrier, out) -> None:
    from planner.importing.files import update_mappings

    barrier.wait(30)
    try:
        for k in range(10):
            update_mappings(path, lambda store, k=k: store | {f"villages|w{i}-{k}": {"Tên": "name"}})
        out.put((i, "ok"))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put((i, f"error {type(exc).__name__}: {exc}"))


def test_column_mappings_saved_at_once_are_all_kept(tmp_path):
    path = tmp_path / "column_mappings.json"
    path.write_text(json.dumps({"villages|old": {"A": "name"}}), encoding="utf-8")
    assert _together(_remember, lambda i: (str(path),)) == ["ok"] * N
    store = json.loads(path.read_text(encoding="utf-8"))
    assert set(store) == {"villages|old", *(f"villages|w{i}-{k}" for i in range(N) for k in range(10))}


def test_a_damaged_mappings_file_is_replaced(tmp_path):
    from planner.importing.files import load_mappings, update_mappings

    path = tmp_path / "column_mappings.json"
    path.write_text("{not json", encoding="utf-8")
    update_mappings(path, lambda store: store | {"k": {"A": "name"}})
    assert load_mappings(path) == {"k": {"A": "name"}}
