"""The publisher register (events/data/publishers.yaml) and the sourcing rules built on it.

Every host the catalogue cites is listed once in the register with its publisher's canonical
name and a *kind* (wire agency, state-aligned media, Wikipedia, aggregator...). That lets
``python -m events validate`` judge an event's sources the way a briefing editor would: who
is speaking, and is anyone independent of the parties saying it too? The rules are in
:func:`source_issues` and explained in events/data/README.md ("Sources and the publisher
register").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REGISTER_PATH = Path(__file__).resolve().parent / "data" / "publishers.yaml"

#: Kinds of publisher, in the order the README and the report list them.
KINDS: tuple[str, ...] = (
    "wire_agency",
    "international_outlet",
    "intergovernmental",
    "research_rights",
    "regional_independent",
    "government",
    "state_aligned_media",
    "reference",
    "aggregator",
)

#: Human labels of the kinds (for popups, tables, the report).
KIND_LABELS: dict[str, str] = {
    "wire_agency": "wire agency",
    "international_outlet": "international outlet",
    "intergovernmental": "intergovernmental body or court",
    "research_rights": "research or rights organisation",
    "regional_independent": "regional independent outlet",
    "government": "government",
    "state_aligned_media": "state or aligned media",
    "reference": "reference work",
    "aggregator": "aggregator or mirror",
}

#: Sides of the conflict a state_aligned_media publisher (or a government) speaks for.
SIDES: tuple[str, ...] = ("Armenian", "Azerbaijani", "Russian", "Turkish", "Iranian")

#: A government's side, from its country (other countries are not parties: side = country).
COUNTRY_SIDE: dict[str, str] = {
    "Armenia": "Armenian",
    "Nagorno-Karabakh": "Armenian",
    "Azerbaijan": "Azerbaijani",
    "Russia": "Russian",
    "Turkey": "Turkish",
    "Türkiye": "Turkish",
    "Iran": "Iranian",
}

#: Kinds that make an event independently sourced (needed for ``confidence: high``).
INDEPENDENT_KINDS = frozenset(
    {
        "wire_agency",
        "international_outlet",
        "intergovernmental",
        "research_rights",
        "regional_independent",
    }
)
#: The kinds the issue's headline share counts ("cites a wire agency, international outlet,
#: intergovernmental body/court or research/rights organisation").
STRONG_KINDS = frozenset(
    {"wire_agency", "international_outlet", "intergovernmental", "research_rights"}
)
#: Kinds that never support an event on their own.
NON_SUPPORT_KINDS = frozenset({"reference", "aggregator"})
#: Kinds that speak for one side.
SIDE_KINDS = frozenset({"state_aligned_media", "government"})
#: Event types whose one-sided sourcing must be attributed (and at most medium confidence).
ONE_SIDED_TYPES = frozenset({"clash", "control_change", "displacement", "blockade", "checkpoint"})

_FIELDS = {"name", "kind", "side", "country", "hosts", "note"}
_HOST_RE = re.compile(
    r"^(?=.{3,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
)

#: Words naming a side (folded, lower case), for "the title/summary attributes the claim".
SIDE_TERMS: dict[str, tuple[str, ...]] = {
    "Armenian": (
        r"armenia\w*",
        r"yerevan",
        r"artsakh\w*",
        r"karabakh armenian\w*",
        r"(de facto|separatist|karabakh|nagorno-karabakh) (authorities|officials|leader\w*|"
        r"president|government|army|defen[cs]e army|ombudsman|human rights defender)",
        r"pashinyan",
        r"sargsyan",
        r"kocharyan",
    ),
    "Azerbaijani": (r"azerbaijan\w*", r"baku", r"aliyev\w*"),
    "Russian": (r"russia\w*", r"moscow", r"kremlin", r"putin"),
    "Turkish": (r"turkey", r"turkiye", r"turkish", r"ankara", r"erdogan"),
    "Iranian": (r"iran\w*", r"tehran"),
}
_REPORTING = re.compile(
    r"\b(said|says|say|saying|claim\w*|stated|states|reported|reports|report|announc\w*|"
    r"according to|alleg\w*|accus\w*|assert\w*|den(y|ies|ied)|declar\w*|insist\w*|told|"
    r"confirm\w*|charg\w*|blam\w*|statement)\b"
)


@dataclass(frozen=True)
class Publisher:
    """One publisher of the register: canonical name, kind, side/country, hosts."""

    name: str
    kind: str
    hosts: tuple[str, ...]
    side: str | None = None
    country: str | None = None
    note: str | None = None
    line: int = 0

    @property
    def speaks_for(self) -> str | None:
        """The side this publisher speaks for (state media: its side; government: its country's)."""
        if self.kind == "state_aligned_media":
            return self.side
        if self.kind == "government":
            return self.side or COUNTRY_SIDE.get(self.country or "", self.country)
        return None

    @property
    def label(self) -> str:
        """ "Armenpress — Armenian state or aligned media": who is speaking, at a glance."""
        kind = KIND_LABELS.get(self.kind, self.kind)
        if self.kind == "state_aligned_media" and self.side:
            kind = f"{self.side} {kind}"
        elif self.kind == "government" and self.country:
            kind = f"government of {self.country}"
        return f"{self.name} — {kind}"


@dataclass(frozen=True)
class RegisterIssue:
    """One problem in the register file: ``FILE:LINE: publisher NAME: field: message``."""

    file: str
    line: int
    name: str | None
    field: str
    message: str

    def __str__(self) -> str:
        """The issue as one line, like the catalogue's issues."""
        who = f"publisher {self.name!r}: " if self.name else ""
        return f"{self.file}:{self.line}: {who}{self.field}: {self.message}"


@dataclass(frozen=True)
class Register:
    """The loaded register: publishers, a host index, and the issues found in the file."""

    publishers: tuple[Publisher, ...]
    issues: tuple[RegisterIssue, ...] = ()
    file: str = ""
    _by_host: dict[str, Publisher] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._by_host:
            for p in self.publishers:
                for h in p.hosts:
                    self._by_host.setdefault(h, p)

    def lookup(self, url_or_host: str) -> Publisher | None:
        """The publisher of a URL or host: the longest register host equal to it or a parent
        domain of it (``en.trend.az`` -> ``trend.az``), or None."""
        host = host_of(url_or_host) if "/" in url_or_host else normalize_host(url_or_host)
        if not host:
            return None
        parts = host.split(".")
        for i in range(len(parts) - 1):
            p = self._by_host.get(".".join(parts[i:]))
            if p is not None:
                return p
        return None

    def by_name(self, name: str) -> Publisher | None:
        """The publisher with this canonical name, or None."""
        for p in self.publishers:
            if p.name == name:
                return p
        return None


def normalize_host(host: str) -> str:
    """Lower case, without a trailing dot, a port or a leading ``www.``."""
    host = host.strip().lower().rstrip(".")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def host_of(url: str) -> str:
    """The normalized host of a URL ('' when it has none)."""
    try:
        return normalize_host(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""


# --------------------------------------------------------------------------------------------
# loading the register


def _compose(p: Path) -> tuple[yaml.Node | None, RegisterIssue | None]:
    """The register file's YAML root node, or the issue that stops reading it."""
    fname = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, RegisterIssue(fname, 1, None, "file", f"cannot read: {exc}")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        msg = f"YAML syntax error: {getattr(exc, 'problem', None) or exc}"
        return None, RegisterIssue(fname, line, None, "yaml", msg)
    if root is not None and not isinstance(root, yaml.SequenceNode):
        msg = "expected a YAML list of publishers"
        return None, RegisterIssue(fname, root.start_mark.line + 1, None, "file", msg)
    return root, None


def load_register(path: str | Path | None = None) -> Register:
    """Read and check the register (default: events/data/publishers.yaml).

    Problems (unknown kind or key, missing side/country, a name or host listed twice, a bad
    host) become :class:`RegisterIssue` s; a publisher with a problem is still indexed by its
    valid hosts so that one typo does not turn every citation of it into "not in register".
    """
    p = Path(path) if path is not None else REGISTER_PATH
    root, problem = _compose(p)
    if problem is not None:
        return Register((), (problem,), str(p))
    if root is None:
        return Register((), (), str(p))
    reader = _RegisterReader(str(p))
    pubs = [pub for node in root.value if (pub := reader.publisher(node)) is not None]
    return Register(tuple(pubs), tuple(reader.issues), str(p))


class _RegisterReader:
    """Reads the register's entries one by one, checking names and hosts across entries."""

    def __init__(self, fname: str) -> None:
        self.fname = fname
        self.issues: list[RegisterIssue] = []
        self.names: dict[str, int] = {}  # folded name -> line
        self.hosts_seen: dict[str, tuple[str, int]] = {}  # host -> (publisher, line)

    def publisher(self, node: yaml.Node) -> Publisher | None:
        """The Publisher of one entry (None if it is not a mapping); problems become issues."""
        line = node.start_mark.line + 1
        data = _construct(node)
        if not isinstance(data, dict):
            self.issues.append(RegisterIssue(self.fname, line, None, "entry", "expected a mapping"))
            return None
        raw_name = data.get("name")
        name = raw_name.strip() if isinstance(raw_name, str) else ""

        def bad(fld: str, msg: str) -> None:
            line_ = _key_line(node, fld) or line
            self.issues.append(RegisterIssue(self.fname, line_, name or None, fld, msg))

        for key in data:
            if key not in _FIELDS:
                bad(str(key), f"unknown key {key!r} (allowed: {', '.join(sorted(_FIELDS))})")
        self._check_name(name, line, bad)
        kind, side, country = data.get("kind"), data.get("side"), data.get("country")
        _check_kind(kind, side, country, bad)
        hosts = self._hosts(data.get("hosts"), name, line, bad)
        note = data.get("note")
        return Publisher(
            name=name,
            kind=str(kind),
            hosts=tuple(hosts),
            side=side if isinstance(side, str) else None,
            country=country if isinstance(country, str) else None,
            note=note if isinstance(note, str) else None,
            line=line,
        )

    def _check_name(self, name: str, line: int, bad: Callable[[str, str], None]) -> None:
        if not name:
            bad("name", "a non-empty name is required")
        elif name.casefold() in self.names:
            first = self.names[name.casefold()]
            bad("name", f"publisher {name!r} listed twice (first at line {first})")
        else:
            self.names[name.casefold()] = line

    def _hosts(
        self, raw_hosts: Any, name: str, line: int, bad: Callable[[str, str], None]
    ) -> list[str]:
        """The entry's valid hosts, each claimed for this publisher (a repeat is an issue)."""
        if isinstance(raw_hosts, str):
            raw_hosts = [raw_hosts]
        if not isinstance(raw_hosts, list) or not raw_hosts:
            bad("hosts", "hosts must be a non-empty list of host names")
            return []
        hosts: list[str] = []
        for h in raw_hosts:
            norm = normalize_host(h) if isinstance(h, str) else ""
            if not _HOST_RE.match(norm) or norm != str(h).strip().lower():
                bad("hosts", f"{h!r} is not a bare host name (no scheme, path or 'www.')")
                continue
            if norm in self.hosts_seen:
                other, oline = self.hosts_seen[norm]
                bad("hosts", f"host {norm!r} already listed for {other!r} (line {oline})")
                continue
            self.hosts_seen[norm] = (name, line)
            hosts.append(norm)
        return hosts


def _check_kind(kind: Any, side: Any, country: Any, bad: Callable[[str, str], None]) -> None:
    """A known kind; state media with a side; a government with a country."""
    if kind not in KINDS:
        bad("kind", f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    if kind == "state_aligned_media" and side not in SIDES:
        bad("side", f"state_aligned_media needs side: one of {', '.join(SIDES)} (got {side!r})")
    elif side is not None and side not in SIDES:
        bad("side", f"unknown side {side!r}; one of: {', '.join(SIDES)}")
    if kind == "government" and not (isinstance(country, str) and country.strip()):
        bad("country", "a government needs country: the state whose statements it carries")


def shipped_register() -> Register:
    """The shipped register (events/data/publishers.yaml), re-read only when the file changes
    (for popups, tables and exports that show "Armenpress — Armenian state or aligned media")."""
    try:
        st = REGISTER_PATH.stat()
        key = (st.st_mtime_ns, st.st_size)
    except OSError:
        key = (-1, -1)
    return _shipped_cached(str(REGISTER_PATH), *key)


@functools.lru_cache(maxsize=2)
def _shipped_cached(path: str, _mtime: int, _size: int) -> Register:
    return load_register(path)


def source_label(url: str, publisher: str, register: Register | None = None) -> str:
    """Who is speaking, for a reader: the register's label for the URL's host ("Armenpress —
    Armenian state or aligned media"), else the publisher as written."""
    if register is None:
        return _shipped_label(url, publisher)
    pub = register.lookup(url)
    return pub.label if pub is not None else publisher


@functools.lru_cache(maxsize=65_536)
def _shipped_label(url: str, publisher: str) -> str:
    """source_label with the shipped register, cached: an imported file cites the same few
    URLs 10^5 times (popups, tables and exports all ask)."""
    pub = shipped_register().lookup(url)
    return pub.label if pub is not None else publisher


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    finally:
        loader.dispose()


def _key_line(node: yaml.Node, key: str) -> int | None:
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k.start_mark.line + 1
    return None


# --------------------------------------------------------------------------------------------
# the sourcing rules


#: (field, loc for the line lookup, message, rule name)
SourceIssue = tuple[str, tuple[str | int, ...], str, str]

#: Rule names (the ``rule`` of each issue; the report and tests group by them).
RULES: dict[str, str] = {
    "host_not_in_register": "source host not in the publisher register",
    "aggregator_source": "aggregator or mirror cited as a source",
    "publisher_name": "publisher is not the register's canonical name for the host",
    "reference_only": "Wikipedia (reference) is the only support",
    "one_sided_unattributed": "one side's state media/government only, claim not attributed",
    "one_sided_confidence": "one side's state media/government only, confidence above medium",
    "high_without_independent": "confidence high without an independent source",
}
#: Rules checked elsewhere whose issues also carry a rule name (counted by validate).
OTHER_RULES: dict[str, str] = {
    "incident_end_date": "kind incident with an end_date (events/schema.py)",
    "register": "a problem in the publisher register itself",
}


def _fold(text: str) -> str:
    from events.query import fold

    return fold(text)


def attributes(text: str, side: str, names: Iterable[str] = ()) -> bool:
    """True if some sentence of ``text`` names ``side`` (or one of ``names``, e.g. the
    publisher) together with a reporting verb ("said", "claimed", "according to"...)."""
    terms = [*SIDE_TERMS.get(side, ()), *(re.escape(_fold(n)) for n in names if n)]
    if not terms:
        return False
    side_re = re.compile(r"\b(" + "|".join(terms) + r")")
    for sentence in re.split(r"(?<=[.;!?])\s+", _fold(text)):
        if side_re.search(sentence) and _REPORTING.search(sentence):
            return True
    return False


def source_issues(event: Any, register: Register) -> list[SourceIssue]:
    """Every sourcing-rule violation of one event (an events.schema.Event).

    Per source: its host must be in the register; it must not be an aggregator/mirror; its
    ``publisher`` must be the register's name for the host. Per event (judged only when every
    host is known): Wikipedia may not be the only support; a clash, control_change,
    displacement, blockade or checkpoint resting only on one side's state media or government
    must attribute the claim in title and summary and have confidence medium or low;
    ``confidence: high`` needs an independent source (wire agency, international outlet,
    intergovernmental body, research/rights organisation or regional independent outlet).
    """
    out: list[SourceIssue] = []
    pubs = [register.lookup(src.url) for src in event.sources]
    for i, (src, pub) in enumerate(zip(event.sources, pubs, strict=True)):
        out += _per_source_issues(i, src, pub)
    if any(p is None for p in pubs):
        return out  # the event-level rules need every source's kind
    known = [p for p in pubs if p is not None]
    kinds = {p.kind for p in known}
    support = [p for p in known if p.kind not in NON_SUPPORT_KINDS]
    if "reference" in kinds and not support:
        out.append(
            (
                "sources",
                ("sources",),
                "a reference work (Wikipedia) is the only support: cite a real source "
                "(Wikipedia may stand only beside one, as background)",
                "reference_only",
            )
        )
    confidence = getattr(event.confidence, "value", event.confidence)
    one_sided = _one_sided_issues(event, support, confidence)
    out += one_sided
    one_sided_conf = any(rule == "one_sided_confidence" for *_x, rule in one_sided)
    if confidence == "high" and not one_sided_conf and not kinds & INDEPENDENT_KINDS:
        has = ", ".join(k for k in KINDS if k in kinds)
        out.append(
            (
                "confidence",
                ("confidence",),
                "confidence high needs a source from a wire agency, international outlet, "
                "intergovernmental body, research/rights organisation or regional independent "
                f"outlet (has: {has}); add one or lower the confidence",
                "high_without_independent",
            )
        )
    return out


def _per_source_issues(i: int, src: Any, pub: Publisher | None) -> list[SourceIssue]:
    """The rules of one source: host in the register, not an aggregator, canonical name."""
    loc: tuple[str | int, ...] = ("sources", i, "url")
    if pub is None:
        host = host_of(src.url) or src.url
        msg = (
            f"host {host!r} is not in the publisher register "
            "(events/data/publishers.yaml): add its publisher and kind there"
        )
        return [(f"sources[{i}].url", loc, msg, "host_not_in_register")]
    out: list[SourceIssue] = []
    if pub.kind == "aggregator":
        why = f" ({pub.note})" if pub.note else ""
        msg = (
            f"{pub.name}{why} is an aggregator or mirror, not accepted as a source: "
            "cite the original report"
        )
        out.append((f"sources[{i}].url", loc, msg, "aggregator_source"))
    if src.publisher != pub.name:
        msg = (
            f"publisher {src.publisher!r} is not the register's name for "
            f"{host_of(src.url)!r}: write {pub.name!r}"
        )
        out.append((f"sources[{i}].publisher", ("sources", i, "publisher"), msg, "publisher_name"))
    return out


def _one_sided_issues(event: Any, support: list[Publisher], confidence: str) -> list[SourceIssue]:
    """A clash-like event resting only on one side's state media or government must attribute
    the claim in its title and summary, and be of medium or low confidence."""
    etype = getattr(event.type, "value", event.type)
    sides = {p.speaks_for for p in support}
    if not (
        etype in ONE_SIDED_TYPES
        and support
        and all(p.kind in SIDE_KINDS for p in support)
        and len(sides) == 1
        and next(iter(sides)) in SIDES
    ):
        return []
    side = next(iter(sides))
    names = sorted({p.name for p in support})
    what = f"all sources are {side} state or aligned media or government ({', '.join(names)})"
    example = {
        "Armenian": "Armenia's defence ministry said",
        "Azerbaijani": "Azerbaijan's defence ministry said",
    }.get(side, f"{side} officials said")
    out: list[SourceIssue] = []
    for fld in ("title", "summary"):
        if not attributes(getattr(event, fld), side, names):
            msg = f"{what}: the {fld} must attribute the claim to that side (e.g. '{example} ...')"
            out.append((fld, (fld,), msg, "one_sided_unattributed"))
    if confidence == "high":
        msg = f"{what}: confidence must be medium or low"
        out.append(("confidence", ("confidence",), msg, "one_sided_confidence"))
    return out


# --------------------------------------------------------------------------------------------
# the report (python -m events validate --report)


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f} %)" if d else f"{n}/0"


def sourcing_report(events: Sequence[Any], register: Register) -> str:
    """Shares of the catalogue's sourcing, as text: events with a wire / international /
    intergovernmental / research-rights source, events resting only on Wikipedia or
    aggregators, and citations per kind."""
    n = len(events)
    strong = indep = weak_only = weak_high = unknown_ev = 0
    cites: Counter[str] = Counter()
    for ev in events:
        pubs = [register.lookup(s.url) for s in ev.sources]
        kinds = {p.kind for p in pubs if p is not None}
        for p in pubs:
            cites[p.kind if p is not None else "not in register"] += 1
        if kinds & STRONG_KINDS:
            strong += 1
        if kinds & INDEPENDENT_KINDS:
            indep += 1
        if any(p is None for p in pubs):
            unknown_ev += 1
        elif kinds <= NON_SUPPORT_KINDS:
            weak_only += 1
            if getattr(ev.confidence, "value", ev.confidence) == "high":
                weak_high += 1
    total = sum(cites.values())
    lines = [
        f"events: {n}; citations: {total}",
        "events citing a wire agency, international outlet, intergovernmental body/court or "
        f"research/rights organisation: {_pct(strong, n)}",
        f"  ... or a regional independent outlet: {_pct(indep, n)}",
        f"events resting only on Wikipedia/aggregators: {_pct(weak_only, n)} "
        f"({weak_high} of them confidence high)",
        f"events citing a host not in the register: {_pct(unknown_ev, n)}",
        "citations per kind:",
    ]
    for k in (*KINDS, "not in register"):
        if cites[k]:
            lines.append(f"  {k:<22} {_pct(cites[k], total)}")
    return "\n".join(lines) + "\n"
