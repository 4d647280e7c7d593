"""XML from outside: a DTD is refused before any entity is expanded or fetched."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from library.xml_input import UnsafeXml, declares_doctype, parse_xml
from webapp.messages import unsafe_xml

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"""
PUBLIC_DTD = b"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN"
 "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd"><html/>"""


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, PUBLIC_DTD], ids=["laughs", "file", "dtd"])
def test_a_dtd_is_refused_with_a_french_reason(data):
    with pytest.raises(UnsafeXml) as refused:
        parse_xml(data)
    assert refused.value.reason == UnsafeXml.DTD
    assert "DOCTYPE ou ENTITY refusée" in unsafe_xml(refused.value)
    assert declares_doctype(data)


def test_ordinary_xml_is_read_and_malformed_xml_says_so():
    root = parse_xml('<?xml version="1.0"?><!-- ok --><r a="é">texte &amp; suite</r>'.encode())
    assert root.text == "texte & suite" and root.get("a") == "é"
    assert not declares_doctype(b'<?xml version="1.0"?><!-- <!DOCTYPE x> --><r/>')
    with pytest.raises(ElementTree.ParseError):
        parse_xml(b"<r>")


def test_the_size_is_bounded():
    with pytest.raises(UnsafeXml) as refused:
        parse_xml(b"<r>" + b"x" * 4 * 2**20 + b"</r>", limit=2**20)
    assert unsafe_xml(refused.value) == "fichier XML trop volumineux (plus de 1 Mo)"


def test_a_utf16_dtd_is_seen_too():
    assert declares_doctype(
        LAUGHS.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16")
    )
