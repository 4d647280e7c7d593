"""Text-based sample files: plain text in any encoding, HTML pages, RTF."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path

from .blocks import FRENCH_TEXT


def make_txt(
    path: Path, text: str = FRENCH_TEXT, *, encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    """`text` with its line ends as `newline`, in `encoding` ('utf-8-sig' and 'utf-16' write a
    byte-order mark); return `path`."""
    if newline != "\n":
        text = text.replace("\n", newline)
    path.write_bytes(text.encode(encoding))
    return path


def make_html(
    path: Path,
    body: str = f"<p>{FRENCH_TEXT}</p>",
    *,
    title: str | None = None,
    lang: str | None = "fr",
    charset: str = "utf-8",
    declare_charset: bool = True,
    meta: Mapping[str, str] | None = None,
    head_extra: str = "",
) -> Path:
    """An HTML page encoded in `charset`, declared in <meta charset> unless told otherwise;
    `meta` gives <meta name=… content=…> tags, `body` is inner HTML."""
    head = [f'<meta charset="{charset}">'] if declare_charset else []
    if title is not None:
        head.append(f"<title>{escape(title)}</title>")
    head += [f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in (meta or {}).items()]
    lang_attr = f' lang="{lang}"' if lang else ""
    page = (
        f"<!DOCTYPE html>\n<html{lang_attr}>\n<head>\n{''.join(head)}{head_extra}\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    return make_txt(path, page, encoding=charset)


def _rtf_escape(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\par\n")
        elif code < 128:
            out.append(char)
        else:
            try:
                out.append(f"\\'{char.encode('cp1252')[0]:02x}")
            except UnicodeEncodeError:
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def make_rtf(
    path: Path, text: str = FRENCH_TEXT, *, title: str | None = None, author: str | None = None
) -> Path:
    """An RTF file (ANSI code page 1252): accents as \\'xx, other characters as \\uN escapes."""
    info = ""
    if title or author:
        info = "{\\info" + (f"{{\\title {_rtf_escape(title)}}}" if title else "")
        info += (f"{{\\author {_rtf_escape(author)}}}" if author else "") + "}"
    document = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}"
        "{\\colortbl;\\red0\\green0\\blue0;}" + info + "\n\\pard " + _rtf_escape(text) + "\\par\n}"
    )
    return make_txt(path, document, encoding="ascii")
