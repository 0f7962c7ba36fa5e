"""The publisher register (events/publishers.py) and the sourcing rules validate enforces.

Each rule is tested on a small temporary catalogue checked against a temporary register, and
the exact issue line is asserted.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from events.__main__ import main
from events.catalogue import load_catalogue
from events.publishers import RULES, host_of, load_register, source_label
from tests.unit.test_events_catalogue import fake_geocode, line_of

pytestmark = pytest.mark.unit

REGISTER = """\
# a test register
- name: Reuters
  kind: wire_agency
  hosts: [reuters.com]
- name: Armenpress
  kind: state_aligned_media
  side: Armenian
  hosts: [armenpress.am]
- name: Trend
  kind: state_aligned_media
  side: Azerbaijani
  hosts: [trend.az]
- name: Ministry of Defence of Azerbaijan
  kind: government
  country: Azerbaijan
  hosts: [mod.gov.az]
- name: OC Media
  kind: regional_independent
  hosts: [oc-media.org]
- name: Wikipedia
  kind: reference
  hosts: [wikipedia.org]
- name: WikiMili
  kind: aggregator
  hosts: [wikimili.com]
  note: Wikipedia mirror
- name: Council of Europe
  kind: intergovernmental
  hosts: [coe.int]
- name: European Court of Human Rights
  kind: intergovernmental
  hosts: [echr.coe.int]
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def event(
    id_: str,
    sources: list[tuple[str, str]],
    type_: str = "clash",
    title: str = "Fighting near Shusha",
    summary: str = "Fighting took place near the town.",
    confidence: str | None = None,
) -> str:
    """One catalogue entry (YAML) citing ``sources`` as (url, publisher) pairs."""
    text = (
        f"- id: {id_}\n"
        "  date: 2020-10-01\n"
        f"  type: {type_}\n"
        f"  title: {title}\n"
        f"  summary: {summary}\n"
        "  location: {place: Shusha}\n"
        "  geo_precision: exact\n"
    )
    if confidence:
        text += f"  confidence: {confidence}\n"
    text += "  sources:\n"
    for url, pub in sources:
        text += f"    - url: {url}\n      publisher: {pub}\n"
    return text


@pytest.fixture()
def reg_path(tmp_path: Path) -> Path:
    return write(tmp_path / "publishers.yaml", REGISTER)


def check(tmp_path: Path, reg_path: Path, *entries: str) -> tuple[Path, list[str], list]:
    """Load the entries against the test register: (file, issue lines, issues)."""
    p = write(tmp_path / "events.yaml", "".join(entries))
    cat = load_catalogue([p], geocoder=fake_geocode, register=reg_path)
    return p, [str(i) for i in cat.issues], list(cat.issues)


REUTERS = ("https://www.reuters.com/world/a", "Reuters")
TREND = ("https://en.trend.az/azerbaijan/1", "Trend")
MOD_AZ = ("https://mod.gov.az/en/news/1", "Ministry of Defence of Azerbaijan")
ARMENPRESS = ("https://armenpress.am/eng/news/1", "Armenpress")
WIKI = ("https://en.wikipedia.org/wiki/Shusha", "Wikipedia")


# --- the register ------------------------------------------------------------------------------


def test_lookup_subdomains_www_and_longest_host(reg_path: Path) -> None:
    reg = load_register(reg_path)
    assert reg.issues == ()
    assert reg.lookup("https://en.trend.az/x").name == "Trend"
    assert reg.lookup("https://WWW.Reuters.com/world").name == "Reuters"
    assert reg.lookup("https://en.wikipedia.org./wiki/X").name == "Wikipedia"  # trailing dot
    assert reg.lookup("https://hudoc.echr.coe.int/x").name == "European Court of Human Rights"
    assert reg.lookup("https://www.coe.int/en/web").name == "Council of Europe"
    assert reg.lookup("https://notreuters.com/x") is None  # not a subdomain of reuters.com
    assert reg.lookup("https://reuters.com.evil.example/x") is None
    assert reg.lookup("mod.gov.az").speaks_for == "Azerbaijani"
    assert reg.lookup("armenpress.am").label == "Armenpress — Armenian state or aligned media"
    assert host_of("https://user@www.Example.org:8080/p") == "example.org"


