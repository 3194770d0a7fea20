"""Data import (issue 5): uploads -> contract layers, with a report of every problem, written only
once the caller confirms.

For a page: `inspect_upload` (preview, encoding, suggested mapping) for each file, then
`prepare_import` (an `ImportPlan`: converted layers and the report; over a current package, each list
`lists_needing_mode` names is added to or replaces the package's, as chosen), `import_effect` and
`effect_rows` (what it changes), then `write_import`; `import_fingerprint` tells whether a checked
plan still matches what the user chose.
Row numbers in the report are those people see: the line of a CSV file, the row of a sheet,
the feature number of a GIS layer.

This `__init__` is the import's public door; the work is done in its modules (lowest first):
- `columns`: kinds of list, column matching and remembered mappings, reading cells;
- `sources`: reading one upload, its preview and the list it most likely holds;
- `layers`: converting a source into a contract layer (cells, coordinates, communes);
- `communes`: boundaries, pre-2025 merges, the commune table, sums from villages;
- `plan`: the import as a whole (`prepare_import`, `write_import`, the report);
- `effect`: what an import changes in the current package (`import_effect`, `effect_rows`);
- `templates`: Excel templates and the lists export.
Files are opened only by `files` (named so as not to shadow the standard `io` beside `planner.io`).
"""
from __future__ import annotations

from planner.importing.columns import (COORD_ROLES, KIND_ALIASES, KINDS, LIST_KINDS, TABLE_COLUMNS, canonical_kind,
                                       check_mapping, field_label, parse_coordinate, parse_number, recall_mapping,
                                       remember_mapping, suggest_mapping, targets, value_label)
from planner.importing.communes import COUNT_COLUMNS
from planner.importing.layers import ID_PREFIX, MAX_WHOLE, OUTSIDE_TOLERANCE_DEG
from planner.importing.effect import ImportEffect, LayerChange, effect_rows, import_effect
from planner.importing.plan import (MODES, REQUIRED, ImportPlan, import_fingerprint, lists_needing_mode, prepare_import,
                                    report_json, report_lines, write_import)
from planner.importing.sources import ImportSource, SourceReport, guess_kind, inspect_upload, preview_rows
from planner.importing.templates import export_lists_xlsx, header, sheet_name, template_xlsx

__all__ = [
    "COORD_ROLES", "COUNT_COLUMNS", "ID_PREFIX", "KINDS", "KIND_ALIASES", "LIST_KINDS", "MAX_WHOLE", "MODES",
    "OUTSIDE_TOLERANCE_DEG", "REQUIRED", "TABLE_COLUMNS",
    "ImportEffect", "ImportPlan", "ImportSource", "LayerChange", "SourceReport",
    "canonical_kind", "check_mapping", "effect_rows", "export_lists_xlsx", "field_label", "guess_kind", "header",
    "import_effect", "import_fingerprint", "inspect_upload", "lists_needing_mode", "parse_coordinate", "parse_number",
    "prepare_import", "preview_rows", "recall_mapping", "remember_mapping", "report_json", "report_lines", "sheet_name",
    "suggest_mapping", "targets", "template_xlsx", "value_label", "write_import",
]
