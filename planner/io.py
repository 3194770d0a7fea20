"""The only module that opens files: data packages in and out, map assets for the app."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import math
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

from planner.contracts import ELEVATION, LAYERS, MANIFEST
from planner.errors import DataPackageError, PlannerError, Problem, error_detail
from planner.package import DataPackage
from planner.validate import check_package

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "data"
FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
LOW_SPACE_BYTES = 1 << 20  # below this, a write that failed without saying why is taken as a full disk
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_ERRORS = (OSError, DataSourceError, DataLayerError, FieldError, GeometryError)  # GDAL never says "disk full"

log = logging.getLogger("planner.io")


def disk_full(exc: BaseException, where: str | Path) -> bool:
    """Whether a failed write was for want of space: ENOSPC or EDQUOT, or (GDAL and SQLite do not
    always say why) less than LOW_SPACE_BYTES left on the file system of `where`."""
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
        return True
    folder = Path(where)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def write_error(path: str | Path, exc: BaseException, op: str) -> PlannerError:
    """The error to show for a failed write (a full disk says so), logged with what was written."""
    full = disk_full(exc, Path(path).parent)
    log.error("%s %s failed%s: %s: %s", op, path, " (disk full)" if full else "", type(exc).__name__, exc)
    if full:
        return PlannerError("err.disk_full", path=str(path))
    detail = getattr(exc, "strerror", None) or error_detail(exc)
    return PlannerError("err.out_exists", path=str(path), detail=detail)


def folder_name(name: str, default: str = "du-lieu") -> str:
    """A package name as one safe folder name: ASCII letters, digits and dashes, at most 60
    ("Dữ liệu Sìn Hồ / 2025" -> "du-lieu-sin-ho-2025"); never a path, never '..'."""
    from planner.names import fold

    return "-".join(fold(name or "").split())[:60].strip("-") or default


def unused_folder(path: str | Path) -> Path:
    """`path`, or `path-2`, `path-3`... if it is taken, made here empty: a new import never overwrites a
    package that sessions may be using (and have cached). Made with one `mkdir`, which only one caller
    can win, so two server processes importing under the same name at once get two folders.
    (`write_package` fills the empty folder, and removes it again if the write fails.)"""
    path = Path(path)
    candidate, n = path, 1
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                candidate.mkdir()
                return candidate
            except FileExistsError:
                n += 1
                candidate = path.with_name(f"{path.name}-{n}")
    except OSError as exc:
        raise write_error(candidate, exc, "write data package") from exc


def _present(folder: Path) -> str:
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    return ", ".join(files) if files else "-"


def read_package(folder: str | Path = DEMO_DIR) -> DataPackage:
    """Read and check a data package; raise DataPackageError listing every problem found."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataPackageError("err.no_folder", path=str(folder))
    frames: dict[str, gpd.GeoDataFrame | None] = {}
    problems: list[Problem] = []
    for layer in LAYERS:
        path = folder / layer.path
        if not path.is_file():
            frames[layer.name] = None
            if layer.required:
                problems.append(Problem("prob.missing_file", dict(file=layer.path, present=_present(folder)), layer=layer.name))
            continue
        try:
            frames[layer.name] = pyogrio.read_dataframe(path)
        except Exception as exc:  # GDAL raises many types for a broken file
            frames[layer.name] = None
            problems.append(Problem("prob.unreadable", dict(file=layer.path, detail=error_detail(exc)), layer=layer.name))
    manifest = {}
    manifest_path = folder / MANIFEST
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            problems.append(Problem("prob.unreadable", dict(file=MANIFEST, detail=str(exc)[:200])))
        if not isinstance(manifest, dict):
            problems.append(Problem("prob.unreadable", dict(file=MANIFEST, detail="not a JSON object {...}")))
            manifest = {}
    if not problems:
        problems.extend(check_package(frames))
    errors = tuple(p for p in problems if p.severity == "error")
    if errors:
        raise DataPackageError("err.package", problems=errors, path=str(folder))
    terrain_file = ""
    if (folder / ELEVATION).is_file():
        broken = _elevation_problem(folder / ELEVATION)
        if broken is None:
            terrain_file = str(folder / ELEVATION)
        else:
            problems.append(broken)
    return DataPackage(
        communes=frames["communes"],
        villages=frames["villages"],
        play_points=frames["play_points"],
        schools=frames["schools"],
        toilets=frames["toilets"],
        candidate_sites=frames["candidate_sites"],
        communes_2024=frames["communes_2024"],
        paths=frames["paths"],
        barriers=frames["barriers"],
        terrain_file=terrain_file,
        manifest=manifest,
        source=str(folder),
        warnings=tuple(p for p in problems if p.severity == "warning"),
    )