def test_source_label(reg_path: Path) -> None:
    reg = load_register(reg_path)
    assert source_label(MOD_AZ[0], "x", reg) == (
        "Ministry of Defence of Azerbaijan — government of Azerbaijan"
    )
    assert source_label(REUTERS[0], "x", reg) == "Reuters — wire agency"
    assert source_label("https://unknown.example/x", "Some Paper", reg) == "Some Paper"
    assert source_label("https://www.reuters.com/x", "x") == "Reuters — wire agency"  # shipped


def test_register_problems_are_reported_with_line(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.yaml",
        REGISTER
        + "- name: News.am\n  kind: state_aligned_media\n  side: Armenian\n  hosts: [news.am]\n"
        + "- name: NEWS.AM\n  kind: state_aligned_media\n  side: Armenian\n  hosts: [news.am]\n"
        + "- name: Pledge Times\n  kind: content_farm\n  hosts: [https://pledgetimes.com]\n"
        + "- name: Ministry\n  kind: government\n  hosts: [mfa.am]\n  url: x\n"
        + "- name: Sputnik\n  kind: state_aligned_media\n  hosts: [www.sputniknews.com]\n",
    )
    reg = load_register(bad)
    first = line_of(bad, "name: News.am")
    got = [str(i) for i in reg.issues]
    assert got == [
        f"{bad}:{line_of(bad, 'name: NEWS.AM')}: publisher 'NEWS.AM': name: publisher 'NEWS.AM' "
        f"listed twice (first at line {first})",
        f"{bad}:{line_of(bad, 'hosts: [news.am]', 2)}: publisher 'NEWS.AM': hosts: host "
        f"'news.am' already listed for 'News.am' (line {first})",
        f"{bad}:{line_of(bad, 'kind: content_farm')}: publisher 'Pledge Times': kind: unknown "
        "kind 'content_farm'; one of: wire_agency, international_outlet, intergovernmental, "
        "research_rights, regional_independent, government, state_aligned_media, reference, "
        "aggregator",
        f"{bad}:{line_of(bad, 'https://pledgetimes')}: publisher 'Pledge Times': hosts: "
        "'https://pledgetimes.com' is not a bare host name (no scheme, path or 'www.')",
        f"{bad}:{line_of(bad, 'url: x')}: publisher 'Ministry': url: unknown key 'url' "
        "(allowed: country, hosts, kind, name, note, side)",
        f"{bad}:{line_of(bad, 'name: Ministry', 2)}: publisher 'Ministry': country: a government "
        "needs country: the state whose statements it carries",
        f"{bad}:{line_of(bad, 'name: Sputnik')}: publisher 'Sputnik': side: state_aligned_media "
        "needs side: one of Armenian, Azerbaijani, Russian, Turkish, Iranian (got None)",
        f"{bad}:{line_of(bad, 'www.sputniknews')}: publisher 'Sputnik': hosts: "
        "'www.sputniknews.com' is not a bare host name (no scheme, path or 'www.')",
    ]
    # the first News.am keeps its host: its citations still resolve
    assert reg.lookup("https://news.am/eng/1").name == "News.am"


