"""`python -m planner validate` and `python -m planner import`: the data import from the command line
(and `import-terrain`, in `planner.cli_terrain`).

`add_parsers(subparsers, parser_class)` adds the three commands; each parser's `handler` default is the
function to call with the parsed arguments. Exit codes: 0 valid / written, 1 problems found, 2 bad
usage (raised as UsageError for the caller to print).
"""
from __future__ import annotations

import json

from planner.errors import UsageError
from planner.formats import crs_words, fmt_int
from planner.i18n import DEFAULT_LANG, LANGS, t
from planner.importing.files import UploadError, read_upload

FILE_OPTIONS = (("communes", "communes"), ("communes-2024", "communes_2024"), ("villages", "villages"),
                ("play-points", "play_points"), ("schools", "schools"), ("toilets", "toilets"),
                ("candidate-sites", "candidate_sites"))


def add_parsers(subparsers, parser_class=None) -> None:
    """Add `validate` and `import` to an argparse subparsers object; `parser_class` (e.g. the CLI's
    parser that reports bad usage as one translated line) is used for both when given."""
    saved = subparsers._parser_class
    if parser_class is not None:
        subparsers._parser_class = parser_class
    try:
        _add(subparsers)
    finally:
        subparsers._parser_class = saved


def _add(subparsers) -> None:
    v = subparsers.add_parser("validate", help="check one file for import and print every problem")
    v.add_argument("file", help="CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile, KML or KMZ")
    v.add_argument("--kind", default=None, help="boundaries, villages, play_points, schools, toilets, candidate_sites or table")
    v.add_argument("--crs", default=None, help="CRS of a file without one: EPSG code or preset (vn2000_tm3_103, vn2000_utm48, ...)")
    v.add_argument("--encoding", default=None, help="utf-8, cp1258, tcvn3 or vni (default: detected)")
    v.add_argument("--sheet", default=None, help="workbook sheet or GIS layer")
    v.add_argument("--mapping", default=None, help="JSON file: {source column: field}")
    v.add_argument("--fix", action="append", default=[], help="apply a fix the report offers (swap_lonlat, swap_xy)")
    v.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    v.add_argument("--json", action="store_true", help="print one JSON object")
    v.set_defaults(handler=validate_command)
    i = subparsers.add_parser("import", help="convert uploads into a data package (written only when valid)")
    for option, _ in FILE_OPTIONS:
        i.add_argument(f"--{option}", default=None, required=option == "communes", help=f"{option} file")
    i.add_argument("--table", action="append", default=[], help="population / indicator table joined to communes (repeatable)")
    i.add_argument("--data", default=None, help="current data package: lists not given are kept from it")
    i.add_argument("--mode", default=None, choices=("add", "replace"),
                   help="with --data, for a list the package has: add the file's rows to it, or replace it (required then)")
    i.add_argument("--radius-m", default="2000",
                   help="with --data, the reach radius in metres of the children-within-reach figure (default 2000)")
    i.add_argument("--crs", default=None, help="CRS for files without one: EPSG code or preset")
    i.add_argument("--fix", action="append", default=[], help="apply a fix the report offers (swap_lonlat, swap_xy)")
    i.add_argument("--name", default="", help="package name")
    i.add_argument("--as-of", default=None, help="date of the data, YYYY-MM-DD")
    i.add_argument("--out", required=True, help="folder to write the package to")
    i.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    i.add_argument("--json", action="store_true", help="print the report as JSON")
    i.set_defaults(handler=import_command)
    from planner.cli_terrain import add_parser as add_terrain_parser

    add_terrain_parser(subparsers)


def _lang(args) -> str:
    if args.lang not in LANGS:
        raise UsageError("err.lang", value=args.lang)
    return args.lang


def _load(path: str) -> tuple[str, bytes]:
    """Bytes of an input file; a missing file is a usage error, an oversized one a problem."""
    try:
        return read_upload(path)
    except UploadError as exc:
        if exc.key == "err.imp_no_file":
            raise UsageError("err.imp_no_file", file=path) from None
        raise


def _mapping(path: str | None) -> dict | None:
    if path is None:
        return None
    from pathlib import Path

    from planner.importing.files import load_mappings

    if not Path(path).is_file():
        raise UsageError("err.imp_no_file", file=path)
    return {str(k): str(v) for k, v in load_mappings(path).items()}


def _print_report(plan, lang: str) -> None:
    from planner.importing import report_lines

    for s in plan.sources:
        crs = s.crs_guess or s.crs
        print(t("imp.cli_detected", lang, file=s.name, format=s.format, encoding=s.encoding or "-", rows=fmt_int(s.rows, lang),
                crs=crs_words(crs, lang) if crs else "-"))
    for line in report_lines(plan.problems, lang, machine=True):
        print("- " + line)
    for file, crs in plan.crs_guesses.items():
        print(t("imp.cli_confirm_crs", lang, crs=crs, words=crs_words(crs, lang)))
    for file, fix in plan.fixes:
        if fix != "confirm_crs":
            print(t("imp.cli_fix", lang, fix=fix, what=t(f"data.fix.{fix}", lang)))
    print(t("imp.cli_counts", lang, errors=len(plan.errors), warnings=len(plan.warnings)))


