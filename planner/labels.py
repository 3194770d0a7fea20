"""The data's own words as people read them: a field of a list ("Trạng thái", not `status`), an
allowed value ("Đang hoạt động", not `existing`), a kind of list, a coordinate system in words.

Problems and errors keep machine names in their parameters (scripts and tests read them); the
words are put in when a message is written (`humanize`, called by `planner.errors`). Three ways to
name a field in a message:
- an upload on the Data page: its label alone, "'Trạng thái'" (the import matches columns to fields,
  and a header spelled like the label is recognised);
- the same for the command line (`machine=True`): the label, then the name scripts use,
  "'Trạng thái' (status)";
- a data package's own file (a problem with the parameter `as_named`, made by `planner.validate`
  for a package folder): the column must be called by its name, so the name comes first,
  "'status' (Trạng thái)".
"""
from __future__ import annotations

from collections.abc import Mapping

from planner.formats import crs_words, fmt_num
from planner.i18n import TEXT, t

# (list, field) -> the i18n prefix naming its allowed values; the field alone when any list will do
_VALUE_PREFIX: dict[tuple[str, str], str] = {
    ("communes", "kind"): "kind.",
    ("table", "kind"): "kind.",
    ("play_points", "kind"): "point_kind.",
    ("play_points", "status"): "status.",
    ("schools", "level"): "level.",
    ("toilets", "facility_kind"): "imp.val.",
    ("candidate_sites", "land_status"): "imp.val.",
}
_FIELD_PREFIX = {"status": "status.", "level": "level.", "facility_kind": "imp.val.", "land_status": "imp.val."}
_TYPES = {"text": "text", "str": "text", "object": "text", "true/false": "boolean", "bool": "boolean",
          "boolean": "boolean", "decimals": "decimals", "integer": "integer", "number": "number"}


def field_label(kind: str | None, field: str, lang: str = "vi") -> str:
    """A field of a list in words: `field_label("play_points", "status")` -> "Trạng thái" (vi) or
    "Status" (en). Every target of every list has one (contract columns, lon/lat, X/Y, the commune
    name); a name nobody labelled is returned as it is."""
    for key in (f"imp.col.{kind}.{field}", f"imp.col.{field}"):
        if key in TEXT:
            return t(key, lang)
    return str(field)


def value_label(kind: str | None, field: str, value: str, lang: str = "vi") -> str:
    """An allowed value in words: `value_label("play_points", "status", "existing")` -> "Đang hoạt động"."""
    prefixes = [_VALUE_PREFIX.get((kind or "", field)), _FIELD_PREFIX.get(field)]
    if field == "kind":
        prefixes += ["point_kind.", "kind."]
    for prefix in prefixes:
        if prefix and f"{prefix}{value}" in TEXT:
            return t(f"{prefix}{value}", lang)
    return str(value)


def kind_label(kind: str, lang: str = "vi") -> str:
    """A kind of list in words: "play_points" -> "Điểm vui chơi"."""
    key = f"imp.kind.{'communes' if kind == 'boundaries' else kind}"
    return t(key, lang) if key in TEXT else str(kind)


def bool_label(value: bool, lang: str = "vi") -> str:
    """Yes or no as a template offers it: "có" / "không" (vi), "yes" / "no" (en)."""
    return t("imp.bool_true" if value else "imp.bool_false", lang)


def _same(a: str, b: str) -> bool:
    return a.casefold().strip() == b.casefold().strip()


def _quoted(name: str, label: str, *, machine: bool, named: bool) -> str:
    if named:  # a package's file: the column is called by its name
        return f"'{name}'" if _same(name, label) else f"'{name}' ({label})"
    if machine and not _same(name, label):
        return f"'{label}' ({name})"
    return f"'{label}'"


def _bare(name: str, label: str, *, machine: bool, named: bool) -> str:
    if named:
        return name if _same(name, label) else f"{name} ({label})"
    return f"{label} ({name})" if machine and not _same(name, label) else label


def _items(text) -> list[str]:
    return [s.strip() for s in str(text).split(",") if s.strip()]


def _number(value, lang: str) -> str:
    try:
        return fmt_num(float(value), lang, 6, trim=True)
    except (TypeError, ValueError):
        return str(value)


def _crs(value, lang: str) -> str:
    if value in (None, "", "None"):
        return t("imp.crs_none", lang)
    return crs_words(str(value), lang)


