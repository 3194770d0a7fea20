"""Polygons that tile a region exactly, with prescribed areas: the geometry behind the demo.

A power diagram (a Voronoi diagram with additive weights) around seed points: each group of
seeds (the pre-2025 communes of one current unit) gets one weight, calibrated on a grid so
that the group's area matches its official area, then the exact cells are cut from the
region by half-planes and re-noded, so neighbours share their boundary vertex for vertex.
Coordinates are metric (metres).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import Polygon


@dataclass(frozen=True)
class Tiling:
    """Faces of the power diagram inside the region, each assigned to one seed."""

    faces: tuple[Polygon, ...]
    face_seed: np.ndarray  # index of the owning seed per face
    seed_weight_m2: np.ndarray


def calibrate_weights(
    seeds_xy: np.ndarray,
    target_area_m2: np.ndarray,
    region: Polygon,
    *,
    grid_m: float = 500.0,
    iterations: int = 500,
    neighbours: int = 16,
    own_margin_m: float = 300.0,
) -> np.ndarray:
    """Weight per seed so that each power cell covers its target share of the region.

    Targets are rescaled to the region's area, so only the proportions matter. After each
    step the weights are projected so that every seed stays inside its own cell with
    `own_margin_m` to spare. Each grid point only considers its nearest seeds.
    """
    minx, miny, maxx, maxy = region.bounds
    xs = np.arange(minx + grid_m / 2, maxx, grid_m)
    ys = np.arange(miny + grid_m / 2, maxy, grid_m)
    gx, gy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(region, gx.ravel(), gy.ravel())
    pts = np.column_stack([gx.ravel()[inside], gy.ravel()[inside]])
    n = len(seeds_xy)
    d, idx = cKDTree(seeds_xy).query(pts, k=min(neighbours, n))
    d2 = d**2
    # seed i keeps the point p_i (with margin) when w_i >= w_j - |p_i - p_j|^2 (+ margin terms)
    sep2 = ((seeds_xy[:, None, :] - seeds_xy[None, :, :]) ** 2).sum(axis=2)
    slack = sep2 - 2.0 * own_margin_m * np.sqrt(sep2)
    np.fill_diagonal(slack, np.inf)
    target = target_area_m2 / target_area_m2.sum() * len(pts)
    scale = target / np.pi * grid_m**2  # r^2 of a disc with the target area
    w = np.zeros(n)
    rows = np.arange(len(pts))
    for _ in range(iterations):
        owner = idx[rows, np.argmin(d2 - w[idx], axis=1)]
        got = np.bincount(owner, minlength=n)
        err = (target - got) / target
        if np.abs(err).max() < 0.005:
            break
        w += 0.5 * err * scale
        w = np.maximum(w, (w[None, :] - slack).max(axis=1))
        w -= w.mean()
    return w


def _half_plane(p_i: np.ndarray, p_j: np.ndarray, w_i: float, w_j: float, size: float) -> Polygon:
    """The side of the power bisector of seeds i and j that belongs to i, as a big polygon."""
    n = 2.0 * (p_j - p_i)
    c = p_j @ p_j - p_i @ p_i + w_i - w_j
    norm = np.hypot(*n)
    nh = n / norm
    mid = (p_i + p_j) / 2.0
    x0 = mid + (c - n @ mid) / norm * nh
    t = np.array([-nh[1], nh[0]])
    return Polygon(
        [x0 + size * t, x0 - size * t, x0 - size * t - size * nh, x0 + size * t - size * nh]
    )


def power_tiling(seeds_xy: np.ndarray, seed_weight_m2: np.ndarray, region: Polygon) -> Tiling:
    """Exact power cells clipped to the region, re-noded into faces that share edges."""
    size = 4.0 * max(region.bounds[2] - region.bounds[0], region.bounds[3] - region.bounds[1])
    cells = []
    for i, p_i in enumerate(seeds_xy):
        cell = region
        for j, p_j in enumerate(seeds_xy):
            if i != j and not cell.is_empty:
                cell = cell.intersection(
                    _half_plane(p_i, p_j, seed_weight_m2[i], seed_weight_m2[j], size)
                )
        cells.append(cell)
    lines = shapely.union_all([shapely.boundary(c) for c in cells if not c.is_empty])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))]
    reps = np.array([[p.x, p.y] for p in (f.representative_point() for f in faces)])
    d2 = ((reps[:, None, :] - seeds_xy[None, :, :]) ** 2).sum(axis=2) - seed_weight_m2[None, :]
    return Tiling(tuple(faces), np.argmin(d2, axis=1), seed_weight_m2)
