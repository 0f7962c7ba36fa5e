"""Storyboard: editing, JSON and link round trips, hostile files, named frames, aspect fill."""

from __future__ import annotations

import base64
import json
import math
import zlib

import pytest
import shapely

from geo.boundaries import layer_shapes
from kmap.deck.storyboard import (
    FRAME_NAMES,
    MAX_FILE_BYTES,
    MAX_LINK_PARAM,
    MAX_STEPS,
    Arrow,
    Callout,
    CircleArea,
    Step,
    Storyboard,
    StoryboardError,
    fill_aspect,
    frame_bbox,
)
from kmap.viewstate import ViewState, to_query

VIEW = ViewState(
    start=__import__("datetime").date(2020, 9, 27),
    end=__import__("datetime").date(2020, 11, 10),
    types=("clash",),
    text="Lachin",
)


def board(n: int = 3) -> Storyboard:
    """n steps with every kind of annotation."""
    steps = tuple(
        Step(
            title=f"Step {i}",
            note=f"note {i}",
            query=to_query(VIEW),
            frame="karabakh" if i % 2 else (46.0, 39.0, 47.0, 40.0),
            annotations=(
                Arrow(start=(46.5, 39.5), end=(46.7, 39.8), text="advance"),
                Callout(at=(46.75, 39.8), text="here"),
                CircleArea(centre=(46.6, 39.7), radius_km=12.5),
            ),
        )
        for i in range(n)
    )
    return Storyboard(title="Deck", classification="UNCLASSIFIED", steps=steps)


def titles(sb: Storyboard) -> list[str]:
    return [s.title for s in sb.steps]


def test_add_remove_move_retitle() -> None:
    sb = board(3)
    assert titles(sb.add(Step(title="New"))) == ["Step 0", "Step 1", "Step 2", "New"]
    assert titles(sb.add(Step(title="New"), at=0))[0] == "New"
    assert titles(sb.remove(1)) == ["Step 0", "Step 2"]
    assert titles(sb.move(0, 2)) == ["Step 1", "Step 2", "Step 0"]
    assert titles(sb.move(2, 0)) == ["Step 2", "Step 0", "Step 1"]
    assert titles(sb.retitle(1, "Renamed")) == ["Step 0", "Renamed", "Step 2"]
    assert titles(sb) == ["Step 0", "Step 1", "Step 2"]  # the original is unchanged
    with pytest.raises(IndexError, match="no step at index 5"):
        sb.remove(5)
    with pytest.raises(StoryboardError, match="title"):
        sb.retitle(0, "x" * 1000)
    full = Storyboard(steps=(Step(title="s"),) * MAX_STEPS)
    with pytest.raises(StoryboardError, match=f"at most {MAX_STEPS}"):
        full.add(Step(title="one too many"))


def test_json_round_trip_and_view() -> None:
    sb = board(3)
    back = Storyboard.from_json(sb.to_json(), "deck.json")
    assert back == sb
    assert Storyboard.from_json(b"\xef\xbb\xbf" + sb.to_json()) == sb  # saved with a BOM
    view, problems = back.steps[0].view()
    assert problems == []
    assert view == VIEW


def test_link_param_round_trip_and_limit() -> None:
    sb = board(2)
    param = sb.to_link_param()
    assert param is not None and len(param) <= MAX_LINK_PARAM
    assert set(param) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert Storyboard.from_link_param(param) == sb
    # long notes that do not compress: too long for a link
    import random

    rng = random.Random(1)
    noisy = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(3000))
    big = Storyboard(steps=(Step(title="t", note=noisy),))
    assert big.to_link_param() is None


def test_link_param_bad_and_zip_bomb() -> None:
    with pytest.raises(StoryboardError, match="link parameter"):
        Storyboard.from_link_param("!!not base64!!")
    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * (MAX_FILE_BYTES * 4), 9)).decode()
    assert len(bomb) <= MAX_LINK_PARAM  # small on the wire
    with pytest.raises(StoryboardError, match="expands beyond"):
        Storyboard.from_link_param(bomb)


def _error(data: bytes | str, name: str = "hostile.json") -> str:
    with pytest.raises(StoryboardError) as info:
        Storyboard.from_json(data, name)
    return str(info.value)


def test_wrong_types_name_file_step_and_field() -> None:
    doc = {"steps": [{"title": "ok"}, {"title": "ok"}, {"title": 7}]}
    msg = _error(json.dumps(doc))
    assert msg.startswith("hostile.json: step 3: field title:")
    doc = {"steps": [{"title": "ok", "annotations": [{"kind": "circle", "centre": [46, 40]}]}]}
    msg = _error(json.dumps(doc))
    assert "hostile.json: step 1: annotation 1:" in msg and "radius_km" in msg
    doc = {"steps": [{"title": "ok", "frame": "moon"}]}
    assert "step 1: field frame" in _error(json.dumps(doc))
    doc = {"steps": [{"title": "ok", "frame": [47, 40, 46, 41]}]}
    assert "lon_min < lon_max" in _error(json.dumps(doc))
    doc = {"steps": [{"title": "ok", "query": {"from": 2020}}]}
    assert "step 1: field query" in _error(json.dumps(doc))
    doc = {"steps": [{"title": "ok", "surprise": 1}]}
    assert "field surprise" in _error(json.dumps(doc))
    doc = {"steps": [{"title": "bell\x07"}]}
    assert "control character" in _error(json.dumps(doc))
    assert "Invalid JSON" in _error(b"{not json")
    assert "hostile.json" in _error(b"\xff\xfe garbage")