def write_package(layers: dict[str, gpd.GeoDataFrame], manifest: dict, out: str | Path, *,
                  files: dict[str, bytes] | None = None) -> Path:
    """Write layers as GeoJSON (EPSG:4326, 6 decimals) plus the manifest, and `files` ({path in the
    package: bytes}, e.g. the elevation model at `contracts.ELEVATION`) as they are.

    Everything goes to a temporary folder beside `out` first and is moved into place only when
    complete; if a move fails, the files already moved are put back as they were. So a failed
    write (a full disk) leaves the previous package intact and no temporary files behind.
    """
    out = Path(out)
    claimed = out.is_dir() and not any(out.iterdir())  # an empty folder from `unused_folder`: removed on failure
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".planner-", dir=out.parent))
    except OSError as exc:
        _remove_if_empty(out, claimed)
        raise write_error(out, exc, "write data package") from exc
    try:
        for layer in LAYERS:
            gdf = layers.get(layer.name)
            if gdf is None:
                continue
            path = tmp / layer.path
            path.parent.mkdir(parents=True, exist_ok=True)
            pyogrio.write_dataframe(
                gdf, path, driver="GeoJSON",
                layer_options={"COORDINATE_PRECISION": "6", "WRITE_NAME": "NO", "RFC7946": "YES"},
            )
        for rel, data in (files or {}).items():
            path = tmp / rel
            if tmp.resolve() not in path.resolve().parents:
                raise ValueError(f"not a path inside the package: {rel}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _move_all(tmp, out)
    except WRITE_ERRORS as exc:
        _remove_if_empty(out, claimed)
        raise write_error(out, exc, "write data package") from exc
    except BaseException:
        _remove_if_empty(out, claimed)
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _remove_if_empty(folder: Path, claimed: bool) -> None:
    if claimed:
        try:
            folder.rmdir()  # only ever removes an empty folder
        except OSError:
            pass


def _move_all(src: Path, out: Path) -> None:
    """Move every file of `src` into `out` (same file system), all or none."""
    created = not out.exists() or not any(out.iterdir())  # or an empty one from `unused_folder`
    backups = Path(tempfile.mkdtemp(prefix=".planner-old-", dir=out.parent))
    moved: list[tuple[Path, Path | None]] = []  # (target, what it replaced, set aside in `backups`)
    # layers (and the elevation model) of a previous package in `out` that the new one does not have must go too
    stale = [Path(rel) for rel in [*(layer.path for layer in LAYERS), ELEVATION]
             if (out / rel).is_file() and not (src / rel).exists()]
    try:
        for path in sorted(p for p in src.rglob("*") if p.is_file()):
            rel = path.relative_to(src)
            target, backup = out / rel, None
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                backup = backups / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            moved.append((target, backup))
            os.replace(path, target)
        for rel in stale:
            backup = backups / rel
            backup.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / rel, backup)
            moved.append((out / rel, backup))
    except BaseException:
        _put_back(moved)
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(backups, ignore_errors=True)


def _put_back(moved: list[tuple[Path, str | Path | None]]) -> list[str | Path]:
    """Undo a write, last move first: each target gets back the previous version set aside for it,
    or goes when there was none. Returns the set-aside versions that could not be put back (to keep)."""
    stuck = []
    for target, old in reversed(moved):
        try:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(old, target)
        except OSError:
            log.exception("could not put back %s after a failed write (previous version kept as %s)", target, old)
            stuck.append(old)
    return stuck


