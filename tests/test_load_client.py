"""The load benchmark's protocol client (benchmarks/load.py) against a real server: two sessions at once
load the Overview and change the radius, with no error, each seeing its own radius."""
from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("websockets")
ROOT = Path(__file__).resolve().parent.parent


def _load_module():
    spec = importlib.util.spec_from_file_location("planner_load_benchmark", ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_two_concurrent_protocol_sessions(tmp_path):
    load = _load_module()
    proc, url = load.start_server(str(tmp_path / "workspace"), tmp_path / "server.log")
    try:
        cookie = load.xsrf_cookie(url)

        async def both():
            return await asyncio.gather(*(load.one_session(f"s{i}", url, cookie, [2500 + 700 * i], timeout=120)
                                          for i in range(2)))

        results = asyncio.run(both())
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    for res in results:
        assert res.errors == [], (res.errors, (tmp_path / "server.log").read_text(errors="replace")[-2000:])
        assert res.overview_s is not None and len(res.radius_s) == 1
        assert res.overview_kib > 20  # the map's layers arrived, not just the cards (its base is a static file)
