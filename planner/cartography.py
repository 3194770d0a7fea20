"""Pieces of a printed map, drawn offline with matplotlib: paper sizes, a page frame that fits the
map to its shape, a legend block, a km scale bar, a north arrow and labels that do not collide.

Map axes are in metres of a metric CRS (UTM): a scale bar measured in them is true, and a circle
of radius r metres is the reach of a point. Figures are `matplotlib.figure.Figure` objects, never
pyplot's global state: one server draws for many users at once.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.patches import Circle, FancyBboxPatch, Polygon, Rectangle
from matplotlib import patheffects
from matplotlib.transforms import Bbox

from planner.formats import fmt_num

PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}  # ISO 216, portrait (width, height)
MM_PER_IN = 25.4
_MEASURE = TextToPath()  # measures text without drawing it
EDGE = "#37474f"
# every text is drawn as typed: parse_math=False, so a '$' in a name is a dollar sign, not mathematics
HALO = [patheffects.Stroke(linewidth=2.0, foreground="white")]  # a halo drawn as outlines, under the real text


def paper_inches(paper: str, orientation: str) -> tuple[float, float]:
    """(width, height) of an ISO sheet in inches."""
    w, h = (x / MM_PER_IN for x in PAPER_MM[paper])
    return (h, w) if orientation == "landscape" else (w, h)


def new_figure(width_in: float, height_in: float, *, dpi: float = 150) -> Figure:
    """A figure with its own Agg canvas (text extents can be measured), PDF fonts as Type 42 (the
    text stays text: it can be searched and copied)."""
    matplotlib.rcParams["pdf.fonttype"] = 42
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, file_format: str, *, dpi: float = 150, title: str = "", lang: str = "vi") -> bytes:
    """The figure as PDF or PNG bytes; no timestamp inside, so the same map gives the same bytes.
    The file's properties (what a PDF viewer shows) name the tool in the reader's language."""
    from planner.i18n import t

    tool = t("app.tool_name", lang)
    meta = ({"Title": title, "Author": tool, "Creator": tool, "Subject": title, "CreationDate": None}
            if file_format == "pdf" else {"Software": tool, "Title": title})
    buf = io.BytesIO()
    fig.savefig(buf, format=file_format, dpi=dpi, metadata=meta)
    return buf.getvalue()


def axes_at(fig: Figure, x: float, y: float, w: float, h: float):
    """Axes at a rectangle given in inches from the figure's lower left corner."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((x / fw, y / fh, w / fw, h / fh))


def frame(page_w: float, page_h: float, aspect: float, *, top: float, bottom: float, margin: float,
          panel_min: float, gap: float = 0.15) -> tuple[tuple, tuple]:
    """Rectangles (x, y, w, h) in inches of the map frame and of the panel beside it or below it,
    whichever shows the map (of shape `aspect`, width/height) larger. Beside: the frame runs the
    body's full height; below: the frame is as tall as the map needs and the panel takes the rest."""
    body_w, body_h = page_w - 2 * margin, page_h - top - bottom
    side_w = min(body_w - panel_min - gap, body_h * aspect)
    low_h = min(body_h - panel_min - gap, body_w / aspect)
    if min(side_w, body_h * aspect) >= min(body_w, low_h * aspect):
        return (margin, bottom, side_w, body_h), (margin + side_w + gap, bottom, body_w - side_w - gap, body_h)
    return (margin, bottom + body_h - low_h, body_w, low_h), (margin, bottom, body_w, body_h - low_h - gap)


def map_axes(fig: Figure, rect: tuple, bounds, *, pad: float = 0.02):
    """Axes in metres showing `bounds` (minx, miny, maxx, maxy) at equal scale, centred, filling the
    rectangle (the shorter side of the extent is widened), with a thin frame."""
    ax = axes_at(fig, *rect)
    minx, miny, maxx, maxy = bounds
    w, h = (maxx - minx) * (1 + 2 * pad), (maxy - miny) * (1 + 2 * pad)
    k = max(w / rect[2], h / rect[3])  # metres per inch
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - rect[2] * k / 2, cx + rect[2] * k / 2)
    ax.set_ylim(cy - rect[3] * k / 2, cy + rect[3] * k / 2)
    ax.set_aspect("equal", adjustable="box")
    ax.set_autoscale_on(False)
    bare(ax)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_color("#263238")
    return ax


