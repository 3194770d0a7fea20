"""The "Tiến độ" page through AppTest: its figures are the CLI's, a recorded status raises the
year's indicator, a scenario is taken into the record, a correction keeps the old entry, and
sign-in decides who may record and whose name is written."""
import contextlib
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.accounts import Accounts, save_accounts
from planner.cli import main
from planner.io import DEMO_DIR, read_package
from planner.progress import today_in_vietnam
from planner.proposals import propose_at
from planner.record_store import RecordStore
from planner.scenarios import Scenario
from planner.store import ScenarioStore

APP = Path(__file__).resolve().parent.parent / "app.py"
DEMO_NAME = read_package(DEMO_DIR).name


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    monkeypatch.delenv("PLANNER_ACCOUNTS", raising=False)
    return tmp_path


def open_page(*, user=None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/progress.py").run()
    assert not at.exception, at.exception
    return at


def metric(at, start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(start))


def targets_rows(at) -> list[list[str]]:
    return table(at, "Trẻ em trong tầm tiếp cận").astype(str).values.tolist()


def table(at, column: str):
    """The table on the page that has `column`."""
    return next(d.value for d in at.dataframe if column in list(d.value.columns))


def cli_json(*args) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["progress", "--json", *args]) == 0
    return json.loads(out.getvalue())


def form_key(at, name: str, lang: str = "vi") -> str:
    """The record form's widget key: by language and by the number of saves in the session."""
    rev = at.session_state["progress-form-rev"] if "progress-form-rev" in at.session_state else 0
    return f"progress-{name}-{lang}-{rev}"


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_the_page_shows_the_clis_figures(workspace):
    at = open_page()
    cli = cli_json()
    now = cli["years"][-1]
    assert metric(at, "Xã có điểm") == f"{now['communes_with_point']}/38" == "9/38"
    assert metric(at, "Chỉ tiêu 2025") == "Thiếu 3 xã" and cli["targets"][0]["short"] == 3
    assert metric(at, "Chỉ tiêu 2030") == "Thiếu 5 xã" and cli["targets"][1]["short"] == 5
    rows = {r[0]: r for r in targets_rows(at)}
    by_year = {y["year"]: y for y in cli["years"]}
    for year in (2012, 2020, 2024, 2025):
        assert rows[str(year)][1] == f"{by_year[year]['communes_with_point']}/38"
        assert rows[str(year)][6] == f"{by_year[year]['children_within_reach']:,}".replace(",", ".")
    assert any("chưa đạt" in m.value and "thiếu 3 xã" in m.value for m in at.markdown)
    assert any("minh họa" in c.value for c in at.caption)  # the demo's history says it is illustrative


def test_recording_a_point_in_use_raises_this_years_indicator(workspace):
    at = open_page()
    year = today_in_vietnam().year
    before = {r[0].split(" ")[0]: r[1] for r in targets_rows(at)}[str(year)]
    at.selectbox(key=form_key(at, "point")).set_value("P015")  # under construction in the demo (Xã Bản Lang)
    at.selectbox(key=form_key(at, "status")).set_value("in_use")
    at.text_input(key=form_key(at, "cost")).set_value("1.250")
    at.selectbox(key=form_key(at, "funding")).set_value("state")
    click(at, "Ghi vào sổ theo dõi")
    assert (before, metric(at, "Xã có điểm")) == ("9/38", "10/38")
    after = {r[0].split(" ")[0]: r[1] for r in targets_rows(at)}[str(year)]
    assert after == "10/38"
    assert any("Đã ghi mục số 1" in s.value for s in at.success)
    (e,) = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    assert (e.point_id, e.status, e.on, e.cost_vnd, e.funding, e.origin) == (
        "P015", "in_use", today_in_vietnam(), 1_250_000_000, "state", "app")
    assert cli_json()["years"][-1]["communes_with_point"] == 10  # the CLI reads the same record


def test_a_scenario_taken_into_the_record_then_its_plan_beside_what_was_done(workspace, demo):
    props = (propose_at(demo, 103.36, 22.7547),)
    ScenarioStore(workspace / "scenarios.sqlite").save(Scenario(name="Kế hoạch xã", proposals=props))
    at = open_page()
    at.selectbox(key="progress-take").set_value("Kế hoạch xã").run()
    click(at, "Đưa vào sổ")
    assert any("Đã đưa 1 đề xuất" in s.value for s in at.success)
    at.selectbox(key="progress-take").set_value("Kế hoạch xã").run()
    again = click(at, "Đưa vào sổ")
    assert any("0 đề xuất" in m.value and "1 đề xuất đã có" in m.value for m in again.info)
    entries = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    assert [(e.status, e.scenario) for e in entries] == [("planned", "Kế hoạch xã")]
    at.selectbox(key="progress-scenario").set_value("Kế hoạch xã").run()
    assert any("Kế hoạch và thực hiện" in m.value for m in at.markdown)


