"""Catalogue files read into entries, each with its YAML node for line numbers.

A data file is either a YAML list of entries, or a mapping ``{schema_version: 1, events: [...]}``.
Entries are constructed one by one, so a value YAML cannot build (``date: 2020-13-45``) spoils
only its own entry; file-level problems become :class:`ValidationIssue` s, never exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser is ~20x faster and keeps node marks (line numbers) too.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose impossible dates (2020-13-45) stay strings, for pydantic to report."""


def _lenient_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)

#: Highest catalogue schema version this code reads (see events/data/README.md).
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a data file.

    ``line`` is the 1-based YAML line of the offending field when it can be located, else of
    the entry (``entry_line``); ``entry_index`` is the 1-based position of the entry in its
    file (0 for file-level problems such as a YAML syntax error).
    """

    file: str
    entry_index: int
    line: int
    event_id: str | None
    field: str
    message: str
    entry_line: int | None = None
    #: the sourcing rule broken (events.publishers.RULES key), None for schema/location issues
    rule: str | None = None

    def __str__(self) -> str:
        """``FILE:LINE: entry N (id X): field: message``; file-level issues omit the entry."""
        head = f"{self.file}:{self.line}: "
        if self.entry_index:
            head += f"entry {self.entry_index} (id {self.event_id or '?'}): "
        return f"{head}{self.field}: {self.message}"


class Entry:
    """One raw entry plus its YAML node (for line numbers)."""

    def __init__(self, index: int, data: Any, node: yaml.Node | None) -> None:
        self.index = index
        self.data = data
        self.node = node

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def line_of(self, loc: Sequence[str | int]) -> int:
        """Line of the value at ``loc`` (e.g. ("sources", 0, "url")), or the deepest found."""
        node = self.node
        line = self.line
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        child = v
                        line = k.start_mark.line + 1
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line

    def raw_id(self) -> str | None:
        """The id scalar as written (for entries that could not be constructed)."""
        if isinstance(self.node, yaml.MappingNode):
            for k, v in self.node.value:
                if (
                    isinstance(k, yaml.ScalarNode)
                    and k.value == "id"
                    and isinstance(v, yaml.ScalarNode)
                ):
                    return v.value
        return None

    def duplicate_keys(self) -> list[tuple[str, int]]:
        """Keys given twice in the entry's top-level mapping (YAML keeps only the last)."""
        if not isinstance(self.node, yaml.MappingNode):
            return []
        seen: set[str] = set()
        dups = []
        for k, _ in self.node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen:
                    dups.append((k.value, k.start_mark.line + 1))
                seen.add(k.value)
        return dups


def _yaml_error(exc: Exception) -> tuple[int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return (mark.line + 1 if mark is not None else None), problem


def _construct(loader: Any, node: yaml.Node) -> Any:
    return loader.construct_object(node, deep=True)


def _file_issue(fname: str, line: int, field: str, msg: str) -> ValidationIssue:
    return ValidationIssue(fname, 0, line, None, field, msg)


def _mapping_items(
    root: yaml.MappingNode, loader: Any, fname: str
) -> tuple[yaml.SequenceNode | None, list[ValidationIssue]]:
    """The ``events:`` list of a ``{schema_version: 1, events: [...]}`` file, and its issues
    (None when there is no list to read)."""
    issues: list[ValidationIssue] = []
    items_node: yaml.Node | None = None
    for k, v in root.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else None
        kline = k.start_mark.line + 1
        if key == "events":
            items_node = v
        elif key == "schema_version":
            try:
                version = _construct(loader, v)
            except (yaml.YAMLError, ValueError, TypeError):
                version = v.value
            if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
                msg = f"unsupported schema_version {version!r} (reads 1..{SCHEMA_VERSION})"
                return None, [_file_issue(fname, kline, "schema_version", msg)]
        else:
            issues.append(_file_issue(fname, kline, "file", f"unknown top-level key {key!r}"))
    if items_node is None or (
        isinstance(items_node, yaml.ScalarNode) and items_node.value in ("", "~", "null")
    ):
        return None, issues
    if not isinstance(items_node, yaml.SequenceNode):
        line = items_node.start_mark.line + 1
        return None, [*issues, _file_issue(fname, line, "events", "'events' must be a list")]
    return items_node, issues


def read_entries(path: Path) -> tuple[list[Entry], list[ValidationIssue]]:
    """Parse one file into entries; file-level problems become issues.

    Entries are constructed one by one, so a value YAML cannot build (e.g. ``date:
    2020-13-45``) spoils only its own entry.
    """
    fname = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [_file_issue(fname, 1, "file", f"cannot read: {exc}")]
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            line, problem = _yaml_error(exc)
            return [], [_file_issue(fname, line or 1, "yaml", f"YAML syntax error: {problem}")]
        if root is None:
            return [], []  # an empty file holds no events; not an error
        issues: list[ValidationIssue] = []
        if isinstance(root, yaml.MappingNode):
            items_node, issues = _mapping_items(root, loader, fname)
            if items_node is None:
                return [], issues
        elif isinstance(root, yaml.SequenceNode):
            items_node = root
        else:
            msg = "expected a list of events (or a mapping with 'events:')"
            return [], [_file_issue(fname, root.start_mark.line + 1, "file", msg)]
        entries: list[Entry] = []
        for i, node in enumerate(items_node.value, start=1):
            try:
                data = _construct(loader, node)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                line, problem = _yaml_error(exc)
                data = Unbuildable(line or node.start_mark.line + 1, str(problem))
            entries.append(Entry(i, data, node))
        return entries, issues
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Unbuildable:
    """An entry YAML could not construct (bad timestamp, bad tag...)."""

    line: int
    problem: str