def bare(ax) -> None:
    """No ticks or axis titles on a map (geopandas names the CRS axes when it plots)."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def metres_per_inch(ax) -> float:
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (ax.get_position().width * ax.figure.get_size_inches()[0])


def corner_boxes(ax, w_in: float, h_in: float, inset_in: float = 0.08) -> dict[str, tuple]:
    """Boxes (x0, y0, x1, y1) in data units of `w_in` × `h_in` inches in each corner of the map."""
    k = metres_per_inch(ax)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    w, h, i = w_in * k, h_in * k, inset_in * k
    return {"lower left": (x0 + i, y0 + i, x0 + i + w, y0 + i + h), "lower right": (x1 - i - w, y0 + i, x1 - i, y0 + i + h),
            "upper left": (x0 + i, y1 - i - h, x0 + i + w, y1 - i), "upper right": (x1 - i - w, y1 - i - h, x1 - i, y1 - i)}


def emptiest(boxes: dict[str, tuple], outline, taken: tuple[str, ...] = ()) -> str:
    """The corner whose box covers the least of `outline` (a shapely geometry), not in `taken`."""
    from shapely.geometry import box

    free = {k: v for k, v in boxes.items() if k not in taken}
    return min(free, key=lambda k: outline.intersection(box(*free[k])).area)


def _backing(ax, x0, y0, x1, y1) -> None:
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0",
                                facecolor="white", edgecolor="#90a4ae", linewidth=0.5, alpha=0.9, zorder=8))


NICE_KM = (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500)


def scale_bar(ax, box: tuple, *, lang: str, fontsize: float) -> tuple:
    """A km scale bar (four alternating segments, the longest round length that fits `box`) in the
    lower left of `box`, measured in the axes' metres. Returns the box it takes."""
    x0, y0, x1, y1 = box
    k = metres_per_inch(ax)
    room_km = (x1 - x0 - 0.45 * k) / 1000
    length_km = max((v for v in NICE_KM if v <= room_km), default=NICE_KM[0])
    left, base, bar_h, seg = x0 + 0.14 * k, y0 + 0.09 * k, 0.05 * k, length_km * 1000 / 4
    used = (x0, y0, left + length_km * 1000 + 0.31 * k, y1)
    _backing(ax, *used)
    for i in range(4):
        ax.add_patch(Rectangle((left + i * seg, base), seg, bar_h, facecolor="#263238" if i % 2 == 0 else "white",
                               edgecolor="#263238", linewidth=0.5, zorder=9))
    for frac in (0, 0.5, 1):
        text = fmt_num(length_km * frac, lang, 1, trim=True) + (" km" if frac == 1 else "")
        ax.text(left + frac * length_km * 1000, base + bar_h + 0.03 * k, text, ha="center", va="bottom",
                fontsize=fontsize, zorder=10, parse_math=False)
    return used


def north_arrow(ax, box: tuple, *, label: str, fontsize: float, rotation_deg: float = 0.0) -> None:
    """An arrow pointing to true north (`rotation_deg` from grid north, counter-clockwise), with
    its letter, centred in `box`."""
    x0, y0, x1, y1 = box
    _backing(ax, *box)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 - (y1 - y0) * 0.12
    r = min(x1 - x0, y1 - y0) * 0.32
    a = math.radians(rotation_deg)

    def turn(dx, dy):
        return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)

    tip, left, right, notch = turn(0, r), turn(-0.55 * r, -r), turn(0.55 * r, -r), turn(0, -0.45 * r)
    ax.add_patch(Polygon([tip, left, notch], closed=True, facecolor="white", edgecolor="#263238", linewidth=0.7, zorder=9))
    ax.add_patch(Polygon([tip, notch, right], closed=True, facecolor="#263238", edgecolor="#263238", linewidth=0.7, zorder=9))
    lx, ly = turn(0, r * 1.12)
    ax.text(lx, ly, label, ha="center", va="bottom", fontsize=fontsize, fontweight="bold", zorder=10, parse_math=False)


def true_north_deg(crs: str, x: float, y: float) -> float:
    """Angle of true north from grid north at (x, y) in `crs`, counter-clockwise, in degrees."""
    from pyproj import Transformer

    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    ahead = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lon, lat = back.transform(x, y)
    nx, ny = ahead.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(-(nx - x), ny - y))


