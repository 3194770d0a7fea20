"""The only module that opens files: data packages in and out, map assets for the app."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pyogrio

from planner.contracts import LAYERS, MANIFEST
from planner.errors import DataPackageError, PlannerError, Problem
from planner.package import DataPackage
from planner.validate import check_package

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "data"


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
            problems.append(Problem("prob.unreadable", dict(file=layer.path, detail=str(exc).splitlines()[0][:200]), layer=layer.name))
    manifest = {}
    manifest_path = folder / MANIFEST
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(Problem("prob.unreadable", dict(file=MANIFEST, detail=str(exc)[:200])))
    if not problems:
        problems.extend(check_package(frames))
    errors = tuple(p for p in problems if p.severity == "error")
    if errors:
        raise DataPackageError("err.package", problems=errors, path=str(folder))
    return DataPackage(
        communes=frames["communes"],
        villages=frames["villages"],
        play_points=frames["play_points"],
        schools=frames["schools"],
        toilets=frames["toilets"],
        candidate_sites=frames["candidate_sites"],
        communes_2024=frames["communes_2024"],
        manifest=manifest,
        source=str(folder),
        warnings=tuple(p for p in problems if p.severity == "warning"),
    )


def write_package(layers: dict[str, gpd.GeoDataFrame], manifest: dict, out: str | Path) -> Path:
    """Write layers as GeoJSON (EPSG:4326, 6 decimals) plus the manifest.

    Everything goes to a temporary folder beside `out` first and is moved into place only when
    complete, so an interrupted write never leaves a half-written package.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".planner-", dir=out.parent))
    except OSError as exc:
        raise PlannerError("err.out_exists", path=str(out), detail=exc.strerror or str(exc)) from exc
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
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for sub in ("boundaries", "facilities"):
            (out / sub).mkdir(parents=True, exist_ok=True)
        for path in sorted(tmp.rglob("*")):
            if path.is_file():
                os.replace(path, out / path.relative_to(tmp))
    except OSError as exc:
        raise PlannerError("err.out_exists", path=str(out), detail=exc.strerror or str(exc)) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def publish_map_assets(static_dir: str | Path) -> Path:
    """Copy Leaflet (from the `xstatic-leaflet` package) into the app's static folder.

    The app serves these itself so that the map works with no internet. Returns the folder.
    """
    import xstatic.pkg.leaflet as leaflet

    target = Path(static_dir) / "leaflet"
    source = Path(leaflet.BASE_DIR)
    marker = target / f"VERSION-{leaflet.VERSION}"
    if not marker.exists():
        tmp = Path(tempfile.mkdtemp(prefix=".leaflet-", dir=Path(static_dir)))
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy2(source / name, tmp / name)
        shutil.copytree(source / "images", tmp / "images")
        (tmp / marker.name).write_text(leaflet.VERSION)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    return target


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
        raise PlannerError("err.out_exists", path=str(path), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


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


def read_gpkg_bytes(data: bytes, *, max_bytes: int = 50_000_000) -> dict:
    """Every layer of a GeoPackage given as bytes: {layer name: (Geo)DataFrame}."""
    if len(data) > max_bytes:
        raise PlannerError("err.file_too_big", limit=max_bytes // 1_000_000)
    tmp = Path(tempfile.mkdtemp(prefix=".planner-gpkg-"))
    try:
        path = tmp / "in.gpkg"
        path.write_bytes(data)
        try:
            names = [str(n) for n, _ in pyogrio.list_layers(path)]
            return {n: pyogrio.read_dataframe(path, layer=n) for n in names}
        except Exception as exc:  # GDAL raises many types for a file that is not a GeoPackage
            raise PlannerError("err.not_gpkg", detail=str(exc).splitlines()[0][:200]) from None
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
