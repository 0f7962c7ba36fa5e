"""The masks a slider move sends: Python encodes (kmap.map.masks), the browser decodes
(KMap._decodeMask in kmap/js/kmap.js). The JavaScript decoder runs here in node, on masks from
mask_b64, and must give back exactly the flags."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kmap.config import KMAP_DIR
from kmap.map.masks import decode_mask, mask_b64

KMAP_JS = KMAP_DIR / "js" / "kmap.js"
#: Loads kmap.js as the page does (it sets window.KMap), then answers one JSON line
#: {"mask", "n"} with the n flags as "0"/"1", read from the decoded bytes exactly as
#: KMap._apply reads them.
NODE_DECODER = """
globalThis.window = globalThis;
require("vm").runInThisContext(require("fs").readFileSync(process.argv[1], "utf8"));
const rl = require("readline").createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const { mask, n } = JSON.parse(line);
  const bits = window.KMap._decodeMask(mask, n);
  let out = "";
  for (let i = 0; i < n; i++) out += (bits[i >> 3] >> (i & 7)) & 1;
  process.stdout.write(out + "\\n");
});
"""


@pytest.fixture(scope="module")
def js_decode() -> Iterator[Callable[[str, int], list[bool]]]:
    """KMap._decodeMask in a node process kept for the module: mask, n -> flags."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to test kmap.js (apt install nodejs)")
    proc = subprocess.Popen(
        [node, "-e", NODE_DECODER, str(KMAP_JS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def decode(mask: str, n: int) -> list[bool]:
        proc.stdin.write(json.dumps({"mask": mask, "n": n}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        assert line.endswith("\n"), f"node stopped: {proc.poll()}"
        return [c == "1" for c in line[:-1]]

    try:
        yield decode
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


def _runs(parts: list[tuple[bool, int]]) -> list[bool]:
    return [flag for flag, length in parts for _ in range(length)]


#: Masks as a view makes them: a few long runs (a date window) or scattered flags (filters).
FLAGS = st.one_of(
    st.lists(st.booleans(), max_size=200),
    st.lists(st.tuples(st.booleans(), st.integers(1, 400)), max_size=12).map(_runs),
)


@given(flags=FLAGS)
@example(flags=[])
@example(flags=[True] * 9)  # runs starting "on"
@example(flags=[False] * 3 + [True] * 2 + [False] * 1000)  # runs
@example(flags=[i % 3 == 0 for i in range(17)])  # a bitset, last byte partly used
@example(flags=[False, False, True, True, False, True, False, True])  # base64 "rA==": no run
@settings(max_examples=300, deadline=None)
def test_javascript_decoder_gives_back_the_flags(
    js_decode: Callable[[str, int], list[bool]], flags: list[bool]
) -> None:
    mask = mask_b64(flags)
    assert js_decode(mask, len(flags)) == flags
    assert decode_mask(mask, len(flags)) == flags  # the Python inverse the tests use agrees


def test_both_forms_are_decoded(js_decode: Callable[[str, int], list[bool]]) -> None:
    """The examples above reach both encodings (run lengths and the base64 bitset)."""
    window = [100 <= i < 900 for i in range(1000)]
    scattered = [(i * 7) % 3 == 0 for i in range(1000)]
    assert mask_b64(window).startswith("r")
    assert mask_b64(scattered).startswith("b")
    assert js_decode(mask_b64(window), 1000) == window
    assert js_decode(mask_b64(scattered), 1000) == scattered


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 1000, 100_003])
@pytest.mark.parametrize(
    "pattern",
    [
        lambda i, n: (i * 7) % 3 == 0,  # scattered: a bitset
        lambda i, n: n // 3 <= i < 2 * n // 3,  # a window: runs
        lambda i, n: i < n // 2,  # starts "on"
        lambda i, n: True,
        lambda i, n: False,
    ],
)
def test_mask_round_trip(n: int, pattern: Callable[[int, int], bool]) -> None:
    flags = [pattern(i, n) for i in range(n)]
    assert decode_mask(mask_b64(flags), n) == flags


def test_mask_is_compact_at_100k() -> None:
    scattered = [(i * 7) % 3 == 0 for i in range(100_000)]
    assert len(mask_b64(scattered)) <= 16_700  # 12.5 kB of bits, base64
    window = [30_000 <= i < 62_345 for i in range(100_000)]
    assert mask_b64(window) == "r30000,32345,37655"  # a date window: three runs
    assert mask_b64([True] * 100_000) == "r0,100000"


def test_a_text_of_neither_form_is_an_error() -> None:
    with pytest.raises(ValueError, match="neither r nor b"):
        decode_mask("rA=="[1:])
