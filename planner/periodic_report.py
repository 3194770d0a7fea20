"""The periodic report ("Báo cáo kết quả thực hiện") and the progress tables, in the reader's words.

The tables made here are the ones the "Tiến độ" page shows, the CLI prints and the DOCX/PDF
carry (`planner.report_files`), so the three cannot disagree. A period is a year, the mid-term
review (sơ kết, 2024–2025) or the final review (tổng kết, 2024–2030); a period still running is
reported up to today, and the report says so.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import geopandas as gpd
import pandas as pd
import shapely

from planner.errors import UsageError
from planner.formats import VN_TZ, fmt_date, fmt_int, fmt_pct, fmt_vnd
from planner.i18n import t
from planner.package import DataPackage
from planner.progress import FUNDING_KEYS, LAST_YEAR, PROGRAMME_START, Progress
from planner.report_model import ChartData, MapData, ReportContent, Section, Table

@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # the period's last day (may lie ahead of today)

    def label(self, lang: str) -> str:
        if self.kind == "year":
            return t("report.period_year", lang, year=self.start.year)
        return t(f"report.period_{self.kind}", lang, start=self.start.year, end=self.end.year)

    def until(self, today: date) -> date:
        """The last day the report can speak of."""
        return min(self.end, today)


def period(text: str, *, today: date) -> Period:
    """A period from "2025", "midterm"/"sơ kết" or "final"/"tổng kết"; UsageError otherwise."""
    word = str(text).strip().lower()
    if word in ("midterm", "mid-term", "sơ kết", "so ket", "so_ket"):
        return Period("midterm", date(PROGRAMME_START, 1, 1), date(2025, 12, 31))
    if word in ("final", "tổng kết", "tong ket", "tong_ket"):
        return Period("final", date(PROGRAMME_START, 1, 1), date(LAST_YEAR, 12, 31))
    if word.isdigit() and 2000 <= int(word) <= today.year:
        return Period("year", date(int(word), 1, 1), date(int(word), 12, 31))
    raise UsageError("err.report_period", value=str(text)[:40], last=today.year)


def _status(n: int, required: int, lang: str, *, unit: str = "communes") -> str:
    return t("report.met", lang) if n >= required else t(f"report.short_{unit}", lang, n=required - n)


def _name_order(names) -> list:
    """Sort keys that put Vietnamese names in dictionary order (Bản before Bum), not code-point order."""
    from planner.names import fold

    return [(fold(n), n) for n in names]


def targets_table(p: Progress, lang: str, *, first: int | None = None, last: int | None = None) -> Table:
    """Each year's end (today for this year): communes with a point against the 2025 target up to
    2025 and the 2030 target after, children within reach."""
    rows = []
    for f in p.years:
        if (first and f.year < first) or (last and f.year > last):
            continue
        target = p.target(2025 if f.year <= 2025 else 2030)
        rows.append((
            str(f.year) if f.day.month == 12 and f.day.day == 31 else t("report.year_so_far", lang, year=f.year,
                                                                         day=fmt_date(f.day, lang)),
            f"{f.communes_with_point}/{p.communes_total}", fmt_pct(float(f.indicator.share), lang),
            t("report.target_cell", lang, year=target.year, share=fmt_pct(float(target.target), lang, 0),
              n=target.required),
            _status(f.communes_with_point, target.required, lang),
            fmt_int(f.points_in_use, lang), fmt_int(f.children_within, lang)))
    header = tuple(t(f"report.col.{k}", lang) for k in ("year", "communes", "share", "target", "result", "points",
                                                          "children"))
    return Table(t("report.targets_title", lang), header, tuple(rows),
                 note=t("report.targets_note", lang, rule=p.rule.words(lang)), numeric=(1, 2, 5, 6))


def target_lines(p: Progress, lang: str, *, until: date | None = None) -> tuple[str, ...]:
    """The two sentences every report opens with: the 2025 target met (on which day) or missed by
    how many communes, and the 2030 gap at `until` (default: the figures' day)."""
    if until is not None and until < p.today:
        p = replace(p, today=until, years=tuple(f for f in p.years if f.day <= until),
                    targets=p.targets_on(until))
    t25, t30 = p.target(2025), p.target(2030)
    share25 = fmt_pct(float(t25.target), lang, 0)
    if t25.reached_on is not None:
        first = t("report.t2025_met", lang, share=share25, n=t25.required, day=fmt_date(t25.reached_on, lang))
    elif t25.final:
        first = t("report.t2025_missed", lang, share=share25, n=t25.required, achieved=t25.achieved,
                  total=p.communes_total, short=t25.short, end=fmt_date(date(2025, 12, 31), lang))
    else:
        first = t("report.t2025_open", lang, share=share25, n=t25.required, short=t25.short)
    today = fmt_date(p.today, lang)
    if t30.short:
        second = t("report.t2030_gap", lang, share=fmt_pct(float(t30.target), lang, 0), n=t30.required,
                   achieved=t30.achieved, total=p.communes_total, short=t30.short, day=today)
    else:
        second = t("report.t2030_met", lang, share=fmt_pct(float(t30.target), lang, 0), n=t30.required,
                   day=fmt_date(t30.reached_on, lang))
    return first, second


def others_table(p: Progress, lang: str) -> Table:
    rows = []
    for ind in p.others:
        rows.append((t(f"indicator.{ind.key}", lang), f"{ind.achieved}/{ind.total}", fmt_pct(float(ind.share), lang),
                     *(_status(ind.achieved, g.required, lang, unit="communes" if ind.key == "child_friendly"
                               else "schools") + f" ({fmt_pct(float(g.target), lang, trim=True)})"
                       for g in ind.gaps)))
    header = (t("report.col.indicator", lang), t("report.col.achieved", lang), t("report.col.share", lang),
              t("report.col.target_year", lang, year=2025), t("report.col.target_year", lang, year=2030))
    return Table(t("report.others_title", lang, day=fmt_date(p.data_date, lang)), header, tuple(rows),
                 note=t("report.others_note", lang), numeric=(1, 2))


def _opened(p: Progress, start: date, end: date) -> pd.DataFrame:
    """The openings in the period (a point reopened counts again), with their point's name, kind,
    commune and place."""
    rows = [dict(id=o.point_id, in_use_from=o.on, cost_vnd=o.cost_vnd, funding=o.funding)
            for o in p.openings if start <= o.on <= end]
    frame = pd.DataFrame(rows, columns=["id", "in_use_from", "cost_vnd", "funding"]).set_index("id")
    return frame.join(p.known[["name", "kind", "commune_code", "lon", "lat"]])


def opened_table(p: Progress, lang: str, *, start: date, end: date, communes: dict[str, str]) -> Table:
    """The points first in use in the period, by commune."""
    pts = _opened(p, start, end)
    pts = pts.assign(_c=[communes.get(c, c) for c in pts["commune_code"]])
    pts = pts.assign(_k=_name_order(pts["_c"])).sort_values(["_k", "in_use_from", "name"])
    rows = tuple((c, str(r["name"]), t(f"point_kind.{r['kind']}", lang), fmt_date(r["in_use_from"], lang),
                  "—" if r["cost_vnd"] is None or r["cost_vnd"] != r["cost_vnd"] else fmt_vnd(r["cost_vnd"], lang),
                  t(f"funding.{r['funding']}", lang) if r["funding"] else "—")
                 for c, (_, r) in zip(pts["_c"], pts.iterrows()))
    header = tuple(t(f"report.col.{k}", lang) for k in ("commune", "point", "kind", "opened", "cost", "funding"))
    return Table(t("report.opened_title", lang), header, rows, numeric=(4,))


def spending_table(p: Progress, lang: str, *, start: date, end: date) -> Table:
    pts = _opened(p, start, end)
    rows, n_all, vnd_all = [], 0, 0
    for f in FUNDING_KEYS:
        mine = pts[(pts["funding"].replace("", "unknown") == f)]
        known = mine["cost_vnd"].dropna()
        rows.append((t(f"report.funding.{f}", lang), fmt_int(len(mine), lang), fmt_vnd(int(known.sum()), lang)))
        n_all, vnd_all = n_all + len(mine), vnd_all + int(known.sum())
    rows.append((t("report.total", lang), fmt_int(n_all, lang), fmt_vnd(vnd_all, lang)))
    unknown = int(pts["cost_vnd"].isna().sum())
    header = tuple(t(f"report.col.{k}", lang) for k in ("funding", "count", "cost"))
    return Table(t("report.spending_title", lang), header, tuple(rows), numeric=(1, 2),
                 note=t("report.spending_note", lang, n=unknown) if unknown else "")


def without_point_table(p: Progress, package: DataPackage, lang: str, *, year: int) -> Table:
    col = year if year in p.by_commune.columns else p.by_commune.columns[-1]
    lacking = p.by_commune[p.by_commune[col] == 0]
    children = package.communes.set_index("code")["children"]
    rows = tuple((str(code), str(r["name"]), fmt_int(int(children.get(code, 0)), lang))
                 for code, r in lacking.assign(_k=_name_order(lacking["name"])).sort_values("_k").iterrows())
    header = tuple(t(f"report.col.{k}", lang) for k in ("code", "commune", "children_all"))
    return Table(t("report.without_title", lang, n=len(rows), total=p.communes_total), header, rows, numeric=(2,))


def plan_table(p: Progress, lang: str) -> Table:
    """A scenario's plan against what was realised, by year (— for years ahead)."""
    def n(v, money=False):
        return "—" if v is None else (fmt_vnd(v, lang) if money else fmt_int(v, lang))

    rows = tuple((str(r.year), n(r.planned_points), n(r.realised_points), n(r.planned_communes), n(r.realised_communes),
                  n(r.planned_children), n(r.realised_children), n(r.planned_vnd, True), n(r.realised_vnd, True))
                 for r in p.plan)
    header = (t("report.col.year", lang), *(t(f"report.col.{k}_{w}", lang) for k in ("points", "communes", "children",
                                                                                        "cost")
                                             for w in ("planned", "done")))
    return Table(t("report.plan_title", lang, name=p.scenario), header, rows, numeric=tuple(range(1, 9)),
                 note=t("report.plan_note", lang))


def chart_data(p: Progress, lang: str, *, last: int | None = None) -> ChartData:
    """The yearly shares (up to the year `last`, when given) against the targets, to 2030."""
    years = tuple(range(p.years[0].year if p.years else PROGRAMME_START, LAST_YEAR + 1))
    done = {f.year: float(f.indicator.share) for f in p.years if last is None or f.year <= last}
    planned = {r.year: r.planned_communes / p.communes_total for r in p.plan}
    return ChartData(
        title=t("report.chart_title", lang), years=years, shares=tuple(done.get(y) for y in years),
        targets=tuple((c.year, float(c.target), t("report.chart_target", lang, year=c.year,
                                                   share=fmt_pct(float(c.target), lang, 0))) for c in p.targets),
        planned=tuple(planned.get(y) for y in years) if p.plan else (), series_label=t("report.chart_done", lang),
        planned_label=t("report.chart_planned", lang, name=p.scenario) if p.plan else "",
        y_label=t("report.chart_y", lang), lang=lang)


def map_data(p: Progress, package: DataPackage, lang: str, *, start: date, end: date) -> MapData:
    col = end.year if end.year in p.by_commune.columns else p.by_commune.columns[-1]
    has = p.by_commune[col] > 0
    communes = package.communes[["code", "name", "geometry"]].assign(has_point=package.communes["code"].map(has).fillna(False)
                                                                   .astype(bool).to_numpy())
    pts = p.points[p.points["lon"].notna()]
    at_end = next((f.in_use for f in p.years if f.year == col), frozenset())

    def frame(sel):
        sel = sel[sel["lon"].notna()]
        return gpd.GeoDataFrame({"id": sel.index.astype(str), "name": sel["name"].astype(str).to_numpy()},
                                geometry=shapely.points(sel[["lon", "lat"]].to_numpy(float)) if len(sel) else [], crs=4326)

    in_use = pts[pts.index.isin(list(at_end))]  # in use at the period's end, not today
    return MapData(
        title=t("report.map_title", lang, day=fmt_date(end, lang)), communes=communes, in_use=frame(in_use),
        opened=frame(_opened(p, start, end)),
        legend={k: t(f"report.legend.{k}", lang) for k in ("has_point", "no_point", "in_use", "opened")},
        note=t("report.demo_note", lang) if package.is_demo else "", lang=lang)


def report_content(p: Progress, package: DataPackage, per: Period, lang: str, *, now: datetime) -> ReportContent:
    """The periodic report for `per`, every figure from `p` (the page's and the CLI's)."""
    until = per.until(p.today)
    communes = dict(zip(package.communes["code"].astype(str), package.communes["name"].astype(str)))
    province = str(package.manifest.get("province") or "Tỉnh Lai Châu")
    place = province.replace("Tỉnh ", "").replace("tỉnh ", "")
    local = now.astimezone(VN_TZ)
    intro = [t("report.intro", lang, period=per.label(lang), day=fmt_date(until, lang), rule=p.rule.words(lang)),
             *target_lines(p, lang, until=until)]
    if until < per.end:
        intro.append(t("report.running", lang, end=fmt_date(per.end, lang), day=fmt_date(until, lang)))
    if package.is_demo:
        intro.append(t("report.demo_note", lang))
    for code, n in sorted(p.caveats.items()):
        intro.append(t(f"report.caveat.{code}", lang, n=n))
    sections = [
        Section(t("report.s1", lang), tables=(targets_table(p, lang, first=per.start.year, last=until.year),
                                              others_table(p, lang)), chart=True),
        Section(t("report.s2", lang), tables=(opened_table(p, lang, start=per.start, end=until, communes=communes),
                                              spending_table(p, lang, start=per.start, end=until))),
        Section(t("report.s3", lang), tables=(without_point_table(p, package, lang, year=until.year),), map=True),
    ]
    if p.plan:
        sections.append(Section(t("report.s4", lang), tables=(plan_table(p, lang),)))
    return ReportContent(
        lang=lang, issuer=tuple(t("report.issuer", lang, place=place.upper()).split("\n")),
        motto=(t("report.motto", lang), "", t("report.place_date", lang, place=place, d=f"{local.day:02d}",
                                             m=f"{local.month:02d}", y=local.year) if lang == "vi"
               else f"{place}, {fmt_date(local.date(), lang)}"),
        title=t("report.title", lang), subtitle=t("report.subtitle", lang, period=per.label(lang)),
        intro=tuple(intro), sections=tuple(sections), chart=chart_data(p, lang, last=until.year),
        map=map_data(p, package, lang, start=per.start, end=until),
        closing=tuple(t("report.closing", lang).split("\n")), signer=tuple(t("report.signer", lang).split("\n")),
        doc_title=f"{t('report.title', lang)} {t('report.subtitle', lang, period=per.label(lang))}",
        doc_author=t("report.author", lang), doc_subject=t("report.subject", lang))
