"""Area ids events may reference: the registry and the validator's check."""

from __future__ import annotations

from events.catalogue import load_catalogue
from geo.areas import area_label, known_areas


def test_known_areas_cover_districts_enclaves_and_zones() -> None:
    areas = known_areas()
    for area_id in ("district-kalbajar", "enclave-karki", "nkao", "lachin-corridor", "eu-mission"):
        assert area_id in areas
    assert "Karvachar / Kalbajar" in area_label("district-kalbajar")
    assert area_label("district-kalbajar", "azerbaijani").startswith("Kalbajar")
    assert area_label("nowhere") is None


def test_unknown_related_area_is_reported(tmp_path) -> None:
    f = tmp_path / "e.yaml"
    f.write_text(
        """
- id: 2020-11-25-test-handover
  date: 2020-11-25
  type: control_change
  title: Test handover
  summary: A test event naming an area that does not exist.
  location: {place: Kalbajar}
  geo_precision: exact
  sources: [{url: "https://example.org/x", publisher: Example}]
  related_area: district-kalbajr
""",
        encoding="utf-8",
    )
    cat = load_catalogue([f])
    assert not cat.events
    (issue,) = cat.issues
    assert issue.field == "related_area" and "district-kalbajar" in issue.message


def test_every_shipped_related_area_resolves() -> None:
    cat = load_catalogue()
    refs = [ev.event.related_area for ev in cat.events if ev.event.related_area]
    assert refs and all(area_label(r) for r in refs)