def _type(value, lang: str) -> str:
    text = str(value)
    word = _TYPES.get(text) or ("integer" if text.startswith(("int", "Int", "uint")) else
                                "number" if text.startswith(("float", "Float")) else None)
    return t(f"type.{word}", lang) if word else text


# message key -> {parameter: how its machine words are put in words}
_PARAMS: dict[str, dict[str, str]] = {
    "prob.missing_column": {"column": "field_q", "present": "fields"},
    "prob.wrong_type": {"column": "field_q", "found": "type"},
    "prob.empty_values": {"column": "field_q"},
    "prob.not_allowed": {"column": "field_q", "allowed": "values"},
    "prob.out_of_range": {"column": "field_q", "minimum": "number", "maximum": "number"},
    "prob.duplicate": {"column": "field_q"},
    "prob.crs": {"found": "crs"},
    "imp.bad_value": {"allowed": "values"},
    "imp.filled_column": {"field": "field"},
    "imp.table_overrides": {"columns": "fields"},
    "imp.missing_kind": {"kinds": "kinds"},
    "imp.many_sources": {"kind": "kind"},
    "imp.crs_guess": {"crs": "crs"},
    "imp.crs_assumed": {"crs": "crs"},
    "imp.crs_unknown": {"known": "crs_list"},
    "err.imp_crs": {"known": "crs_list"},
    "err.imp_mapping_target": {"values": "fields_both", "known": "fields_both"},
    "err.imp_mapping_twice": {"values": "fields_both"},
    "err.imp_kind": {"known": "kinds_both"},
}


def humanize(key: str, params: Mapping, *, kind: str = "", lang: str = "vi", machine: bool = False) -> dict:
    """`params` of message `key` with the machine words a reader would meet put in words: fields by
    their labels, allowed values, kinds of list, coordinate systems, types, fixes, numbers in the
    reader's style. `kind` is the list the message is about (a problem's layer). Parameters are
    taken as given when they are not machine words (a user's own column header, say)."""
    out = dict(params)
    named = bool(params.get("as_named"))
    kind = kind or str(params.get("kind") or "")
    field = str(params.get("field") or params.get("column") or "")
    for name, how in _PARAMS.get(key, {}).items():
        value = params.get(name)
        if value is None or value == "":
            continue
        if how == "field_q":
            out[name] = _quoted(str(value), field_label(kind, str(value), lang), machine=machine, named=named)
        elif how == "field":
            out[name] = _bare(str(value), field_label(kind, str(value), lang), machine=machine, named=named)
        elif how == "fields":
            out[name] = ", ".join(_bare(v, field_label(kind, v, lang), machine=machine, named=named) if not named else v
                                  for v in _items(value))
        elif how == "fields_both":
            out[name] = ", ".join(_bare(v, field_label(kind, v, lang), machine=True, named=False) for v in _items(value))
        elif how == "values":
            out[name] = ", ".join(_bare(v, value_label(kind, field, v, lang), machine=machine, named=named)
                                  for v in _items(value))
        elif how in ("kinds", "kinds_both"):
            out[name] = ", ".join(_bare(v, kind_label(v, lang), machine=machine or how == "kinds_both", named=False)
                                  for v in _items(value))
        elif how == "kind":
            out[name] = _bare(str(value), kind_label(str(value), lang), machine=machine, named=False)
        elif how == "crs":
            out[name] = _crs(value, lang)
        elif how == "crs_list":
            out[name] = "; ".join(_crs(v, lang) for v in _items(value))
        elif how == "number":
            out[name] = _number(value, lang)
        elif how == "type":
            out[name] = _type(value, lang)
    column = params.get("column")
    if key.startswith("imp.") and "column" not in _PARAMS.get(key, {}) and column and (
            column == params.get("field") or column == "geometry"):  # no header of the file: a field of the list
        out["column"] = _bare(str(column), field_label(kind, str(column), lang), machine=machine, named=False)
    fix = params.get("fix")
    if fix and f"data.fix.{fix}" in TEXT:
        out["fix"] = _bare(str(fix), t(f"data.fix.{fix}", lang), machine=machine, named=False)
    return out


def problem_column(problem, lang: str = "vi") -> str:
    """The field or column a problem is about, as a report table shows it: a field of the list by its
    label, a column of the user's file by its header."""
    col = problem.column or ""
    if not col:
        return ""
    params = problem.params
    if problem.key.startswith("prob."):
        return col if params.get("as_named") else field_label(problem.layer, col, lang)
    if col == params.get("field") or col == "geometry":
        return field_label(problem.layer, col, lang)
    return col
