"""`python -m planner progress`, `record` and `report --period`: the progress record from the command line.

The figures printed are the "Tiến độ" page's and the periodic report's for the same data package,
workspace record, reach rule and day (the tables come from `planner.periodic_report`).
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path

from planner.errors import UsageError
from planner.i18n import DEFAULT_LANG, t


def add_parsers(sub, reach_options) -> None:
    pr = sub.add_parser("progress", help="each target by year from the record of what was built")
    _common(pr, reach_options)
    pr.add_argument("--today", default=None, help="report as of this day, YYYY-MM-DD or DD/MM/YYYY (default: today)")
    pr.add_argument("--scenario", default=None, help="saved scenario: its plan against what was realised")
    pr.add_argument("--json", action="store_true", help="print one JSON object")
    rc = sub.add_parser("record", help="record a status change of a point (or take a scenario's proposals into the record)")
    _common(rc, None)
    rc.add_argument("--point", default=None, help="point id (a package point, or a new one with --name and --commune)")
    rc.add_argument("--status", default=None, help="planned, approved, under_construction, in_use or closed")
    rc.add_argument("--date", default=None, help="day it took effect, DD/MM/YYYY or YYYY-MM-DD")
    rc.add_argument("--cost-vnd", default=None, help="actual cost in đồng")
    rc.add_argument("--funding", default=None, help="state or non_state")
    rc.add_argument("--note", default="", help="note")
    rc.add_argument("--name", default="", help="name of a new point")
    rc.add_argument("--commune", default="", help="commune code of a new point")
    rc.add_argument("--lon", default=None, help="longitude of a new point")
    rc.add_argument("--lat", default=None, help="latitude of a new point")
    rc.add_argument("--replaces", default=None, help="number of the entry this one corrects")
    rc.add_argument("--by", default="", help="who records it")
    rc.add_argument("--from-scenario", default=None, help="take this saved scenario's proposals into the record as planned")
    rc.add_argument("--import", dest="import_file", default=None,
                    help="a commune's list (.xlsx or .csv, see --template): checked, then recorded whole or not at all")
    rc.add_argument("--check", action="store_true", help="with --import: only check the list, record nothing")
    rc.add_argument("--template", default=None, help="write the list template (.xlsx) to this file")


def _common(p, reach_options) -> None:
    p.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    p.add_argument("--workspace", default=None, help="workspace folder (default: $PLANNER_WORKSPACE or ./workspace)")
    p.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    if reach_options is not None:
        p.add_argument("--radius-m", default=None, help="reach radius in metres (default 2000)")
        reach_options(p)


def today_in_vietnam() -> date:
    from planner.progress import today_in_vietnam as today

    return today()


def parse_day(text: str, option: str) -> date:
    """A day written DD/MM/YYYY (as Vietnamese offices write it) or YYYY-MM-DD."""
    text = str(text).strip()
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError("err.day_option", option=option, value=text[:40]) from None


def as_of(args) -> date:
    """--today, or today in Vietnam; a day still ahead is refused (figures go up to today)."""
    from planner.formats import both, fmt_date
    from planner.record import FIRST_DATE

    today = today_in_vietnam()
    if not args.today:
        return today
    day = parse_day(args.today, "--today")
    if day < FIRST_DATE:
        raise UsageError("err.record_date", **both("value", day, fmt_date), **both("first", FIRST_DATE, fmt_date),
                         **both("today", today, fmt_date))
    if day > today:
        raise UsageError("err.day_future", option="--today", **both("value", day, fmt_date), **both("today", today, fmt_date))
    return day


def _setup(args, *, rule=None):
    from planner.analysis import Analysis
    from planner.cli_common import workspace_dir
    from planner.io import DEMO_DIR, read_package
    from planner.record_store import RecordStore

    package = read_package(args.data or DEMO_DIR)
    folder = workspace_dir(args)
    store = RecordStore(Path(folder) / "scenarios.sqlite")
    return package, Analysis.of(package, reach=rule) if rule else Analysis.of(package), store


def load_progress(args, *, today: date):
    """The progress the options ask for, and the package (for the report)."""
    from planner.cli_common import reach_rule as _rule, scenario_store as _store
    from planner.progress import progress

    package, analysis, store = _setup(args, rule=_rule(args))
    scenario = _store(args).load(args.scenario) if getattr(args, "scenario", None) else None
    return progress(analysis, store.entries(package.name), today=today, scenario=scenario), package


def progress_command(args) -> int:
    from planner.periodic_report import plan_table, target_lines, targets_table

    p, _ = load_progress(args, today=as_of(args))
    if args.json:
        print(json.dumps({
            "today": p.today.isoformat(), "communes_total": p.communes_total, "reach": p.rule.words("en"),
            "years": [{"year": f.year, "day": f.day.isoformat(), "communes_with_point": f.communes_with_point,
                       "points_in_use": f.points_in_use, "children_within_reach": f.children_within, "opened": f.opened,
                       "closed": f.closed, "spent_vnd": dict(f.spent_vnd)} for f in p.years],
            "targets": [{"year": c.year, "target": float(c.target), "required": c.required, "achieved": c.achieved,
                         "short": c.short, "reached_on": c.reached_on.isoformat() if c.reached_on else None,
                         "final": c.final} for c in p.targets],
            "plan": [asdict(r) for r in p.plan],
        }, ensure_ascii=False, indent=2))
        return 0
    for line in target_lines(p, args.lang):
        print(line)
    tables = [targets_table(p, args.lang)] + ([plan_table(p, args.lang)] if p.plan else [])
    for table in tables:
        print()
        print(table.title)
        print(" | ".join(table.header))
        for row in table.rows:
            print(" | ".join(row))
    return 0


def record_command(args) -> int:
    import getpass

    from planner.formats import fmt_date
    from planner.progress import from_scenario
    from planner.record import Entry, same_as

    package, _, store = _setup(args)
    today = today_in_vietnam()
    by = args.by or _user(getpass)
    if args.template or args.import_file:
        return _list(args, package, store, today=today, by=by)
    if args.from_scenario:
        from planner.cli_common import scenario_store as _store

        scenario = _store(args).load(args.from_scenario)
        known = {e.point_id for e in store.entries(package.name)}
        entries, already = from_scenario(scenario, today=today, known=known)
        stored = store.add(package.name, entries, today=today, recorded_by=by)
        print(t("cli.record_scenario", args.lang, n=len(stored), already=already, name=scenario.name))
        return 0
    if not (args.point and args.status and args.date):
        raise UsageError("err.usage", detail="record needs --point, --status and --date (or --from-scenario)")
    number = _number(args)
    entry = Entry(point_id=args.point, status=args.status, on=parse_day(args.date, "--date"),
                  cost_vnd=number("cost_vnd", int), funding=args.funding or None, note=args.note, name=args.name,
                  commune_code=args.commune, lon=number("lon", float), lat=number("lat", float),
                  replaces=number("replaces", int), origin="cli")
    known = set(package.play_points["id"].astype(str)) | {e.point_id for e in store.entries(package.name)}
    if entry.point_id not in known and not (entry.name and entry.commune_code):
        raise UsageError("err.record_new_point", point=entry.point_id)
    if entry.commune_code and entry.commune_code not in set(package.communes["code"]):
        raise UsageError("err.record_commune", value=entry.commune_code)
    twin = same_as(entry, store.entries(package.name))
    if twin is not None:
        raise UsageError("err.record_same", seq=twin.seq, point=entry.point_id,
                         status=t(f"record.status.{entry.status}", args.lang), day=fmt_date(entry.on, args.lang))
    (stored,) = store.add(package.name, [entry], today=today, recorded_by=by)
    print(t("cli.record_added", args.lang, seq=stored.seq, point=stored.point_id,
            status=t(f"record.status.{stored.status}", args.lang)))
    return 0


def _list(args, package, store, *, today: date, by: str) -> int:
    """The list template, or a commune's list checked (report printed as the import's) and recorded."""
    from planner.importing import report_lines
    from planner.importing.files import read_upload
    from planner.io import write_bytes
    from planner.progress import known_points
    from planner.record import same_as
    from planner.record_import import context_for, read_record_list_safely, template_xlsx

    context = context_for(package, known_points(package, store.entries(package.name)), today=today, recorded_by=by)
    if args.template:
        write_bytes(Path(args.template), template_xlsx(args.lang, context=context))
        print(args.template)
        return 0
    name, data = read_upload(args.import_file)
    plan = read_record_list_safely(name, data, context=context)
    for line in report_lines(plan.problems, args.lang, machine=True):
        print("- " + line)
    print(t("imp.cli_counts", args.lang, errors=len(plan.errors), warnings=len(plan.warnings)))
    if not plan.ok:
        return 1
    recorded = store.entries(package.name)
    fresh = [e for e in plan.entries if same_as(e, recorded) is None]
    if len(fresh) < len(plan.entries):
        print(t("progress.same_skipped", args.lang, n=len(plan.entries) - len(fresh)))
    if args.check:
        return 0
    stored = store.add(package.name, fresh, today=today, recorded_by=by)
    print(t("progress.imported", args.lang, n=len(stored), file=plan.file))
    return 0


def _user(getpass) -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _number(args):
    def read(name: str, kind):
        value = getattr(args, name)
        if value is None:
            return None
        try:
            return kind(str(value).replace(".", "").replace(",", "")) if kind is int else kind(value)
        except ValueError:
            raise UsageError("err.number_option", option="--" + name.replace("_", "-"), value=str(value)[:40]) from None
    return read


def report_command(args) -> int:
    """The periodic report for `--period` as DOCX or PDF."""
    from planner.io import write_bytes
    from planner.periodic_report import period, report_content
    from planner.report_files import report_docx, report_pdf

    out = Path(args.out)
    ext = out.suffix.lower()
    if ext not in (".docx", ".pdf"):
        raise UsageError("err.export_ext", ext=out.suffix or "-", known=".docx, .pdf")
    today = as_of(args)
    per = period(args.period, today=today)
    p, package = load_progress(args, today=today)
    now = datetime.combine(today, datetime.min.time(), tzinfo=timezone.utc) if args.today else datetime.now(timezone.utc)
    content = report_content(p, package, per, args.lang, now=now)
    write_bytes(out, report_docx(content) if ext == ".docx" else report_pdf(content))
    print(out)
    return 0
