"""XML from outside, read safely. Every XML the project parses comes through here: MARCXML
and oai_dc imports, ODT and EPUB parts, SKOS vocabularies in RDF/XML, DOCX parts.

A DTD is refused, not resolved: no entity is ever expanded (a "billion laughs" file of a
few hundred bytes would otherwise grow to gigabytes and spin the CPU for minutes), no
external entity or DTD is fetched (no file read, no network), and the size is bounded.
defusedxml does the refusing inside the standard library's parser, where the declarations
are seen (a byte scan cannot tell a DOCTYPE from text that mentions one).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException

MAX_XML_BYTES = 256 * 1024 * 1024

# A DOCTYPE can only stand in the prolog: after the XML declaration, comments, processing
# instructions and spaces, before the root element.
_PROLOG_DOCTYPE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL | re.IGNORECASE
)


class UnsafeXml(ValueError):
    """XML refused before any entity could be expanded: `reason` is "dtd" (a DOCTYPE or
    ENTITY declaration) or "too-large" (over `limit_mb` MB); worded at the edge
    (webapp.messages.unsafe_xml)."""

    DTD = "dtd"
    TOO_LARGE = "too-large"

    def __init__(self, reason: str, limit_mb: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limit_mb = limit_mb


def parse_xml(data: bytes, *, limit: int = MAX_XML_BYTES) -> ElementTree.Element:
    """The root of an XML document from outside. Raises UnsafeXml for a DTD, an entity
    declaration, an external reference or a document over `limit` bytes, and
    ElementTree.ParseError for malformed XML."""
    if len(data) > limit:
        raise UnsafeXml(UnsafeXml.TOO_LARGE, limit // 2**20)
    try:
        return defused.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise UnsafeXml(UnsafeXml.DTD) from None


def check_xml(data: bytes, *, limit: int = MAX_XML_BYTES) -> None:
    """Refuse what parse_xml refuses, before another library (rdflib) parses the same bytes."""
    parse_xml(data, limit=limit)


def declares_doctype(head: bytes) -> bool:
    """Whether a document's first bytes (a few KB) declare a DTD; for parts that a library
    parses itself with entities off (python-docx): cheap, and enough to refuse them early."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: compare on the decoded text
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return _PROLOG_DOCTYPE.match(head) is not None