def test_a_million_steps_is_refused_before_parsing() -> None:
    data = b'{"steps": [' + b",".join([b'{"title":"s"}'] * 1_000_000) + b"]}"
    msg = _error(data, "big.json")
    assert msg.startswith("big.json:") and "limit" in msg
    # under the byte limit but over the step limit: counted, not built
    data = json.dumps({"steps": [{"title": "s"}] * (MAX_STEPS + 1)})
    assert f"at most {MAX_STEPS}" in _error(data, "many.json")


def test_deep_nesting_is_refused() -> None:
    msg = _error(b'{"steps": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "deep.json")
    assert msg.startswith("deep.json:") and "recursion" in msg


def test_template_text_is_kept_literally() -> None:
    doc = {"title": "{{7*7}}", "steps": [{"title": "${7*7} {{7*7}}", "note": "{% print 1 %}"}]}
    sb = Storyboard.from_json(json.dumps(doc))
    assert sb.title == "{{7*7}}"
    assert sb.steps[0].title == "${7*7} {{7*7}}" and sb.steps[0].note == "{% print 1 %}"
    assert b"49" not in sb.to_json()


def _bounds(geoms: list) -> tuple[float, float, float, float]:
    return shapely.union_all(geoms).bounds


def _contains(outer: tuple, inner: tuple) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def test_named_frames_come_from_the_geodata() -> None:
    karabakh = [g for _, g in layer_shapes("nkao")] + [
        g for p, g in layer_shapes("admin_units") if p.get("seven_districts")
    ]
    assert _contains(frame_bbox("karabakh"), _bounds(karabakh))
    nakh = [g for p, g in layer_shapes("admin_units") if p["id"].startswith("nakhchivan-")]
    assert _contains(frame_bbox("nakhchivan"), _bounds(nakh))
    # the frame is the area with a small margin, not a whole-region box
    assert frame_bbox("nakhchivan")[2] < _bounds(karabakh)[2]
    from kmap.view_export import DEFAULT_EXPORT_BBOX

    assert frame_bbox("region") == DEFAULT_EXPORT_BBOX
    for name in FRAME_NAMES:
        lon0, lat0, lon1, lat1 = frame_bbox(name)
        assert lon0 < lon1 and lat0 < lat1
    with pytest.raises(ValueError, match="unknown frame"):
        frame_bbox("moon")


def test_lachin_corridor_frame_holds_the_corridor_zones() -> None:
    from geo.zones import zones

    corridors = [z.geometry for z in zones() if z.kind == "corridor"]
    assert corridors
    box = frame_bbox("lachin_corridor")
    assert _contains(box, _bounds(corridors))
    assert _contains(frame_bbox("karabakh"), box)  # it lies in the Karabakh frame


def _ground_aspect(b: tuple[float, float, float, float]) -> float:
    return (b[2] - b[0]) * math.cos(math.radians((b[1] + b[3]) / 2)) / (b[3] - b[1])


@pytest.mark.parametrize("bbox", [(46.0, 39.0, 46.5, 40.5), (44.0, 39.5, 48.0, 39.8)])
@pytest.mark.parametrize("aspect", [16 / 9, 4 / 3, 297 / 210])
def test_fill_aspect_widens_never_cuts(bbox: tuple, aspect: float) -> None:
    out = fill_aspect(bbox, aspect)
    assert _ground_aspect(out) == pytest.approx(aspect, rel=1e-9)
    assert _contains(out, bbox)
    # centred, and only one direction grew
    assert (out[0] + out[2]) / 2 == pytest.approx((bbox[0] + bbox[2]) / 2)
    assert (out[1] + out[3]) / 2 == pytest.approx((bbox[1] + bbox[3]) / 2)
    grew_x = out[2] - out[0] > bbox[2] - bbox[0] + 1e-12
    grew_y = out[3] - out[1] > bbox[3] - bbox[1] + 1e-12
    assert grew_x != grew_y
    with pytest.raises(ValueError):
        fill_aspect(bbox, 0)


def test_step_bbox_of_named_and_explicit_frames() -> None:
    assert Step(title="t", frame="nakhchivan").bbox() == frame_bbox("nakhchivan")
    assert Step(title="t", frame=(46.0, 39.0, 47.0, 40.0)).bbox() == (46.0, 39.0, 47.0, 40.0)
