"""Sourcing rules for the territorial-control data (geo/data/control/*.yaml).

The map's control periods and zones are briefed like catalogue events, so their sources follow
the same publisher register (events/data/publishers.yaml): every cited host is registered, no
mirror or aggregator is cited, publishers are named as the register names them, and no period
or zone rests on Wikipedia (or other reference works) alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from events.publishers import NON_SUPPORT_KINDS, Register, load_register, shipped_register
from geo import control, zones

pytestmark = pytest.mark.unit

CONTROL_DIR = control.CONTROL_DIR


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def _cited(node: Any, where: str) -> Iterator[tuple[str, dict]]:
    """Every mapping with a ``url`` key anywhere in a YAML document, with its path."""
    if isinstance(node, dict):
        if "url" in node:
            yield where, node
        for key, value in node.items():
            yield from _cited(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _cited(value, f"{where}[{i}]")


def source_problems(directory: Path, register: Register) -> list[str]:
    """Problems with the cited URLs of every YAML file in ``directory`` (file, path, issue)."""
    problems = []
    for path in _yaml_files(directory):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, src in _cited(doc, path.name):
            pub = register.lookup(str(src["url"]))
            if pub is None:
                problems.append(f"{where}: host of {src['url']} is not in the register")
            elif pub.kind == "aggregator":
                problems.append(f"{where}: {src['url']} is an aggregator/mirror ({pub.name})")
            elif src.get("publisher") != pub.name:
                problems.append(
                    f"{where}: publisher {src.get('publisher')!r} is not the register's "
                    f"name {pub.name!r}"
                )
    return problems


def _entries(spec: dict) -> Iterator[tuple[str, list[str]]]:
    """(where, source keys) of every timeline entry, change and zone of a periods spec."""
    for phase, field in (("before_2020", "timeline"), ("from_2020", "changes")):
        block = spec.get(phase) or {}
        pieces = list(block.get("pieces") or [])
        if block.get("remainder"):
            pieces.append(block["remainder"])
        for piece in pieces:
            for i, entry in enumerate(piece.get(field) or []):
                yield f"{phase}.{piece['id']}[{i}]", list(entry.get("sources") or [])
    zone_spec = spec.get("zones") or {}
    for name, value in zone_spec.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "sources" in item:
                yield f"zones.{name}.{item.get('id')}", list(item["sources"])


def reference_only(spec: dict, register: Register) -> list[str]:
    """Entries and zones whose sources are all reference works or aggregators (or none)."""
    table = spec.get("sources") or {}
    bad = []
    for where, keys in _entries(spec):
        kinds = []
        for key in keys:
            pub = register.lookup(str(table[key]["url"])) if key in table else None
            kinds.append(pub.kind if pub else None)
        if not any(k is not None and k not in NON_SUPPORT_KINDS for k in kinds):
            bad.append(f"{where}: {keys}")
    return bad


def _periods_spec() -> dict:
    return yaml.safe_load((CONTROL_DIR / "periods.yaml").read_text(encoding="utf-8"))


# --- the shipped data ------------------------------------------------------------------------


def test_control_data_files_are_found() -> None:
    names = {p.name for p in _yaml_files(CONTROL_DIR)}
    assert {"periods.yaml", "waypoints.yaml"} <= names


def test_every_control_source_is_registered_not_a_mirror_and_named_as_registered() -> None:
    problems = source_problems(CONTROL_DIR, shipped_register())
    assert not problems, "\n".join(problems)


def test_no_control_period_or_zone_rests_on_reference_works_alone() -> None:
    bad = reference_only(_periods_spec(), shipped_register())
    assert not bad, "\n".join(bad)


def test_every_cited_source_key_exists_and_every_source_is_cited() -> None:
    spec = _periods_spec()
    table = set(spec["sources"])
    cited = {key for _, keys in _entries(spec) for key in keys}
    assert cited, "no entry cites a source"
    assert not cited - table, sorted(cited - table)
    assert not table - cited, sorted(table - cited)


def test_built_periods_and_zones_carry_a_supporting_source() -> None:
    """What the map shows (periods and zones as built) is supported beyond Wikipedia."""
    reg = shipped_register()

    def supported(sources: tuple[dict, ...]) -> bool:
        kinds = [getattr(reg.lookup(s["url"]), "kind", None) for s in sources]
        return any(k is not None and k not in NON_SUPPORT_KINDS for k in kinds)

    periods = control.model().periods
    assert periods
    assert not [p.id for p in periods if not supported(p.sources)]
    built = zones.zones()
    assert built
    assert not [z.id for z in built if not supported(z.sources)]


# --- the checks themselves catch what they must ----------------------------------------------

REGISTER_YAML = """\
- name: Reuters
  kind: wire_agency
  hosts: [reuters.com]
