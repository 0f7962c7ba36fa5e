"""Imported events kept compact (events.packed.PackedEvent, #18): on a real import they equal,
field by field and model by model, the ResolvedEvents they replace, and cost far less memory."""

from __future__ import annotations

import copy
import dataclasses
import gc
import io
import pickle
import tracemalloc
from pathlib import Path

import pytest

from benchmarks.synth import acled_csv
from events.io import rows
from events.io.detect import import_file
from events.io.export import to_csv, to_geojson
from events.io.native import import_csv
from events.packed import PackedEvent, Packer
from events.query import EventIndex, filter_events
from events.schema import ResolvedEvent

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "events"
ACCESSORS = (
    "id", "date", "end_date", "kind", "placeless", "date_precision", "type", "title",
    "summary", "actors", "sources", "confidence", "related_area", "notes", "lon", "lat",
    "geo_precision", "place", "place_hy", "place_az", "origin", "aliases", "from_file",
)  # fmt: skip

NATIVE = (
    "id,date,end_date,type,title,summary,place,lon,lat,geo_precision,sources,actors,notes\n"
    "hand-1,2020-11-08,,control_change,Shusha taken,Azerbaijani forces took the town.,Shushi,,,"
    "exact,https://example.org/a https://example.com/b,Army; Militia,a note\n"
    "hand-2,2020-11-09,2020-12-01,blockade,Road closed,The road was closed for weeks.,,46.7,39.7,"
    "near,https://example.org/c,,\n"
)


class _Unpacked:
    """What import_rows kept before: the validated ResolvedEvent itself."""

    def pack(self, ev: ResolvedEvent) -> ResolvedEvent:
        return ev


def _both(monkeypatch: pytest.MonkeyPatch, load: object) -> tuple[list, list]:
    packed = load().events
    with monkeypatch.context() as m:
        m.setattr(rows, "Packer", _Unpacked)
        plain = load().events
    return plain, packed


def _geocode(name: str) -> object:
    class P:
        lon, lat, name, name_hy, name_az = 46.75, 39.76, "Shusha", "Շուշի", "Şuşa"

    if name == "Shushi":
        return P()
    raise LookupError(name)


LOADS = {
    "acled-synth": lambda: import_file(acled_csv(400), "big.csv", "acled"),
    "acled-current": lambda: import_file((FIX / "acled_current.csv").read_bytes(), "a.csv"),
    "acled-2015": lambda: import_file((FIX / "acled_2015.csv").read_bytes(), "a.csv"),
    "ucdp": lambda: import_file((FIX / "ucdp_header.csv").read_bytes(), "u.csv", "ucdp"),
    "native": lambda: import_csv(io.StringIO(NATIVE), geocoder=_geocode),
}


@pytest.mark.parametrize("name", list(LOADS))
def test_packed_events_equal_the_validated_ones(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    plain, packed = _both(monkeypatch, LOADS[name])
    assert plain and len(plain) == len(packed)
    for a, b in zip(plain, packed, strict=True):
        assert type(a) is ResolvedEvent and type(b) is PackedEvent
        assert isinstance(b, ResolvedEvent)
        assert b == a and a == b
        for f in ACCESSORS:
            assert getattr(b, f) == getattr(a, f), f
        e, f = a.event, b.event
        assert f == e and f.model_dump() == e.model_dump() and repr(f) == repr(e)
        assert f.__pydantic_fields_set__ == e.__pydantic_fields_set__
        assert f.location.__pydantic_fields_set__ == e.location.__pydantic_fields_set__
        assert [s.__pydantic_fields_set__ for s in f.sources] == [
            s.__pydantic_fields_set__ for s in e.sources
        ]
        assert repr(b).removeprefix("PackedEvent") == repr(a).removeprefix("ResolvedEvent")
    # exporters and the filters' index read them the same way
    assert to_csv(packed) == to_csv(plain)
    assert to_geojson(packed) == to_geojson(plain)
    ia, ib = EventIndex(plain), EventIndex(packed)
    for col in ("first", "last", "type_codes", "prec_codes", "order"):
        assert getattr(ia, col).tolist() == getattr(ib, col).tolist(), col


def test_native_values_survive_packing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several sources, an end date, gazetteer names, a point that is not the location's."""
    _, packed = _both(monkeypatch, LOADS["native"])
    one, two = packed
    assert [s.url for s in one.sources] == ["https://example.org/a", "https://example.com/b"]
    assert (one.place, one.place_az, one.event.location.place) == ("Shusha", "Şuşa", "Shushi")
    assert (one.lon, one.actors) == (46.75, ["Army", "Militia"])
    assert two.end_date.isoformat() == "2020-12-01" and two.kind.value == "situation"


def test_packed_event_is_immutable_and_rebuilt() -> None:
    ev = LOADS["native"]().events[0]
    for name in ("title", "lon", "event", "_ev", "anything"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(ev, name, "x")
    with pytest.raises(TypeError):
        hash(ev)
    ev.actors.append("someone else")  # a new list each time: the event is unchanged
    assert ev.actors == ["Army", "Militia"]
    moved = dataclasses.replace(ev, from_file="other.csv")
    assert type(moved) is PackedEvent and moved.from_file == "other.csv"
    assert dataclasses.replace(moved, from_file=ev.from_file) == ev


def test_packed_events_pickle_and_copy() -> None:
    for ev in LOADS["native"]().events:
        for twin in (pickle.loads(pickle.dumps(ev)), copy.copy(ev), copy.deepcopy(ev)):
            assert type(twin) is PackedEvent and twin == ev and twin.event == ev.event


def test_text_and_actor_filters_on_packed_events() -> None:
    evs = LOADS["native"]().events
    assert [e.id for e in filter_events(evs, text="susa")] == ["hand-1"]  # gazetteer name
    assert [e.id for e in filter_events(evs, actors=["militia"])] == ["hand-1"]


def test_upload_file_name_is_set_on_packed_events() -> None:
    evs = import_file(acled_csv(5), "mine.csv", "acled").events
    assert {e.from_file for e in evs} == {"mine.csv"}


def test_packed_events_hold_less_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    data = acled_csv(3000)

    def held(packer: object) -> tuple[int, int]:
        """Bytes the import's result holds: what deleting it frees (caches left out)."""
        with monkeypatch.context() as m:
            m.setattr(rows, "Packer", packer)
            gc.collect()
            tracemalloc.start()
            result = import_file(data, "big.csv", "acled")
            n = len(result.events)
            gc.collect()
            size = tracemalloc.get_traced_memory()[0]
            del result
            gc.collect()
            size -= tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
        return size, n

    plain, n = held(_Unpacked)
    packed, m = held(Packer)
    assert n == m == 3000
    # ~2.1 kB an event before, ~1.6 kB now at this size: most of what is left is text each
    # event has alone (summary, notes, ids); at 20,000 events 0.8 kB (docs/benchmarks.md)
    assert plain - packed > 400 * n, (plain / n, packed / n)