def effect_lines(effect, lang: str) -> list[str]:
    """What an import changes in the current package, as `planner.importing.effect_rows` tells it:
    a heading (naming the mode when a list was added to or replaced), then one line per row."""
    from planner.importing import effect_rows

    heading = t(f"imp.effect_heading_{effect.mode}" if effect.mode else "imp.effect_heading", lang)
    return [heading] + [f"  {label}: {change}" for label, change in effect_rows(effect, lang)]


def _plan_json(plan, lang: str) -> dict:
    from planner.importing import report_json

    return {
        "valid": plan.ok,
        "errors": len(plan.errors),
        "warnings": len(plan.warnings),
        "sources": [{"file": s.name, "kind": s.kind, "format": s.format, "encoding": s.encoding, "sheet": s.sheet,
                     "rows": s.rows, "crs": s.crs, "crs_guess": s.crs_guess, "columns": list(s.columns),
                     "mapping": dict(s.mapping)} for s in plan.sources],
        "fixes": [{"file": f, "fix": x} for f, x in plan.fixes],
        "problems": report_json(plan.problems, lang),
    }


def validate_command(args) -> int:
    """Check one file; print the report. 0 when it has no errors, 1 otherwise."""
    from planner.errors import Problem
    from planner.importing import ImportPlan, ImportSource, canonical_kind, worker

    lang = _lang(args)
    kind = canonical_kind(args.kind) if args.kind else None
    mapping = _mapping(args.mapping)
    try:
        name, data = _load(args.file)
    except UploadError as exc:
        plan = ImportPlan({}, (Problem(exc.key, dict(exc.params)),), (), {})
    else:
        kind = kind or worker.run("guess_kind", name, data)
        src = ImportSource(kind, name, data, crs=args.crs, encoding=args.encoding, mapping=mapping, sheet=args.sheet,
                           fixes=tuple(args.fix))
        try:
            plan = worker.run("prepare_import", [src], crs=args.crs, complete=False)
        except UploadError as exc:  # the worker stopped at a limit, or the reader crashed
            plan = ImportPlan({}, (Problem(exc.key, dict(exc.params)),), (), {})
    if args.json:
        print(json.dumps(_plan_json(plan, lang), ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(plan, lang)
        if plan.ok and plan.sources:
            print(t("imp.cli_valid", lang, file=plan.sources[0].name, rows=fmt_int(plan.sources[0].rows, lang)))
    return 0 if plan.ok else 1


def import_command(args) -> int:
    """Convert the given files into a data package at --out, only when the report has no errors.
    With --data, a list file for a list the package has needs --mode (add or replace); what the
    import changes (rows, play points, communes with a point, children within --radius-m) is printed
    before anything is written."""
    from planner.coverage import check_radius
    from planner.importing import ImportSource, import_effect, lists_needing_mode, worker, write_import

    lang = _lang(args)
    radius = check_radius(args.radius_m)
    package = None
    if args.data:
        from planner.io import read_package

        package = read_package(args.data)
    sources = []
    wanted = [(kind, getattr(args, option.replace("-", "_"))) for option, kind in FILE_OPTIONS] + [("table", p) for p in args.table]
    for kind, path in wanted:
        if not path:
            continue
        try:
            name, data = _load(path)
        except UploadError as exc:  # e.g. over the size limit: a problem with the file, not with the command
            print("- " + t("imp.severity_error", lang) + ": " + exc.message(lang))
            print(t("imp.cli_not_written", lang))
            return 1
        sources.append(ImportSource(kind, name, data, fixes=tuple(args.fix)))
    try:
        plan = worker.run("prepare_import", sources, package=package, crs=args.crs, name=args.name, as_of=args.as_of,
                          mode=args.mode)
    except UploadError as exc:  # the worker stopped at a limit, or the reader crashed: nothing written
        print("- " + t("imp.severity_error", lang) + ": " + exc.message(lang))
        print(t("imp.cli_not_written", lang))
        return 1
    effect = import_effect(plan, package, radius_m=radius) if package is not None and plan.ok else None
    if args.mode and not args.json and not lists_needing_mode((s.kind for s in sources), package):
        print(t("imp.cli_mode_unused", lang, mode=args.mode))
    if args.json:
        record = _plan_json(plan, lang) | ({"effect": effect.to_json()} if effect is not None else {})
        print(json.dumps(record, ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(plan, lang)
        for line in effect_lines(effect, lang) if effect is not None else []:
            print(line)
    if not plan.ok:
        if not args.json:
            print(t("imp.cli_not_written", lang))
        return 1
    out = write_import(plan, args.out)
    if not args.json:
        print(t("imp.cli_written", lang, out=out))
    return 0


def _import_terrain(args) -> int:
    from planner.cli_terrain import import_terrain_command

    return import_terrain_command(args)


HANDLERS = {"validate": validate_command, "import": import_command, "import-terrain": _import_terrain}