- name: Wikipedia
  kind: reference
  hosts: [wikipedia.org]
- name: WikiMili
  kind: aggregator
  hosts: [wikimili.com]
"""


@pytest.fixture()
def tiny_register(tmp_path: Path) -> Register:
    path = tmp_path / "publishers.yaml"
    path.write_text(REGISTER_YAML, encoding="utf-8")
    return load_register(path)


def test_source_check_reports_mirror_unknown_host_and_wrong_name(
    tmp_path: Path, tiny_register: Register
) -> None:
    data = tmp_path / "control"
    data.mkdir()
    (data / "periods.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": {
                    "ok": {"url": "https://www.reuters.com/a", "publisher": "Reuters"},
                    "mirror": {"url": "https://wikimili.com/en/X", "publisher": "Wikipedia"},
                    "unknown": {"url": "https://example.org/x", "publisher": "Example"},
                    "renamed": {"url": "https://reuters.com/b", "publisher": "Reuters via X"},
                }
            }
        ),
        encoding="utf-8",
    )
    (data / "waypoints.yaml").write_text(
        yaml.safe_dump(
            {
                "waypoints": [
                    {"id": "w", "source": {"url": "https://wikimili.com/w", "publisher": "x"}}
                ]
            }
        ),
        encoding="utf-8",
    )
    problems = source_problems(data, tiny_register)
    joined = "\n".join(problems)
    assert len(problems) == 4, joined
    assert "periods.yaml.sources.mirror" in joined and "aggregator" in joined
    assert "periods.yaml.sources.unknown" in joined and "not in the register" in joined
    assert "periods.yaml.sources.renamed" in joined and "'Reuters'" in joined
    assert "waypoints.yaml.waypoints[0].source" in joined


def test_reference_only_check_flags_wikipedia_alone_not_wikipedia_beside_a_source(
    tiny_register: Register,
) -> None:
    spec = {
        "sources": {
            "wiki": {"url": "https://en.wikipedia.org/wiki/X", "publisher": "Wikipedia"},
            "mirror": {"url": "https://wikimili.com/X", "publisher": "WikiMili"},
            "wire": {"url": "https://www.reuters.com/x", "publisher": "Reuters"},
        },
        "before_2020": {
            "pieces": [
                {"id": "a", "timeline": [{"sources": ["wiki"]}, {"sources": ["wiki", "wire"]}]}
            ],
            "remainder": {"id": "r", "timeline": [{"sources": ["wiki", "mirror"]}]},
        },
        "from_2020": {"pieces": [{"id": "b", "changes": [{"sources": ["missing-key"]}]}]},
        "zones": {
            "peacekeeping": {"id": "pk", "sources": ["wire"]},
            "regions": [{"id": "eu", "sources": ["wiki"]}],
        },
    }
    bad = reference_only(spec, tiny_register)
    assert bad == [
        "before_2020.a[0]: ['wiki']",
        "before_2020.r[0]: ['wiki', 'mirror']",
        "from_2020.b[0]: ['missing-key']",
        "zones.regions.eu: ['wiki']",
    ]
