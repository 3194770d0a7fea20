"""`python -m planner import-terrain`: an elevation model (and paths, rivers and lakes) into a new
copy of a data package, from the command line (issue 15).

    python -m planner import-terrain --package DIR --dem F [F ...] [--paths F] [--barriers F]
        [--margin-m 3000] [--out DIR] [--lang vi|en] [--json]

The package is never changed: the copy with the terrain goes to --out, or beside it as
DIR-dia-hinh; a folder that exists gets -2, -3... (`planner.io.unused_folder`). Every file is read in
the bounded worker. Exit codes as `planner import`: 0 written, 1 problems found (nothing written),
2 bad usage (raised as UsageError for the caller to print).
"""
from __future__ import annotations

import json
from pathlib import Path

from planner.errors import UsageError
from planner.i18n import DEFAULT_LANG, LANGS, t


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("import-terrain", help="add an elevation model (DEM), paths and rivers/lakes to a copy "
                                                     "of a data package, for walking time")
    p.add_argument("--package", required=True, help="the data package folder to copy")
    p.add_argument("--dem", nargs="+", required=True, help="DEM tiles: GeoTIFF (.tif), SRTM (.hgt), or .zip of them")
    p.add_argument("--paths", default=None, help="roads, tracks and paths: GeoJSON, GeoPackage, zipped Shapefile, "
                                                 "KML/KMZ or OpenStreetMap .osm.pbf")
    p.add_argument("--barriers", default=None, help="rivers and lakes, in the same formats")
    p.add_argument("--margin-m", default="3000", help="margin kept around the province, metres (default 3000)")
    p.add_argument("--out", default=None, help="folder for the new package (default: beside --package, DIR-dia-hinh)")
    p.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=import_terrain_command)


def _upload(path: str):
    """A file to read; a missing one is a usage error."""
    from planner.importing.files import UploadError, read_upload
    from planner.terrain import Upload

    try:
        return Upload(*read_upload(path))
    except UploadError as exc:
        if exc.key == "err.imp_no_file":
            raise UsageError("err.imp_no_file", file=path) from None
        raise


def import_terrain_command(args) -> int:
    """Check the files, print the report, and write the new package only when it has no errors."""
    from planner.importing import report_lines
    from planner.importing.files import UploadError
    from planner.io import read_package, unused_folder
    from planner.terrain_import import check_margin, prepare_terrain, report_json, report_rows, write_terrain

    lang = args.lang
    if lang not in LANGS:
        raise UsageError("err.lang", value=lang)
    margin = check_margin(args.margin_m)
    package = read_package(args.package)
    try:
        dem = [_upload(p) for p in args.dem]
        paths = _upload(args.paths) if args.paths else None
        barriers = _upload(args.barriers) if args.barriers else None
    except UploadError as exc:  # e.g. over the size limit: a problem with the file, not with the command
        print("- " + t("imp.severity_error", lang) + ": " + exc.message(lang))
        print(t("imp.cli_not_written", lang))
        return 1
    plan = prepare_terrain(package, dem, paths=paths, barriers=barriers, margin_m=margin)
    out = None
    if plan.ok:
        source = Path(args.package).resolve()
        out = write_terrain(plan, package, unused_folder(args.out or source.with_name(f"{source.name}-dia-hinh")))
    if args.json:
        print(json.dumps(report_json(plan, lang) | {"out": str(out) if out else None}, ensure_ascii=False, indent=2,
                         default=str))
        return 0 if out else 1
    for label, value in report_rows(plan, lang):
        print(f"{label}: {value}")
    for line in report_lines(plan.problems, lang, machine=True):
        print("- " + line)
    print(t("imp.cli_counts", lang, errors=len(plan.errors), warnings=len(plan.warnings)))
    print(t("ter.cli_written", lang, out=out) if out else t("imp.cli_not_written", lang))
    return 0 if out else 1