def read_elevation(path: str | Path):
    """A package's elevation model (`contracts.ELEVATION`, written by `planner.terrain`): (elevation in
    metres as float32 with NaN where there is none, the grid's affine transform, its CRS as text).
    Raises DataPackageError when it cannot be read or is not one band on square, north-up cells."""
    import numpy as np
    import rasterio

    try:
        with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR"), rasterio.open(path, driver="GTiff") as ds:
            _elevation_shape(ds)
            band = ds.read(1, masked=True)
            transform, crs = ds.transform, ds.crs.to_string()
    except (rasterio.errors.RasterioError, ValueError) as exc:
        raise DataPackageError("err.package", problems=(_elevation_broken(exc),), path=str(Path(path).parent.parent)) from None
    return np.ma.filled(band.astype(np.float32), np.nan), transform, crs


def _elevation_shape(ds) -> None:
    t = ds.transform
    if ds.count != 1 or ds.crs is None or t.b != 0 or t.d != 0 or not math.isclose(t.a, -t.e, rel_tol=1e-9) or t.a <= 0:
        raise ValueError(f"{ds.count} band(s), CRS {ds.crs}, cells {t.a:g} x {-t.e:g} m: expected 1 band, a CRS, "
                         "square north-up cells")


def _elevation_broken(exc: BaseException) -> Problem:
    return Problem("prob.elevation", dict(file=ELEVATION, detail=error_detail(exc)), layer="terrain", severity="warning")


def _elevation_problem(path: Path) -> Problem | None:
    """A warning when the package's elevation model cannot be used (the rest of the package still can)."""
    import rasterio

    try:
        with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR"), rasterio.open(path, driver="GTiff") as ds:
            _elevation_shape(ds)
    except (rasterio.errors.RasterioError, ValueError) as exc:
        return _elevation_broken(exc)
    return None


def publish_map_assets(static_dir: str | Path) -> Path:
    """Copy Leaflet (from the `xstatic-leaflet` package) into the app's static folder.

    The app serves these itself so that the map works with no internet. Returns the folder.
    """
    import xstatic.pkg.leaflet as leaflet

    target = Path(static_dir) / "leaflet"
    source = Path(leaflet.BASE_DIR)
    marker = target / f"VERSION-{leaflet.VERSION}"
    if marker.exists():
        return target
    # Several server processes may start at once: one at a time (a lock beside the folder) builds a
    # copy and renames it into place, so a browser never gets a half-copied folder and no process
    # removes what another has just published.
    with exclusive_lock(Path(static_dir) / ".leaflet-lock"):
        if marker.exists():  # another process published it meanwhile
            return target
        tmp = Path(tempfile.mkdtemp(prefix=".leaflet-", dir=Path(static_dir)))
        try:
            for name in ("leaflet.js", "leaflet.css"):
                shutil.copy2(source / name, tmp / name)
            shutil.copytree(source / "images", tmp / "images")
            (tmp / marker.name).write_text(leaflet.VERSION)
            if target.exists():  # an older version: out of the way first (a directory cannot be renamed over)
                os.rename(target, tmp.with_name(tmp.name + "-old"))
            os.rename(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(tmp.with_name(tmp.name + "-old"), ignore_errors=True)
    return target


@contextlib.contextmanager
def exclusive_lock(path: str | Path):
    """Hold an exclusive advisory lock on the file `path` (made if missing) for the `with` block:
    one server process at a time. Where the system has no such locks (Windows), a no-op: the app
    runs as one process there."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    try:
        lock = open(path, "a")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise write_error(Path(path), exc, "write file") from exc
    with lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


MAP_SCRIPTS_KEPT = 64  # newest map scripts always kept; older ones go once a day old


def publish_map_script(static_dir: str | Path, text: str) -> str:
    """Put a map's script in `static_dir/maps/` (once, whole or not at all) and return its file
    name. The name is the content's digest: every server process writes the same file, and a
    browser may keep it as long as it likes. Beyond the newest `MAP_SCRIPTS_KEPT`, scripts more
    than a day old are removed (a page still open that long draws its map afresh on reload)."""
    data = text.encode("utf-8")
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.js"
    folder = Path(static_dir) / "maps"
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(target, data)
        _prune_map_scripts(folder)
    if target.stat().st_mode & 0o777 != 0o644:  # a public asset like Leaflet (mkstemp makes 0600)
        target.chmod(0o644)
    return name


def _prune_map_scripts(folder: Path) -> None:
    import time

    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return time.time()

    scripts = sorted(folder.glob("*.js"), key=age, reverse=True)
    for old in scripts[MAP_SCRIPTS_KEPT:]:
        if time.time() - age(old) > 86_400:
            old.unlink(missing_ok=True)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (temporary file + rename in the same folder)."""
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise write_error(path, exc, "write file") from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def write_files(files: dict[str | Path, bytes]) -> list[Path]:
    """Write several files whole, all or none (a table and its parameters file never part): each
    goes to a temporary file beside it first; only when all are complete are they moved into
    place, and if a move fails, the files already moved are put back as they were."""
    paths = [Path(p) for p in files]
    temps: dict[Path, str] = {}
    moved: list[tuple[Path, str | None]] = []  # (target, where its previous version was set aside)
    kept: set[str] = set()  # previous versions that could not be put back: never deleted
    path = paths[0] if paths else Path(".")
    try:
        for path, data in zip(paths, files.values()):
            fd, temps[path] = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for path in paths:
            old = None
            if path.exists():
                fd, old = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent)
                os.close(fd)
                os.replace(path, old)
            moved.append((path, old))
            os.replace(temps[path], path)
            del temps[path]
    except OSError as exc:
        kept.update(str(old) for old in _put_back(moved))
        raise write_error(path, exc, "write file") from exc
    finally:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
        for _, old in moved:
            if old is not None and old not in kept:
                Path(old).unlink(missing_ok=True)
    return paths