def test_a_correction_is_a_new_entry_and_the_old_one_stays_listed(workspace):
    at = open_page()
    at.selectbox(key=form_key(at, "point")).set_value("P015")
    click(at, "Ghi vào sổ theo dõi")
    at.selectbox(key="progress-fix").set_value(1)
    at.selectbox(key="progress-fix-status-1-vi").set_value("under_construction")
    click(at, "Ghi bản sửa (mục cũ vẫn được giữ)")
    assert metric(at, "Xã có điểm") == "9/38"
    entries = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    assert [(e.seq, e.status, e.replaces) for e in entries] == [(1, "in_use", None), (2, "under_construction", 1)]
    history = table(at, "Sửa đổi")
    marks = dict(zip(history["Số"], history["Sửa đổi"]))
    assert marks == {"2": "sửa mục 1", "1": "đã được sửa bởi mục 2"}


def test_with_sign_in_only_a_signed_in_user_records_and_their_name_is_written(workspace):
    save_accounts(Accounts().with_password("lan", "mật khẩu đúng", n=2**10), workspace / "accounts.toml")
    at = open_page()
    assert next(b for b in at.button if b.label == "Ghi vào sổ theo dõi").disabled
    assert any("🔒" in c.value for c in at.caption)
    at.text_input(key="auth_name").set_value("lan")
    at.text_input(key="auth_password").set_value("mật khẩu đúng")
    click(at, "Đăng nhập")
    at.selectbox(key=form_key(at, "point")).set_value("P015")
    click(at, "Ghi vào sổ theo dõi")
    (e,) = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    assert e.recorded_by == "lan"


def test_english_page(workspace):
    at = open_page()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert metric(at, "Communes with a point") == "9/38"
    assert metric(at, "2025 target") == "3 communes short"


def test_figures_at_a_past_day(workspace, demo):
    from datetime import date

    from planner.analysis import Analysis
    from planner.progress import progress

    at = open_page()
    at.date_input(key="progress-as-of").set_value(date(2022, 6, 30)).run()
    assert not at.exception
    expected = progress(Analysis.of(demo), (), today=date(2022, 6, 30)).years[-1]
    # the demo's history had 8 communes and 12 points in use at the end of both 2021 and 2022
    assert (expected.communes_with_point, expected.points_in_use) == (8, 12)
    assert metric(at, "Xã có điểm — năm 2022") == "8/38"
    rows = targets_rows(at)
    assert rows[-1][:2] == ["2022 (đến 30/06/2022)", "8/38"] and len(rows) == 2022 - 2010 + 1


def test_a_status_change_keeps_a_new_points_kind(workspace, demo):
    from dataclasses import replace

    from planner.analysis import Analysis
    from planner.progress import progress

    prop = replace(propose_at(demo, 103.36, 22.7547), kind="culture_point")
    ScenarioStore(workspace / "scenarios.sqlite").save(Scenario(name="Văn hóa", proposals=(prop,)))
    at = open_page()
    at.selectbox(key="progress-take").set_value("Văn hóa").run()
    click(at, "Đưa vào sổ")
    pid = f"Văn hóa / {prop.id}"
    at.selectbox(key=form_key(at, "point")).set_value(pid)
    click(at, "Ghi vào sổ theo dõi")
    entries = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    p = progress(Analysis.of(demo), entries, today=today_in_vietnam())
    assert p.points.loc[pid, "kind"] == "culture_point" and p.points.loc[pid, "status"] == "in_use"


def test_language_switch_keeps_the_chosen_day(workspace):
    from datetime import date

    at = open_page()
    at.date_input(key="progress-as-of").set_value(date(2022, 6, 30)).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.date_input(key="progress-as-of").value == date(2022, 6, 30)
    assert metric(at, "Communes with a point — 2022") == "8/38"


