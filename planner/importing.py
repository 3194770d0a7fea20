"""Data import (issue 5): uploads -> contract layers, with a report of every problem, written only
once the caller confirms.

For a page: `inspect_upload` (preview, encoding, suggested mapping) for each file, then
`prepare_import` (an `ImportPlan`: converted layers and the report), then `write_import`.
Row numbers in the report are those people see: the line of a CSV file, the row of a sheet,
the feature number of a GIS layer.

This module is the import's public door; the work is done in (lowest first):
- `import_columns`: kinds of list, column matching and remembered mappings, reading cells;
- `import_sources`: reading one upload, its preview and the list it most likely holds;
- `import_layers`: converting a source into a contract layer (cells, coordinates, communes);
- `import_communes`: boundaries, pre-2025 merges, the commune table, sums from villages;
- `import_plan`: the import as a whole (`prepare_import`, `write_import`, the report);
- `import_templates`: Excel templates and the lists export.
Files are opened only by `import_io`.
"""
from __future__ import annotations

from planner.import_columns import (COORD_ROLES, KIND_ALIASES, KINDS, LIST_KINDS, TABLE_COLUMNS, canonical_kind,
                                    check_mapping, parse_coordinate, parse_number, recall_mapping, remember_mapping,
                                    suggest_mapping, targets)
from planner.import_communes import COUNT_COLUMNS
from planner.import_layers import ID_PREFIX, MAX_WHOLE, OUTSIDE_TOLERANCE_DEG
from planner.import_plan import REQUIRED, ImportPlan, prepare_import, report_json, report_lines, write_import
from planner.import_sources import ImportSource, SourceReport, guess_kind, inspect_upload
from planner.import_templates import export_lists_xlsx, header, template_xlsx

__all__ = [
    "COORD_ROLES", "COUNT_COLUMNS", "ID_PREFIX", "KINDS", "KIND_ALIASES", "LIST_KINDS", "MAX_WHOLE",
    "OUTSIDE_TOLERANCE_DEG", "REQUIRED", "TABLE_COLUMNS",
    "ImportPlan", "ImportSource", "SourceReport",
    "canonical_kind", "check_mapping", "export_lists_xlsx", "guess_kind", "header", "inspect_upload",
    "parse_coordinate", "parse_number", "prepare_import", "recall_mapping", "remember_mapping", "report_json",
    "report_lines", "suggest_mapping", "targets", "template_xlsx", "write_import",
]
