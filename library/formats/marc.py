"""MARC records, whatever their flavour (UNIMARC, MARC 21), and their MARCXML form.

A `MarcRecord` is the leader, control fields and data fields with indicators and subfields;
`unimarc.py` and `marc21.py` map catalogue records to it, `iso2709.py` and this module write it.
MARC 21 goes to MARCXML (the MARC21/slim schema); UNIMARC to MarcXchange, which says
format="UNIMARC" on each record.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import xml_input
from .common import xml_attr, xml_text
from .holdings_csv import RowError

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
MARCXML_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
# Characters ISO 2709 reserves as delimiters must never appear in data.
_DELIMITERS = re.compile("[\x1d\x1e\x1f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1c]")


@dataclass(slots=True)
class DataField:
    tag: str
    ind1: str = " "
    ind2: str = " "
    subfields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, code: str) -> str:
        return next((v for c, v in self.subfields if c == code), "")

    def get_all(self, code: str) -> list[str]:
        return [v for c, v in self.subfields if c == code]


@dataclass(slots=True)
class MarcRecord:
    leader: str = " " * 24
    control: list[tuple[str, str]] = field(default_factory=list)  # 001-009
    fields: list[DataField] = field(default_factory=list)
    flavour: str = ""  # "unimarc" or "marc21" when the file says so (MarcXchange's format)
    kind: str = ""  # MarcXchange's type: "Bibliographic", "Holdings", "Authority"...

    @property
    def bibliographic(self) -> bool:
        """A description of a document, not of copies (holdings) nor a heading (authority):
        MarcXchange says so in its type, both flavours in leader/06."""
        if self.kind:
            return self.kind.lower().startswith("bib")
        return self.leader[6:7] not in ("u", "v", "x", "y", "z")

    def add(self, tag: str, ind: str = "  ", *subfields: tuple[str, str]) -> None:
        """Add a data field; subfields with empty values are left out, empty fields too."""
        kept = [(c, clean(v)) for c, v in subfields if v and clean(v)]
        if kept:
            self.fields.append(DataField(tag, ind[0], ind[1], kept))

    def add_control(self, tag: str, value: str) -> None:
        if value:
            self.control.append((tag, clean(value)))

    def control_value(self, tag: str) -> str:
        return next((v for t, v in self.control if t == tag), "")

    def all(self, tag: str) -> list[DataField]:
        return [f for f in self.fields if f.tag == tag]

    def first(self, tag: str) -> DataField | None:
        return next((f for f in self.fields if f.tag == tag), None)

    def value(self, tag: str, code: str) -> str:
        found = self.first(tag)
        return found.get(code) if found else ""

    def values(self, tag: str, code: str) -> list[str]:
        return [v for f in self.all(tag) for v in f.get_all(code)]


def clean(value: str) -> str:
    """Data as MARC may carry it: no delimiters, no control characters, one line."""
    value = _DELIMITERS.sub(" ", value)
    value = _CONTROL.sub(" ", value)
    return value.replace("\r\n", "\n").strip()


# -- MARCXML -------------------------------------------------------------------------------


def marcxml_record(record: MarcRecord, *, namespace_declaration: bool = False) -> str:
    """One <marc:record> element (prefixed, so it embeds in OAI-PMH and collections)."""
    ns = f' xmlns:marc="{MARCXML_NS}"' if namespace_declaration else ""
    schema = (
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{MARCXML_NS} {MARCXML_SCHEMA}"'
        if namespace_declaration
        else ""
    )
    leader = record.leader.ljust(24)[:24]
    if leader[20:24] == "450 ":
        # UNIMARC leaves position 23 blank; the MARCXML schema wants the MARC 21 entry map.
        leader = leader[:20] + "4500"
    lines = [f"<marc:record{ns}{schema}>", f"<marc:leader>{xml_text(leader)}</marc:leader>"]
    for tag, value in record.control:
        lines.append(f'<marc:controlfield tag="{tag}">{xml_text(value)}</marc:controlfield>')
    for f in record.fields:
        lines.append(
            f'<marc:datafield tag="{f.tag}" ind1="{xml_attr(f.ind1)}" ind2="{xml_attr(f.ind2)}">'
        )
        for code, value in f.subfields:
            lines.append(
                f'<marc:subfield code="{xml_attr(code)}">{xml_text(value)}</marc:subfield>'
            )
        lines.append("</marc:datafield>")
    lines.append("</marc:record>")
    return "\n".join(lines)


MARCXCHANGE_NS = "info:lc/xmlns/marcxchange-v2"
MARCXCHANGE_SCHEMA = "http://www.loc.gov/standards/iso25577/marcxchange-2-0.xsd"


def marcxchange_collection(records: Iterable[MarcRecord], marc_format: str = "UNIMARC") -> bytes:
    """MarcXchange (ISO 25577): MARCXML's structure in its own namespace, each record saying
    its format. UNIMARC goes there: in the MARC21/slim namespace a reader (pymarc, Koha in
    MARC 21) takes its 200 for an unknown field and finds no 245."""
    body = []
    for record in records:
        lines = [
            f'<mx:record format="{xml_attr(marc_format)}" type="Bibliographic">',
            f"<mx:leader>{xml_text(record.leader.ljust(24)[:24])}</mx:leader>",
        ]
        for tag, value in record.control:
            lines.append(f'<mx:controlfield tag="{tag}">{xml_text(value)}</mx:controlfield>')
        for f in record.fields:
            lines.append(
                f'<mx:datafield tag="{f.tag}" ind1="{xml_attr(f.ind1)}" ind2="{xml_attr(f.ind2)}">'
            )
            for code, value in f.subfields:
                lines.append(
                    f'<mx:subfield code="{xml_attr(code)}">{xml_text(value)}</mx:subfield>'
                )
            lines.append("</mx:datafield>")
        lines.append("</mx:record>")
        body.append("\n".join(lines))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<mx:collection xmlns:mx="{MARCXCHANGE_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{MARCXCHANGE_NS} {MARCXCHANGE_SCHEMA}">\n'
        + "\n".join(body)
        + "\n</mx:collection>\n"
    ).encode()


def marcxml_collection(records: Iterable[MarcRecord]) -> bytes:
    body = "\n".join(marcxml_record(r) for r in records)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<marc:collection xmlns:marc="{MARCXML_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{MARCXML_NS} {MARCXML_SCHEMA}">\n'
        f"{body}\n</marc:collection>\n"
    ).encode()


class MarcXmlError(ValueError):
    """An XML file refused whole: a code (unsafe-xml with the reason and limit_mb of
    library.xml_input, or xml-malformed with the parser's detail) for a RowError."""

    def __init__(self, code: str, line: int = 0, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.line = line
        self.params = params

    def row_error(self) -> RowError:
        return RowError(self.line or 1, code=self.code, params=self.params)


def parse_xml(data: bytes) -> ET.Element:
    """Parse an XML document from outside; DTDs (and so entity tricks) are refused
    (library.xml_input)."""
    try:
        return xml_input.parse_xml(data)
    except xml_input.UnsafeXml as exc:
        raise MarcXmlError("unsafe-xml", 1, reason=exc.reason, limit_mb=exc.limit_mb) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        detail = exc.msg if hasattr(exc, "msg") else str(exc)
        raise MarcXmlError("xml-malformed", line, detail=detail) from None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_marcxml(root: ET.Element) -> Iterator[MarcRecord]:
    """Every <record> under `root` (a collection, an OAI-PMH response, or a lone record)."""
    records = (
        [root]
        if local(root.tag) == "record" and _is_marc(root)
        else [e for e in root.iter() if local(e.tag) == "record" and _is_marc(e)]
    )
    for element in records:
        declared = (element.get("format") or "").upper().replace(" ", "")
        record = MarcRecord(
            flavour="unimarc"
            if "UNIMARC" in declared
            else ("marc21" if "MARC21" in declared else "")
        )
        for child in element:
            name = local(child.tag)
            if name == "leader":
                record.leader = (child.text or "").ljust(24)[:24]
            elif name == "controlfield":
                record.control.append((child.get("tag", ""), child.text or ""))
            elif name == "datafield":
                record.fields.append(
                    DataField(
                        child.get("tag", ""),
                        (child.get("ind1") or " ")[:1],
                        (child.get("ind2") or " ")[:1],
                        [
                            (s.get("code", ""), s.text or "")
                            for s in child
                            if local(s.tag) == "subfield"
                        ],
                    )
                )
        yield record


def _is_marc(element: ET.Element) -> bool:
    return element.tag.startswith("{" + MARCXML_NS) or any(
        local(c.tag) in ("leader", "datafield", "controlfield") for c in element
    )
