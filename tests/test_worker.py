"""Uploads are read in a bounded worker process (planner/importing/worker.py): the same answers as
in-process, and a file that blows a limit ends the worker with a message naming the file and the
limit, never the caller."""
import io
import signal

import pytest

from planner.errors import PlannerError
from planner.importing import ImportSource, inspect_upload, prepare_import, worker
from planner.importing.files import UploadError
from planner.importing.worker import LIMITS, Limits

CSV = "Tên thôn,Mã xã,Dân số,Trẻ em,Kinh độ,Vĩ độ\nBản Mới,03388,120,40,103.4512,22.4020\n".encode()


def big_csv(rows: int, *, name_chars: int = 0) -> bytes:
    lines = ["Tên thôn,Mã xã,Dân số,Trẻ em,Kinh độ,Vĩ độ"]
    pad = " " + "bản"[:1] * name_chars if name_chars else ""
    lines += [f"T{i}{pad},03388,{i % 500},{i % 100},103.4{i % 10},22.4{i % 10}" for i in range(rows)]
    return "\n".join(lines).encode()


def workbook_bomb() -> bytes:
    """1.6 KB on disk; cells A1 and XFD1048576 make a reader build 16,384 x 1,048,576 cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"], wb.active["XFD1048576"] = "Tên thôn", "Kinh độ", "y"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_same_answer_as_in_process(demo):
    assert worker.run("inspect_upload", "thon.csv", CSV, kind="villages") == inspect_upload("thon.csv", CSV, kind="villages")
    src = [ImportSource("villages", "thon.csv", CSV)]
    there = worker.run("prepare_import", src, package=demo, mode="add")
    here = prepare_import(src, package=demo, mode="add")
    assert [p.key for p in there.problems] == [p.key for p in here.problems]
    assert there.layers["villages"].equals(here.layers["villages"]) and len(there.layers["villages"]) == len(demo.villages) + 1
    assert worker.run("guess_kind", "danh sach.csv", CSV) == "villages"


def test_an_error_comes_back_as_itself():
    with pytest.raises(UploadError) as err:
        worker.run("inspect_upload", "rong.csv", b"", kind="villages")
    assert err.value.key == "err.imp_empty_file" and err.value.params == {"file": "rong.csv"}


def test_a_cheap_limit_refuses_the_workbook_bomb_before_reading_it():
    data = workbook_bomb()
    assert len(data) < 6_000
    with pytest.raises(UploadError) as err:
        worker.run("inspect_upload", "bom.xlsx", data, kind="villages")
    assert err.value.key == "err.imp_sheet_too_big" and err.value.params["file"].startswith("bom.xlsx")


def test_memory_limit():
    """Whatever gets past the cheap limits is still bounded: here the cap is set below what the
    reading needs."""
    with pytest.raises(UploadError) as err:
        worker.run("inspect_upload", "thon.csv", big_csv(100_000), kind="villages",
                   limits=Limits(memory_mb=64, cpu_s=60, wall_s=90))
    assert err.value.key == "err.imp_worker_memory" and err.value.params == {"file": "thon.csv", "mb": 64}
    assert "64 MB" in err.value.message("vi") and "thon.csv" in err.value.message("vi")


def test_wall_time_limit():
    with pytest.raises(UploadError) as err:
        worker.run("inspect_upload", "lon.csv", big_csv(150_000), kind="villages", limits=Limits(wall_s=0.5))
    assert err.value.key == "err.imp_worker_time" and err.value.params == {"file": "lon.csv", "seconds": "0.5"}


@pytest.mark.parametrize("code, key", [(-signal.SIGSEGV, "err.imp_worker_crash"), (-signal.SIGABRT, "err.imp_worker_crash"),
                                       (-signal.SIGXCPU, "err.imp_worker_time"), (-signal.SIGXFSZ, "err.imp_worker_disk"),
                                       (1, "err.imp_worker_crash")])
def test_a_dead_worker_is_named(code, key):
    exc = worker._failure(code, b"", "x.gpkg", LIMITS)
    assert exc.key == key and exc.params["file"] == "x.gpkg"


def test_only_the_import_calls_run_there():
    with pytest.raises(ValueError):
        worker.run("write_import", None)


def test_a_scenario_file_is_read_there_too():
    from planner.scenario_file import to_gpkg
    from planner.scenarios import Scenario

    s = Scenario(name="Từ tệp", description="x")
    assert worker.run("scenario_from_gpkg", to_gpkg(s), name="s.gpkg") == s
    with pytest.raises(PlannerError) as err:  # the reader's own refusal, as it would be in-process
        worker.run("scenario_from_gpkg", b"not a geopackage" * 10, name="hong.gpkg")
    assert "hong.gpkg" in err.value.message("vi")
