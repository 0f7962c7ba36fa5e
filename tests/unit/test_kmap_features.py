"""Events as GeoJSON features: every source's fields as pydantic would dump them, who speaks."""

from __future__ import annotations


def test_source_dicts_match_the_json_dump_of_every_catalogue_source() -> None:
    """The fast attribute read gives what pydantic's JSON dump gives (empty fields left out)."""
    from events import load_catalogue
    from kmap.map.features import _source_dicts

    keys = ("url", "publisher", "published", "title")
    n = 0
    for ev in load_catalogue().events:
        sources = ev.event.sources
        want = [
            {k: v for k, v in s.model_dump(mode="json").items() if k in keys and v} for s in sources
        ]
        got = _source_dicts(sources)
        assert [{k: v for k, v in d.items() if k in keys} for d in got] == want
        assert _source_dicts([s.model_dump(mode="json") for s in sources]) == got
        for d, s in zip(got, sources, strict=True):  # who speaks, and where the link goes
            assert d["host"] and d["host"] in s.url
            assert d["label"]
        n += len(sources)
    assert n > 100


def test_sources_show_the_real_host_and_the_register_label() -> None:
    from kmap.map.features import _source_dicts

    spoof, real = _source_dicts(
        [
            {"url": "https://example.org@198.51.100.7/x", "publisher": "Reuters"},
            {"url": "https://www.reuters.com/world/x", "publisher": "Whoever"},
        ]
    )
    assert spoof["host"] == "198.51.100.7"  # the popup shows where the link really goes
    assert real["label"].startswith("Reuters")  # the register names who is speaking