def gpkg_bytes(layers: dict) -> bytes:
    """A GeoPackage holding several layers (spatial or plain tables), as bytes."""
    tmp = Path(tempfile.mkdtemp(prefix=".planner-gpkg-"))
    try:
        path = tmp / "out.gpkg"
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=path.exists())
        return path.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_gpkg(path: str | Path, name: str) -> None:
    """Refuse a file that is not an SQLite database, or one holding SQL that runs when it is read
    (views, computed columns): such SQL can keep the server busy without end."""
    path = Path(path)
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise PlannerError("err.gpkg_not_sqlite", file=name)
    steps = [0]

    def too_long() -> int:
        steps[0] += 1
        return steps[0] > 10_000  # x 1000 SQLite instructions: far more than a real schema needs

    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        db.set_progress_handler(too_long, 1000)
        rows = db.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        running = [n for kind, n, _ in rows if kind == "view"]
        plain = [n for kind, n, sql in rows if kind == "table" and not str(sql).upper().startswith("CREATE VIRTUAL")]
        running += [n for n in plain if _computed_columns(db, n)]
    except sqlite3.DatabaseError as exc:
        raise PlannerError("err.not_gpkg", detail=str(exc)[:200]) from None
    finally:
        db.close()
    if running:
        log.warning("GeoPackage %s refused: SQL views or computed columns %s", name, running[:10])
        raise PlannerError("err.gpkg_sql", file=name, names=", ".join(running[:5]))


def _computed_columns(db: sqlite3.Connection, table: str) -> bool:
    quoted = table.replace('"', '""')
    return any(col[6] in (2, 3) for col in db.execute(f'PRAGMA table_xinfo("{quoted}")'))  # 2, 3: generated


def read_gpkg_bytes(data: bytes, *, max_bytes: int = 50_000_000, name: str = "GeoPackage") -> dict:
    """Every layer of a GeoPackage given as bytes: {layer name: (Geo)DataFrame}. Refused: over
    `max_bytes`, not an SQLite file, SQL that would run on reading (see `check_gpkg`)."""
    if len(data) > max_bytes:
        raise PlannerError("err.file_too_big", limit=max_bytes // 1_000_000)
    tmp = Path(tempfile.mkdtemp(prefix=".planner-gpkg-"))
    try:
        path = tmp / "in.gpkg"
        path.write_bytes(data)
        check_gpkg(path, name)
        try:
            names = [str(n) for n, _ in pyogrio.list_layers(path)]
            return {n: pyogrio.read_dataframe(path, layer=n) for n in names}
        except Exception as exc:  # GDAL raises many types for a file that is not a GeoPackage
            raise PlannerError("err.not_gpkg", detail=error_detail(exc)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_bytes(path: str | Path, *, max_bytes: int = 200_000_000) -> bytes:
    """A file's bytes, refusing files over `max_bytes`."""
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes:
            raise PlannerError("err.file_too_big", limit=max_bytes // 1_000_000)
        return path.read_bytes()
    except OSError as exc:
        raise PlannerError("err.no_file", path=str(path)) from exc