def test_register_problems_fail_validate(
    tmp_path: Path, reg_path: Path, capsys: pytest.CaptureFixture
) -> None:
    p = write(tmp_path / "events.yaml", event("fine", [REUTERS]))
    assert main(["validate", str(p), "--register", str(reg_path)]) == 0
    capsys.readouterr()
    write(reg_path, REGISTER + "- name: Reuters\n  kind: wire_agency\n  hosts: [reuters.co.uk]\n")
    assert main(["validate", str(p), "--register", str(reg_path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{reg_path}:{line_of(reg_path, 'name: Reuters', 2)}: name: publisher 'Reuters': "
        "publisher 'Reuters' listed twice" in out
    )
    assert "  1 x register: a problem in the publisher register itself (publishers.yaml 1)" in out


def test_shipped_register_is_clean() -> None:
    """The shipped register loads without issues and names every kind it uses correctly."""
    reg = load_register()
    assert reg.issues == (), "\n".join(map(str, reg.issues))
    assert reg.lookup("https://www.reuters.com/x").kind == "wire_agency"
    assert reg.lookup("https://english.iswnews.com/x").kind == "state_aligned_media"
    assert reg.lookup("https://wikimili.com/en/X").kind == "aggregator"


# --- the rules ----------------------------------------------------------------------------------


def test_host_not_in_register(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path, reg_path, event("unknown-host", [REUTERS, ("https://pledgetimes.com/x", "PT")])
    )
    assert got == [
        f"{p}:{line_of(p, 'pledgetimes')}: entry 1 (id unknown-host): sources[1].url: host "
        "'pledgetimes.com' is not in the publisher register (events/data/publishers.yaml): "
        "add its publisher and kind there"
    ]
    assert issues[0].rule == "host_not_in_register"


def test_aggregator_as_source(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path,
        reg_path,
        event("mirror", [REUTERS, ("https://wikimili.com/en/Shusha", "WikiMili")]),
    )
    assert got == [
        f"{p}:{line_of(p, 'wikimili')}: entry 1 (id mirror): sources[1].url: WikiMili "
        "(Wikipedia mirror) is an aggregator or mirror, not accepted as a source: cite the "
        "original report"
    ]
    assert issues[0].rule == "aggregator_source"


def test_publisher_must_be_the_canonical_name(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path, reg_path, event("alias", [("https://www.reuters.com/x", "Reuters (via AP)")])
    )
    assert got == [
        f"{p}:{line_of(p, 'Reuters (via AP)')}: entry 1 (id alias): sources[0].publisher: "
        "publisher 'Reuters (via AP)' is not the register's name for 'reuters.com': "
        "write 'Reuters'"
    ]
    assert issues[0].rule == "publisher_name"


def test_wikipedia_only_support(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path,
        reg_path,
        event("wiki-only", [WIKI], type_="agreement", confidence="low"),
        event("wiki-beside", [WIKI, REUTERS], type_="agreement"),
    )
    assert got == [
        f"{p}:{line_of(p, 'sources:')}: entry 1 (id wiki-only): sources: a reference work "
        "(Wikipedia) is the only support: cite a real source (Wikipedia may stand only beside "
        "one, as background)"
    ]
    assert issues[0].rule == "reference_only"


def test_one_sided_clash_must_be_attributed(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path,
        reg_path,
        event("unattributed", [TREND, MOD_AZ, WIKI], confidence="medium"),
    )
    what = (
        "all sources are Azerbaijani state or aligned media or government (Ministry of Defence "
        "of Azerbaijan, Trend)"
    )
    assert got == [
        f"{p}:{line_of(p, 'title:')}: entry 1 (id unattributed): title: {what}: the title must "
        "attribute the claim to that side (e.g. 'Azerbaijan's defence ministry said ...')",
        f"{p}:{line_of(p, 'summary:')}: entry 1 (id unattributed): summary: {what}: the summary "
        "must attribute the claim to that side (e.g. 'Azerbaijan's defence ministry said ...')",
    ]
    assert {i.rule for i in issues} == {"one_sided_unattributed"}


def test_one_sided_clash_attributed_and_medium_passes(tmp_path: Path, reg_path: Path) -> None:
    _, got, _ = check(
        tmp_path,
        reg_path,
        event(
            "attributed",
            [TREND, MOD_AZ],
            type_="control_change",
            title="Azerbaijan says its forces took Shusha",
            summary="Azerbaijan's defence ministry said its forces entered the town. Armenia "
            "denied it.",
            confidence="medium",
        ),
        event(
            "by-publisher-name",
            [ARMENPRESS],
            type_="displacement",
            title="Residents leave, Armenpress reports",
            summary="According to Armenpress, residents left the town.",
            confidence="low",
        ),
        # not one of the five types: no attribution rule (medium: no confidence rule either)
        event("agreement-type", [TREND], type_="agreement", confidence="medium"),
        # both sides' media: not one side's
        event("two-sides", [TREND, ARMENPRESS], confidence="medium"),
        # an independent source besides
        event("independent", [TREND, REUTERS]),
    )
    assert got == []


def test_one_sided_attribution_must_name_the_right_side(tmp_path: Path, reg_path: Path) -> None:
    p, got, _ = check(
        tmp_path,
        reg_path,
        event(
            "wrong-side",
            [ARMENPRESS],
            type_="blockade",
            title="Armenia says the road is closed",
            summary="Azerbaijan said the road is open.",  # names the other side
            confidence="medium",
        ),
    )
    assert got == [
        f"{p}:{line_of(p, 'summary:')}: entry 1 (id wrong-side): summary: all sources are "
        "Armenian state or aligned media or government (Armenpress): the summary must attribute "
        "the claim to that side (e.g. 'Armenia's defence ministry said ...')"
    ]


def test_one_sided_clash_confidence_at_most_medium(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path,
        reg_path,
        event(
            "too-confident",
            [MOD_AZ],
            type_="checkpoint",
            title="Azerbaijan says it set up a checkpoint",
            summary="Azerbaijan's State Border Service said it set up a checkpoint.",
        ),  # no confidence: the default is high
    )
    assert got == [
        f"{p}:{line_of(p, 'id: too-confident')}: entry 1 (id too-confident): confidence: all "
        "sources are Azerbaijani state or aligned media or government (Ministry of Defence of "
        "Azerbaijan): confidence must be medium or low"
    ]
    assert issues[0].rule == "one_sided_confidence"


def test_confidence_high_needs_an_independent_source(tmp_path: Path, reg_path: Path) -> None:
    p, got, issues = check(
        tmp_path,
        reg_path,
        event("gov-only", [MOD_AZ, WIKI], type_="agreement", confidence="high"),
        event("gov-medium", [MOD_AZ], type_="agreement", confidence="medium"),
        event(
            "regional-ok",
            [MOD_AZ, ("https://oc-media.org/x", "OC Media")],
            type_="agreement",
        ),
    )
    assert got == [
        f"{p}:{line_of(p, 'confidence: high')}: entry 1 (id gov-only): confidence: confidence "
        "high needs a source from a wire agency, international outlet, intergovernmental body, "
        "research/rights organisation or regional independent outlet (has: government, "
        "reference); add one or lower the confidence"
    ]
    assert issues[0].rule == "high_without_independent"


def test_event_level_rules_wait_for_unknown_hosts(tmp_path: Path, reg_path: Path) -> None:
    """With a host not in the register, its kind is unknown: only that issue is given."""
    _, _, issues = check(
        tmp_path, reg_path, event("pending", [WIKI, ("https://example.net/x", "Example")])
    )
    assert [i.rule for i in issues] == ["host_not_in_register"]


def test_every_rule_has_a_test_and_a_readme_line() -> None:
    readme = (Path(__file__).parents[2] / "events" / "data" / "README.md").read_text()
    tested = Path(__file__).read_text()
    for rule in RULES:
        assert f"`{rule}`" in readme, rule
        assert f'"{rule}"' in tested, rule


# --- the report --------------------------------------------------------------------------------


def test_validate_report_shares(
    tmp_path: Path, reg_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import events.catalogue as catalogue_mod

    monkeypatch.setattr(catalogue_mod, "_gazetteer_geocoder", lambda: (fake_geocode, None))
    p = write(
        tmp_path / "events.yaml",
        event("a-wire", [REUTERS, TREND])
        + event("b-wiki", [WIKI], type_="agreement")
        + event("c-regional", [("https://oc-media.org/x", "OC Media")], type_="agreement")
        + event("d-mirror", [("https://wikimili.com/x", "WikiMili"), WIKI], type_="agreement"),
    )
    assert main(["validate", str(p), "--register", str(reg_path), "--report"]) == 1
    out = capsys.readouterr().out
    assert "events: 4; citations: 6\n" in out
    assert (
        "events citing a wire agency, international outlet, intergovernmental body/court or "
        "research/rights organisation: 1/4 (25 %)\n" in out
    )
    assert "  ... or a regional independent outlet: 2/4 (50 %)\n" in out
    assert (
        "events resting only on Wikipedia/aggregators: 2/4 (50 %) (2 of them confidence high)\n"
        in out
    )
    for line in (
        "  wire_agency            1/6 (17 %)",
        "  regional_independent   1/6 (17 %)",
        "  state_aligned_media    1/6 (17 %)",
        "  reference              2/6 (33 %)",
        "  aggregator             1/6 (17 %)",
    ):
        assert line in out.splitlines(), line
    assert "  1 x aggregator_source: aggregator or mirror cited as a source (events.yaml 1)" in out