def test_after_a_save_the_form_is_empty_and_the_next_save_records_the_next_choice(workspace):
    at = open_page()
    at.selectbox(key=form_key(at, "point")).set_value("P004")
    at.selectbox(key=form_key(at, "status")).set_value("under_construction")
    at.text_input(key=form_key(at, "cost")).set_value("777")
    click(at, "Ghi vào sổ theo dõi")
    # (the browser empties the form after a save: tests/test_browser_progress.py; AppTest keeps the values)
    at.selectbox(key=form_key(at, "point")).set_value("P015")
    at.selectbox(key=form_key(at, "status")).set_value("in_use")
    at.text_input(key=form_key(at, "cost")).set_value("")
    click(at, "Ghi vào sổ theo dõi")
    recorded = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    assert [(e.point_id, e.status, e.cost_vnd) for e in recorded] == [("P004", "under_construction", 777_000_000),
                                                                      ("P015", "in_use", None)]


def test_the_same_entry_twice_is_refused_and_a_vietnamese_cost_reads_right(workspace):
    at = open_page()
    at.selectbox(key=form_key(at, "point")).set_value("P015")
    at.text_input(key=form_key(at, "cost")).set_value("1.500")
    click(at, "Ghi vào sổ theo dõi")
    at.selectbox(key=form_key(at, "point")).set_value("P015")
    at.text_input(key=form_key(at, "cost")).set_value("1.500")
    click(at, "Ghi vào sổ theo dõi")  # all of it again: a second click, say
    assert any("đã có mục số 1" in e.value for e in at.error)
    click(at, "Ghi vào sổ theo dõi")
    at.selectbox(key=form_key(at, "point")).set_value("P019")
    at.text_input(key=form_key(at, "cost")).set_value("một tỷ")
    click(at, "Ghi vào sổ theo dõi")
    assert any("Kinh phí “một tỷ” không đọc được" in e.value for e in at.error)
    assert at.selectbox(key=form_key(at, "point")).value == "P019"  # a refused save keeps what was typed
    at.text_input(key=form_key(at, "cost")).set_value("1.350")
    click(at, "Ghi vào sổ theo dõi")
    at.text_input(key=form_key(at, "cost")).set_value("")  # a fresh form after a save: nothing chosen
    click(at, "Ghi vào sổ theo dõi")
    assert any("Chưa chọn điểm nào" in w.value for w in at.warning)
    recorded = RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)
    assert [(e.point_id, e.cost_vnd) for e in recorded] == [("P015", 1_500_000_000), ("P019", 1_350_000_000)]


def test_a_past_day_still_knows_every_point(workspace, demo):
    from datetime import date

    ScenarioStore(workspace / "scenarios.sqlite").save(Scenario(name="Một điểm", proposals=(propose_at(demo, 103.36, 22.7547),)))
    at = open_page()
    at.selectbox(key="progress-take").set_value("Một điểm").run()
    click(at, "Đưa vào sổ")
    at.date_input(key="progress-as-of").set_value(date(2020, 12, 31)).run()
    assert any(o.startswith("Điểm đề xuất") for o in at.selectbox(key=form_key(at, "point")).options)
    at.selectbox(key="progress-take").set_value("Một điểm").run()
    click(at, "Đưa vào sổ")
    assert any("1 đề xuất đã có" in m.value for m in at.info)
    assert len(RecordStore(workspace / "scenarios.sqlite").entries(DEMO_NAME)) == 1


def test_a_correction_from_a_stale_page_is_refused_and_says_so(workspace):
    from datetime import date

    from planner.record import Entry

    at = open_page()
    at.selectbox(key=form_key(at, "point")).set_value("P015")
    click(at, "Ghi vào sổ theo dõi")
    at.selectbox(key="progress-fix").set_value(1).run()
    db = RecordStore(workspace / "scenarios.sqlite")
    db.add(DEMO_NAME, [Entry("P015", "approved", date(2025, 1, 5), replaces=1)], today=today_in_vietnam(),
           recorded_by="chị Hoa")  # another session corrects entry 1 meanwhile
    at.selectbox(key="progress-fix-status-1-vi").set_value("under_construction")
    click(at, "Ghi bản sửa (mục cũ vẫn được giữ)")
    assert any("Mục số 1 đã được chị Hoa sửa" in e.value and "chưa có gì được ghi" in e.value for e in at.error)
    assert len(db.entries(DEMO_NAME)) == 2


def test_a_scenario_name_is_shown_as_typed(workspace, demo):
    ScenarioStore(workspace / "scenarios.sqlite").save(Scenario(name="KB *B* [x](http://evil)",
                                                                proposals=(propose_at(demo, 103.36, 22.7547),)))
    at = open_page()
    at.selectbox(key="progress-scenario").set_value("KB *B* [x](http://evil)").run()
    title = next(m.value for m in at.markdown if "Kế hoạch và thực hiện" in m.value)
    assert "\\[x\\]" in title and "\\*B\\*" in title