def furniture(ax, outline, *, crs: str, lang: str, north: str, fontsize: float, scale: float = 1.0) -> list[tuple]:
    """A km scale bar and a north arrow (lettered `north`) in the two map corners that cover the
    least of `outline` (the province, in the axes' metres); returns the boxes they take."""
    bar = corner_boxes(ax, 1.9 * scale, 0.36 * scale)
    arrow = corner_boxes(ax, 0.42 * scale, 0.58 * scale)
    where_bar = emptiest(bar, outline)
    where_arrow = emptiest(arrow, outline, taken=(where_bar,))
    used = scale_bar(ax, bar[where_bar], lang=lang, fontsize=fontsize)
    x0, y0, x1, y1 = arrow[where_arrow]
    north_arrow(ax, arrow[where_arrow], label=north, fontsize=fontsize + 1,
                rotation_deg=true_north_deg(crs, (x0 + x1) / 2, (y0 + y1) / 2))
    return [used, arrow[where_arrow]]


def place_labels(ax, items, *, avoid: list[tuple] = (), marks: list[tuple] = ()) -> int:
    """Draw labels (x, y, text, fontsize, bold) in the order given. A label that would cover one
    already drawn, a box in `avoid` (data units), a symbol in `marks` (x, y, diameter in points)
    or the map's edge moves just above or below its place, else is left out. Returns how many."""
    renderer = ax.figure.canvas.get_renderer()
    edge = ax.get_window_extent(renderer)
    to_px = ax.transData
    px_per_pt = ax.figure.dpi / 72
    kept = [Bbox([to_px.transform((a[0], a[1])), to_px.transform((a[2], a[3]))]) for a in avoid]
    for x, y, d in marks:
        cx, cy = to_px.transform((x, y))
        r = d * px_per_pt / 2
        kept.append(Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    n = 0
    for x, y, text, size, bold in items:
        style = dict(ha="center", va="center", fontsize=size, fontweight="bold" if bold else "normal", parse_math=False)
        label = ax.text(x, y, text, color="#102027", zorder=7.1, **style)  # stays text in a PDF: searchable
        halo = ax.text(x, y, text, color="white", path_effects=HALO, zorder=7, **style)
        box = label.get_window_extent(renderer).expanded(1.06, 1.15)
        for shift in (0.0, 1.25, -1.25, 1.9, -1.9):
            moved = box.translated(0, shift * box.height)
            inside = edge.x0 <= moved.x0 and moved.x1 <= edge.x1 and edge.y0 <= moved.y0 and moved.y1 <= edge.y1
            if inside and not any(moved.overlaps(k) for k in kept):
                at = to_px.inverted().transform(((box.x0 + box.x1) / 2, (moved.y0 + moved.y1) / 2))
                label.set_position(at)
                halo.set_position(at)
                kept.append(moved)
                n += 1
                break
        else:
            label.remove()
            halo.remove()
    return n


def reach_rings(ax, xs, ys, radius_m: float, *, colour: str, dashed: bool = False, zorder: float = 3) -> None:
    for x, y in zip(xs, ys):
        ax.add_patch(Circle((x, y), radius_m, facecolor=colour, alpha=0.10, edgecolor="none", zorder=zorder))
        ax.add_patch(Circle((x, y), radius_m, facecolor="none", edgecolor=colour, linewidth=1.0 if dashed else 0.6,
                            linestyle=(0, (3, 2)) if dashed else "solid", zorder=zorder))


def reach_areas(ax, geoms, *, colour: str, dashed: bool = False, zorder: float = 3) -> None:
    """Walking catchments (polygons in the map's CRS) drawn as the reach rings are: a light fill and an outline."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return
    import geopandas as gpd

    shapes = gpd.GeoSeries(geoms)
    shapes.plot(ax=ax, color=colour, alpha=0.10, edgecolor="none", zorder=zorder)
    shapes.boundary.plot(ax=ax, color=colour, linewidth=1.0 if dashed else 0.6,
                         linestyle=(0, (3, 2)) if dashed else "solid", zorder=zorder)


@dataclass(frozen=True)
class Key:
    """One legend row: a shaded `patch` (optionally hatched), a `marker` symbol, a reach `ring`, a
    walking catchment `area` or a `line`."""

    label: str
    kind: str
    colour: str
    edge: str = EDGE
    marker: str = "o"
    size: float = 5.0  # marker size in points
    dashed: bool = False
    hatch: str = ""


@dataclass(frozen=True)
class Block:
    """A titled group in the panel: legend rows, then lines of text."""

    title: str
    keys: tuple[Key, ...] = ()
    lines: tuple[str, ...] = ()
    optional: bool = False  # left out, rather than the font made smaller, when the panel is full


def text_width_in(text: str, fontsize: float, *, bold: bool = False) -> float:
    """Width of `text` in inches, measured with the font the figure uses."""
    prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
    return _MEASURE.get_text_width_height_descent(text, prop, ismath=False)[0] / 72


def wrap(text: str, width_in: float, fontsize: float, *, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `width_in` (a word longer than that keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width_in(f"{lines[-1]} {word}", fontsize, bold=bold) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _layout(blocks, width_in, height_in, fontsize, columns):
    """Positions (column, y, block, wrapped title, wrapped rows) of each block, in columns of about
    equal height, or None when they do not fit."""
    line = fontsize * 1.42 / 72
    col_w = (width_in - 0.2 * (columns - 1)) / columns
    swatch = fontsize * 2.2 / 72
    sized = []
    for block in blocks:
        title = wrap(block.title, col_w, fontsize + 0.5, bold=True) if block.title else []
        rows = [wrap(k.label, col_w - swatch, fontsize) for k in block.keys] + [wrap(s, col_w, fontsize) for s in block.lines]
        sized.append((block, title, rows, line * (len(title) + sum(len(r) for r in rows) + 0.6)))
    if not sized:
        return [], line, col_w, swatch
    target = max(max(n for *_, n in sized), sum(n for *_, n in sized) / columns)
    while target <= height_in + 1e-9:
        col, y, out = 0, 0.0, []
        for block, title, rows, need in sized:
            if y and y + need > target + 1e-9:
                col, y = col + 1, 0.0
            out.append((col, y, block, title, rows, need))
            y += need
        if col < columns:
            return out, line, col_w, swatch
        target += line
    return None


def draw_panel(ax, blocks: list[Block], *, heading: str, fontsize: float, columns: int = 1, grow: float = 1.0,
               notes: str = "", symbol_scale: float = 1.0) -> None:
    """Legend blocks flowing top to bottom (then into the next column), in axes spanning the panel.
    When they do not fit, optional blocks go first, then the font shrinks; with room to spare the
    font grows up to `grow` times. Space still left under the blocks becomes ruled lines headed
    `notes`, for writing on the printed sheet. Legend symbols are drawn `symbol_scale` times their
    size, as the map draws them."""
    fw, fh = ax.figure.get_size_inches()
    pos = ax.get_position()
    width, height = pos.width * fw, pos.height * fh
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    top = 0.0
    if heading:
        ax.text(0, 0, heading, va="top", fontsize=fontsize + 2.5, fontweight="bold", parse_math=False)
        top = (fontsize + 2.5) * 1.6 / 72
    blocks = list(blocks)
    plan = _layout(blocks, width, height - top, fontsize, columns)
    while plan is None and any(b.optional for b in blocks):  # the last optional block goes first
        blocks.pop(max(i for i, b in enumerate(blocks) if b.optional))
        plan = _layout(blocks, width, height - top, fontsize, columns)
    while plan is None and fontsize > 4:
        fontsize -= 0.5
        plan = _layout(blocks, width, height - top, fontsize, columns)
    limit = fontsize * grow
    while plan is not None and fontsize + 0.5 <= limit:  # room to spare: larger type reads better
        bigger = _layout(blocks, width, height - top, fontsize + 0.5, columns)
        if bigger is None:
            break
        plan, fontsize = bigger, fontsize + 0.5
    if plan is None:
        return
    placed, line, col_w, swatch = plan
    for col, y, block, title, rows, _ in placed:
        x, y = col * (col_w + 0.2), y + top
        for part in title:
            ax.text(x, y, part, va="top", fontsize=fontsize + 0.5, fontweight="bold", parse_math=False)
            y += line
        for k, parts in enumerate(rows):
            if k < len(block.keys):
                _swatch(ax, block.keys[k], x + swatch * 0.4, y + line * 0.45, line, symbol_scale)
                tx = x + swatch
            else:
                tx = x
            for part in parts:
                ax.text(tx, y, part, va="top", fontsize=fontsize, parse_math=False)
                y += line

    used = top + max((y + need for _, y, *_, need in placed), default=0.0)
    rule = fontsize * 3.2 / 72
    if notes and height - used >= 4 * rule:
        y = used + rule * 0.4
        ax.text(0, y, notes, va="top", fontsize=fontsize + 0.5, fontweight="bold", parse_math=False)
        y += rule * 1.3
        while y <= height - 0.02:
            ax.plot([0, width], [y, y], color="#b0bec5", linewidth=0.5)
            y += rule


def _swatch(ax, key: Key, cx: float, cy: float, line: float, scale: float) -> None:
    if key.kind == "patch":
        ax.add_patch(Rectangle((cx - line * 0.5, cy - line * 0.33), line, line * 0.66, facecolor=key.colour,
                               edgecolor=key.edge, linewidth=0.5, hatch=key.hatch or None))
    elif key.kind == "line":
        ax.plot([cx - line * 0.5, cx + line * 0.5], [cy, cy], color=key.colour, linewidth=1.6)
    elif key.kind == "area":
        box = dict(xy=(cx - line * 0.5, cy - line * 0.33), width=line, height=line * 0.66)
        ax.add_patch(Rectangle(**box, facecolor=key.colour, alpha=0.12, edgecolor="none"))
        ax.add_patch(Rectangle(**box, facecolor="none", edgecolor=key.colour, linewidth=0.7,
                               linestyle=(0, (3, 2)) if key.dashed else "solid"))
    elif key.kind == "ring":
        ax.add_patch(Circle((cx, cy), line * 0.38, facecolor=key.colour, alpha=0.12, edgecolor="none"))
        ax.add_patch(Circle((cx, cy), line * 0.38, facecolor="none", edgecolor=key.colour, linewidth=0.7,
                            linestyle=(0, (3, 2)) if key.dashed else "solid"))
    else:
        ax.plot([cx], [cy], marker=key.marker, markersize=key.size * scale, markerfacecolor=key.colour,
                markeredgecolor=key.edge, markeredgewidth=0.6, linestyle="none")


def fitted(text: str, width_in: float, size: float, *, bold: bool = False, floor: float = 0.6) -> tuple[str, float]:
    """`text` and the font size (at most `size`, at least `floor` × `size`) at which it fits on one
    line of `width_in`; cut short with '…' when it does not fit even at the smallest."""
    width = text_width_in(text, size, bold=bold)
    if width <= width_in:
        return text, size
    size = max(size * floor, size * width_in / width)
    while len(text) > 1 and text_width_in(text, size, bold=bold) > width_in:
        text = text[:-2].rstrip() + "…"
    return text, size


def header(fig: Figure, title: str, subtitle: str, *, margin: float, size: float) -> None:
    """Title and subtitle at the top left, each on one line (smaller type when long)."""
    fw, fh = fig.get_size_inches()
    title, title_size = fitted(title, fw - 2 * margin, size, bold=True)
    subtitle, sub_size = fitted(subtitle, fw - 2 * margin, size * 0.6)
    fig.text(margin / fw, 1 - margin / fh, title, ha="left", va="top", fontsize=title_size, fontweight="bold",
             parse_math=False)
    fig.text(margin / fw, 1 - (margin + size * 1.55 / 72) / fh, subtitle, ha="left", va="top", fontsize=sub_size,
             color="#37474f", parse_math=False)


def footer(fig: Figure, lines: list[tuple[str, str]], *, margin: float, size: float) -> None:
    """Lines (text, colour) at the foot of the page, wrapped to its width, in reading order."""
    fw, fh = fig.get_size_inches()
    rows = [(part, colour) for text, colour in lines for part in wrap(text, fw - 2 * margin, size)]
    for k, (part, colour) in enumerate(rows):
        y = margin + (len(rows) - 1 - k) * size * 1.35 / 72
        fig.text(margin / fw, y / fh, part, ha="left", va="bottom", fontsize=size, color=colour, parse_math=False)


def footer_height(fig_w: float, lines: list[str], *, margin: float, size: float) -> float:
    return sum(len(wrap(text, fig_w - 2 * margin, size)) for text in lines) * size * 1.35 / 72
