"""`python -m planner ...`: the same computations as the app, for batch work and scripts."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.errors import PlannerError, UsageError
from planner.i18n import DEFAULT_LANG, LANGS, t
from planner.cli_common import reach_options as _reach_options, reach_rule as _rule, scenario_store as _store
from planner.formats import crs_words, fmt_datetime, fmt_int, fmt_pct


GAP_UNIT = {"play_point": "card.gap_communes", "child_friendly": "card.gap_communes",
            "school_toilet": "card.gap_schools", "psych_support": "card.gap_schools"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one line (exit 2) in the user's language."""

    lang = DEFAULT_LANG

    def error(self, message: str):  # noqa: D401 - argparse hook
        raise UsageError("err.usage", detail=message)


def _lang_from(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGS else DEFAULT_LANG
        if a.startswith("--lang="):
            value = a.split("=", 1)[1]
            return value if value in LANGS else DEFAULT_LANG
    return DEFAULT_LANG


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m planner", description="Lai Châu children's play-point planner")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    s = sub.add_parser("summary", help="facility targets and reach for a data package")
    s.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    s.add_argument("--radius-m", default=None, help="reach radius in metres (default 2000)")
    _reach_options(s)
    s.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    r = sub.add_parser("rank", help="rank communes for land and investment; write CSV/XLSX/GeoJSON/GPKG")
    r.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    r.add_argument("--preset", default=None, help="balanced (default), equity_first or target_fastest")
    r.add_argument("--weights", default=None, help="custom weights, e.g. no_point=3,children=1")
    r.add_argument("--radius-m", default=None, help="reach radius in metres (default 2000)")
    _reach_options(r)
    r.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    r.add_argument("--out", required=True, help="output file: .csv (its parameters beside it as NAME.params.csv), .xlsx, "
                                                ".geojson or .gpkg")
    r.add_argument("--field-names", default="machine", metavar="machine|vi|en",
                   help="GeoJSON/GeoPackage field names: machine (default: code, rank, score...) or the headers in vi or en")
    si = sub.add_parser("site", help="choose new sites within a budget; write CSV/XLSX/GeoJSON")
    si.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    si.add_argument("--budget-vnd", required=True, help="budget in VND, e.g. 20000000000")
    si.add_argument("--radius-m", default=None, help="reach radius in metres (default 2000)")
    _reach_options(si)
    si.add_argument("--target-year", default=None, help="2025 or 2030: reach that commune target first")
    si.add_argument("--method", default="exact", help="exact (default) or greedy")
    si.add_argument("--max-new", default=None, help="most new points")
    si.add_argument("--sources", default="candidate_sites,school_grounds,villages", help="comma list of candidate sources")
    si.add_argument("--default-cost-vnd", default="1500000000", help="cost of a village point (school grounds: 60%%)")
    si.add_argument("--time-limit-s", default="60", help="time limit of the exact solver")
    si.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    si.add_argument("--out", required=True, help="output file: .csv (its parameters beside it as NAME.params.csv), .xlsx or .geojson")
    si.add_argument("--field-names", default="machine", metavar="machine|vi|en",
                    help="GeoJSON field names: machine (default: id, cost_vnd...) or the headers in vi or en")
    sc = sub.add_parser("scenario", help="saved scenarios: list, show, export, import, compare")
    sc.add_argument("action", help="list, show, export, import or compare")
    sc.add_argument("names", nargs="*", help="scenario name(s), or the file to import")
    sc.add_argument("--workspace", default=None, help="workspace folder (default: $PLANNER_WORKSPACE or ./workspace)")
    sc.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    sc.add_argument("--out", default=None, help="file for export (.gpkg)")
    sc.add_argument("--as", dest="as_name", default=None, help="name to import under")
    sc.add_argument("--json", action="store_true", help="print JSON")
    sc.add_argument("--version", dest="version", default=None, help="show: an older version")
    sc.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    rp = sub.add_parser("report", help="one-page PDF brief or Excel workbook for a scenario or a comparison; "
                                       "with --period, the periodic report on the targets (DOCX or PDF)")
    rp.add_argument("--scenario", default=None, help="scenario name (with --period: its plan against what was done)")
    rp.add_argument("--period", default=None, help="periodic report: a year (e.g. 2025), midterm (2024-2025) or final (2024-2030)")
    rp.add_argument("--today", default=None, help="with --period: report as of this day, YYYY-MM-DD or DD/MM/YYYY")
    rp.add_argument("--radius-m", default=None, help="with --period: reach radius in metres (default 2000)")
    _reach_options(rp)
    rp.add_argument("--compare", nargs="*", default=[], help="other scenarios to compare with (up to 3)")
    rp.add_argument("--workspace", default=None, help="workspace folder (default: $PLANNER_WORKSPACE or ./workspace)")
    rp.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    rp.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    rp.add_argument("--out", required=True, help="output file: .pdf or .xlsx (with --period: .docx or .pdf)")
    mp = sub.add_parser("map", help="a printable map (A4/A3, portrait/landscape) as PDF or PNG")
    mp.add_argument("--view", default="overview", help="overview (default), priorities, sites or scenarios")
    mp.add_argument("--paper", default="A4", help="A4 (default) or A3")
    mp.add_argument("--orientation", default="landscape", help="landscape (default) or portrait")
    mp.add_argument("--out", required=True, help="output file: .pdf or .png")
    mp.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    mp.add_argument("--radius-m", default=None, help="reach radius in metres (default 2000; a scenario brings its own)")
    _reach_options(mp)
    mp.add_argument("--preset", default=None, help="priorities: balanced (default), equity_first or target_fastest")
    mp.add_argument("--scenario", default=None, help="saved scenario to draw (sites, scenarios; priorities: its weights)")
    mp.add_argument("--workspace", "--store", dest="workspace", default=None,
                    help="workspace folder with the saved scenarios (default: $PLANNER_WORKSPACE or ./workspace)")
    mp.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    from planner.cli_progress import add_parsers as add_progress_parsers

    add_progress_parsers(sub, _reach_options)
    from planner.cli_import import add_parsers

    add_parsers(sub, _Parser)
    from planner.cli_accounts import add_parsers as add_account_parsers

    add_account_parsers(sub)
    d = sub.add_parser("demo", help="rebuild the Lai Châu demo data package")
    d.add_argument("--out", required=True, help="folder to write the package to")
    d.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    return parser


def _summary(args) -> int:
    from planner.analysis import Analysis
    from planner.io import DEMO_DIR, read_package

    rule = _rule(args)
    package = read_package(args.data or DEMO_DIR)
    s = Analysis.of(package, reach=rule).summary
    if args.json:
        out = s.to_json()
        out["data"] = package.source
        out["demo"] = package.is_demo
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = args.lang
    print(t("cli.summary_title", lang, source=package.display_name(lang)))
    print(t("cli.radius_line", lang, rule=rule.words(lang), crs=crs_words(s.reach.metric_crs, lang)))
    for ind in (s.play_point, s.child_friendly, s.school_toilet, s.psych_support):
        gaps = "; ".join(
            t("card.target", lang, year=g.year, target=fmt_pct(float(g.target), lang, trim=True))
            + " — " + (t("card.met", lang) if g.met else t(GAP_UNIT[ind.key], lang, n=fmt_int(g.needed, lang)))
            for g in ind.gaps
        )
        print(f"- {t('indicator.' + ind.key, lang)}: {fmt_int(ind.achieved, lang)}/{fmt_int(ind.total, lang)} ({fmt_pct(float(ind.share), lang)}); {gaps}")
    r = s.reach
    share = r.children_within / r.children_total if r.children_total else 0.0
    print("- " + t("card.reach", lang, within=rule.within(lang)) + ": "
          + t("card.reach_detail", lang, within=fmt_int(r.children_within, lang),
              total=fmt_int(r.children_total, lang), share=fmt_pct(share, lang)))
    from planner.reach import snapped_text

    if snapped_text(s.snapped, lang):
        print(snapped_text(s.snapped, lang))
    if package.is_demo:
        print(t("app.demo_note", lang))
    if rule.walking and package.manifest.get("terrain", {}).get("demo"):
        print(t("reach.demo_terrain", lang))
    return 0


def _rank(args) -> int:
    from planner.exports import check_field_names, check_format, parameters_csv, render
    from planner.io import DEMO_DIR, read_package
    from planner.analysis import Analysis
    from planner.ranking import check_weights, parse_weights, preset_weights

    out = Path(args.out)
    ext = check_format(out.suffix)
    check_field_names(args.field_names)
    if args.preset and args.weights:
        raise UsageError("err.rank_both")
    weights = check_weights(parse_weights(args.weights)) if args.weights else None
    if args.preset:
        preset_weights(args.preset)
    rule = _rule(args)
    package = read_package(args.data or DEMO_DIR)
    ranking = Analysis.of(package, reach=rule).ranking(preset=args.preset, weights=weights)
    data = render(ranking, package, args.lang, ext, field_names=args.field_names)
    side = _write_table(out, data, lambda: parameters_csv(ranking, package, args.lang))
    print(t("cli.rank_written", args.lang, n=len(ranking.table), out=out))
    if side:
        print(t("cli.params_written", args.lang, out=side))
    return 0


def _write_table(out: Path, data: bytes, params_csv) -> Path | None:
    """Write an export; a CSV goes with its parameters beside it (NAME.params.csv), both or
    neither. Returns the parameters file, if one was written."""
    from planner.exports import params_path
    from planner.io import write_bytes, write_files

    if out.suffix.lower() != ".csv":
        write_bytes(out, data)
        return None
    side = params_path(out)
    write_files({out: data, side: params_csv()})
    return side


def _number(value, key: str, cast=float):
    if value is None:
        return None
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise UsageError(key, value=value) from None


def _site(args) -> int:
    from planner.io import DEMO_DIR, read_package
    from planner.exports import check_field_names
    from planner.site_plan import SITE_FORMATS, SitingRequest, parameters_csv, render, run, summary_lines

    out = Path(args.out)
    if out.suffix.lower() not in SITE_FORMATS:
        raise UsageError("err.export_ext", ext=out.suffix or "-", known=", ".join(SITE_FORMATS))
    check_field_names(args.field_names)
    rule = _rule(args)
    request = SitingRequest.from_text(
        budget_vnd=args.budget_vnd, radius_m=rule.radius_m, target_year=args.target_year, method=args.method,
        max_new=args.max_new, sources=args.sources, default_cost_vnd=args.default_cost_vnd, time_limit_s=args.time_limit_s,
        reach_mode=rule.mode, minutes=rule.minutes)
    package = read_package(args.data or DEMO_DIR)
    sp = run(package, request)
    data = render(sp, package, args.lang, out.suffix, field_names=args.field_names)
    side = _write_table(out, data, lambda: parameters_csv(sp, package, args.lang))
    for line in summary_lines(sp, args.lang):
        print(line)
    print(t("cli.site_written", args.lang, n=len(sp.sites), out=out))
    if side:
        print(t("cli.params_written", args.lang, out=side))
    return 0


def _scenario(args) -> int:
    from dataclasses import replace

    from planner.analysis import Analysis
    from planner.briefs import comparison_table, figure_rows
    from planner.io import DEMO_DIR, read_package, write_bytes
    from planner.importing import worker
    from planner.scenario_file import to_gpkg
    from planner.scenarios import figures

    store, lang = _store(args), args.lang
    need = {"show": 1, "export": 1, "import": 1}.get(args.action)
    if args.action not in ("list", "show", "export", "import", "compare"):
        raise UsageError("err.usage", detail=f"scenario {args.action}: use list, show, export, import or compare")
    if need and len(args.names) != need or args.action == "compare" and not 2 <= len(args.names) <= 4:
        raise UsageError("err.usage", detail=f"scenario {args.action}: wrong number of names")
    if args.action == "list":
        for name in store.names():
            v = store.versions(name)[0]
            print(f"{name}\tv{v.version}\t{fmt_datetime(v.saved_at, lang)}\t{v.author}")
        return 0
    if args.action == "import":
        src = Path(args.names[0])
        if not src.is_file():
            raise UsageError("err.no_file", path=str(src))
        from planner.io import read_bytes

        incoming = worker.run("scenario_from_gpkg", read_bytes(src), name=src.name)  # read in the bounded worker
        saved = store.save(replace(incoming, name=args.as_name or incoming.name, version=0))
        print(t("scn.imported", lang, name=saved.name))
        return 0
    if args.action == "export":
        out = Path(args.out or f"{args.names[0]}.gpkg")
        if out.suffix.lower() != ".gpkg":
            raise UsageError("err.export_ext", ext=out.suffix or "-", known=".gpkg")
        write_bytes(out, to_gpkg(store.load(args.names[0])))
        print(out)
        return 0
    package = read_package(args.data or DEMO_DIR)
    analysis = Analysis.of(package)
    version = _number(args.version, "err.version", int) if args.version else None
    scenarios = [store.load(n, version) for n in args.names]
    if args.action == "show":
        s = scenarios[0]
        if args.json:
            from dataclasses import asdict

            print(json.dumps({"scenario": s.to_dict(), "figures": asdict(figures(analysis, s))}, ensure_ascii=False, indent=2, default=str))
        else:
            print(f"{s.name} (v{s.version}, {fmt_datetime(s.updated_at, lang)}, {s.author})")
            for k, v in figure_rows(figures(analysis, s), lang):
                print(f"- {k}: {v}")
        return 0
    table = comparison_table(analysis, scenarios, lang)
    print(table.to_string())
    return 0


def _report(args) -> int:
    from planner.analysis import Analysis
    from planner.briefs import brief_pdf, workbook
    from planner.io import DEMO_DIR, read_package, write_bytes

    if args.period:
        from planner.cli_progress import report_command

        return report_command(args)
    if not args.scenario:
        raise UsageError("err.usage", detail="report needs --scenario (a brief) or --period (the periodic report)")
    out = Path(args.out)
    ext = out.suffix.lower()
    if ext not in (".pdf", ".xlsx"):
        raise UsageError("err.export_ext", ext=out.suffix or "-", known=".pdf, .xlsx")
    if len(args.compare) > 3:
        raise UsageError("err.usage", detail="--compare takes at most 3 names")
    store = _store(args)
    scenarios = [store.load(n) for n in [args.scenario, *args.compare]]
    package = read_package(args.data or DEMO_DIR)
    analysis = Analysis.of(package)
    data = brief_pdf(analysis, scenarios, args.lang) if ext == ".pdf" else workbook(analysis, scenarios, args.lang)
    write_bytes(out, data)
    print(out)
    return 0


def _map(args) -> int:
    """A printable map; the time printed on it is $SOURCE_DATE_EPOCH when set (reproducible files)."""
    import os
    from datetime import datetime, timezone

    from planner.analysis import Analysis
    from planner.io import DEMO_DIR, read_package, write_bytes
    from planner.printmap import check_options, print_map
    from planner.ranking import preset_weights

    out = Path(args.out)
    view, paper, orientation, file_format = check_options(view=args.view, paper=args.paper, orientation=args.orientation,
                                                          file_format=out.suffix or "-", lang=args.lang)
    if args.preset:
        preset_weights(args.preset)
    rule = _rule(args)
    scenario = _store(args).load(args.scenario) if args.scenario else None
    analysis = Analysis.of(read_package(args.data or DEMO_DIR), reach=rule)
    if args.preset:  # an explicit preset outranks the scenario's weights
        ranking = (analysis.at(reach=scenario.reach_rule) if scenario else analysis).ranking(preset=args.preset)
    else:
        ranking = None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else None
    data = print_map(analysis, view=view, lang=args.lang, paper=paper, orientation=orientation, file_format=file_format,
                     scenario=scenario, ranking=ranking, now=now)
    write_bytes(out, data)
    print(t("cli.map_written", args.lang, out=out))
    return 0


def _demo(args) -> int:
    from planner.demo import write_demo

    write_demo(Path(args.out))
    print(t("cli.demo_written", args.lang, out=args.out))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(argv)
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "lang", DEFAULT_LANG) not in LANGS:
            raise UsageError("err.lang", value=args.lang)
        from planner.cli_accounts import HANDLERS as ACCOUNT_HANDLERS
        from planner.cli_import import HANDLERS
        from planner.cli_progress import progress_command, record_command

        return ({"summary": _summary, "rank": _rank, "site": _site, "scenario": _scenario, "report": _report,
                 "map": _map, "demo": _demo, "progress": progress_command, "record": record_command}
                | HANDLERS | ACCOUNT_HANDLERS)[args.command](args)
    except PlannerError as exc:
        print(exc.message(lang).replace("\n", " "), file=sys.stderr)
        return 2
