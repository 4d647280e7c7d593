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
REFUSED = "déclaration DOCTYPE ou ENTITY refusée dans un fichier XML (risque de « bombe XML »)"

# A DOCTYPE can only stand in the prolog: after the XML declaration, comments, processing
# instructions and spaces, before the root element.
_PROLOG_DOCTYPE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL | re.IGNORECASE
)


class UnsafeXml(ValueError):
    """XML refused before any entity could be expanded (French message)."""


def parse_xml(data: bytes, *, limit: int = MAX_XML_BYTES) -> ElementTree.Element:
    """The root of an XML document from outside. Raises UnsafeXml for a DTD, an entity
    declaration, an external reference or a document over `limit` bytes, and
    ElementTree.ParseError for malformed XML."""
    if len(data) > limit:
        raise UnsafeXml(f"fichier XML trop volumineux (plus de {limit // 2**20} Mo)")
    try:
        return defused.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise UnsafeXml(REFUSED) from None


def check_xml(data: bytes, *, limit: int = MAX_XML_BYTES) -> None:
    """Refuse what parse_xml refuses, before another library (rdflib) parses the same bytes."""
    parse_xml(data, limit=limit)


def declares_doctype(head: bytes) -> bool:
    """Whether a document's first bytes (a few KB) declare a DTD; for parts that a library
    parses itself with entities off (python-docx): cheap, and enough to refuse them early."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: compare on the decoded text
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return _PROLOG_DOCTYPE.match(head) is not None
