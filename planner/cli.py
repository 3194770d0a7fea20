"""`python -m planner ...`: the same computations as the app, for batch work and scripts."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.errors import PlannerError, UsageError
from planner.i18n import DEFAULT_LANG, LANGS, fmt_int, fmt_pct, t


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
    s.add_argument("--radius-m", default="2000", help="reach radius in metres (default 2000)")
    s.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    r = sub.add_parser("rank", help="rank communes for land and investment; write CSV/XLSX/GeoJSON/GPKG")
    r.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    r.add_argument("--preset", default=None, help="balanced (default), equity_first or target_fastest")
    r.add_argument("--weights", default=None, help="custom weights, e.g. no_point=3,children=1")
    r.add_argument("--radius-m", default="2000", help="reach radius in metres (default 2000)")
    r.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    r.add_argument("--out", required=True, help="output file: .csv, .xlsx, .geojson or .gpkg")
    si = sub.add_parser("site", help="choose new sites within a budget; write CSV/XLSX/GeoJSON")
    si.add_argument("--data", default=None, help="data package folder (default: bundled demo)")
    si.add_argument("--budget-vnd", required=True, help="budget in VND, e.g. 20000000000")
    si.add_argument("--radius-m", default="2000", help="reach radius in metres (default 2000)")
    si.add_argument("--target-year", default=None, help="2025 or 2030: reach that commune target first")
    si.add_argument("--method", default="exact", help="exact (default) or greedy")
    si.add_argument("--max-new", default=None, help="most new points")
    si.add_argument("--sources", default="candidate_sites,school_grounds,villages", help="comma list of candidate sources")
    si.add_argument("--default-cost-vnd", default="1500000000", help="cost of a village point (school grounds: 60%%)")
    si.add_argument("--time-limit-s", default="60", help="time limit of the exact solver")
    si.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    si.add_argument("--out", required=True, help="output file: .csv, .xlsx or .geojson")
    d = sub.add_parser("demo", help="rebuild the Lai Châu demo data package")
    d.add_argument("--out", required=True, help="folder to write the package to")
    d.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    return parser


def _summary(args) -> int:
    from planner.coverage import check_radius
    from planner.io import DEMO_DIR, read_package
    from planner.summary import summarize

    radius = check_radius(args.radius_m)
    package = read_package(args.data or DEMO_DIR)
    s = summarize(package, radius_m=radius)
    if args.json:
        out = s.to_json()
        out["data"] = package.source
        out["demo"] = package.is_demo
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = args.lang
    print(t("cli.summary_title", lang, source=package.display_name(lang)))
    print(t("cli.radius_line", lang, radius=fmt_int(radius, lang), crs=s.reach.metric_crs))
    for ind in (s.play_point, s.child_friendly, s.school_toilet, s.psych_support):
        gaps = "; ".join(
            t("card.target", lang, year=g.year, target=fmt_pct(float(g.target), lang))
            + " — " + (t("card.met", lang) if g.met else t(GAP_UNIT[ind.key], lang, n=fmt_int(g.needed, lang)))
            for g in ind.gaps
        )
        print(f"- {t('indicator.' + ind.key, lang)}: {ind.achieved}/{ind.total} ({fmt_pct(float(ind.share), lang)}); {gaps}")
    r = s.reach
    share = r.children_within / r.children_total if r.children_total else 0.0
    print("- " + t("card.reach", lang, radius=fmt_int(radius, lang)) + ": "
          + t("card.reach_detail", lang, within=fmt_int(r.children_within, lang),
              total=fmt_int(r.children_total, lang), share=fmt_pct(share, lang)))
    if package.is_demo:
        print(t("app.demo_note", lang))
    return 0


def _rank(args) -> int:
    from planner.coverage import check_radius
    from planner.exports import check_format, render
    from planner.io import DEMO_DIR, read_package, write_bytes
    from planner.ranking import check_weights, parse_weights, preset_weights, rank

    out = Path(args.out)
    ext = check_format(out.suffix)
    if args.preset and args.weights:
        raise UsageError("err.rank_both")
    weights = check_weights(parse_weights(args.weights)) if args.weights else None
    if args.preset:
        preset_weights(args.preset)
    radius = check_radius(args.radius_m)
    package = read_package(args.data or DEMO_DIR)
    ranking = rank(package, weights=weights, preset=args.preset, radius_m=radius)
    write_bytes(out, render(ranking, package, args.lang, ext))
    print(t("cli.rank_written", args.lang, n=len(ranking.table), out=out))
    return 0


def _number(value, key: str, cast=float):
    if value is None:
        return None
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise UsageError(key, value=value) from None


def _site(args) -> int:
    from planner.candidates import candidates_from_package, site
    from planner.coverage import check_radius
    from planner.io import DEMO_DIR, read_package, write_bytes
    from planner.site_plan import SITE_FORMATS, plan, render, summary_lines

    out = Path(args.out)
    if out.suffix.lower() not in SITE_FORMATS:
        raise UsageError("err.export_ext", ext=out.suffix or "-", known=", ".join(SITE_FORMATS))
    radius = check_radius(args.radius_m)
    year = _number(args.target_year, "err.siting_year", int) if args.target_year else None
    max_new = _number(args.max_new, "err.siting_max_new", int) if args.max_new else None
    sources = tuple(s.strip() for s in args.sources.split(",") if s.strip())
    package = read_package(args.data or DEMO_DIR)
    candidates = candidates_from_package(package, sources=sources, default_cost_vnd=args.default_cost_vnd)
    result = site(package, candidates, radius_m=radius, budget_vnd=args.budget_vnd, method=args.method,
                  max_new=max_new, target_year=year, time_limit_s=_number(args.time_limit_s, "err.siting_time"))
    sp = plan(package, candidates, result, radius_m=radius, budget_vnd=float(args.budget_vnd), target_year=year,
              max_new=max_new, sources=sources)
    write_bytes(out, render(sp, package, args.lang, out.suffix))
    for line in summary_lines(sp, package, args.lang):
        print(line)
    print(t("cli.site_written", args.lang, n=len(sp.sites), out=out))
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
        return {"summary": _summary, "rank": _rank, "site": _site, "demo": _demo}[args.command](args)
    except PlannerError as exc:
        print(exc.message(lang).replace("\n", " "), file=sys.stderr)
        return 2
