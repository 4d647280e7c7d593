"""RTF with a small tokenizer: groups, control words, code pages, Unicode escapes, \\info fields.

What it skips: font, colour and style tables, pictures, objects, field instructions and every
`\\*` destination it does not know. Footnotes are kept and gathered after the body."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from indexer import metadata
from indexer.extractors.base import Extraction, ExtractionLimits
from indexer.extractors.common import (
    CUT_FILE,
    FileMetadata,
    bounded,
    finish,
    guarded,
    read_bytes,
)
from indexer.reasons import Reason, ReasonCode


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read and edit than a list)."""
    return frozenset(text.split())


MALFORMED_RTF = Reason.of(ReasonCode.MALFORMED, format="RTF")
_TOKEN = re.compile(
    r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word, optional numeric parameter
    r"|\\'([0-9a-fA-F]{2})"  # byte in the current code page
    r"|\\([^a-zA-Z'])"  # control symbol
    r"|([{}])"
    r"|[\r\n]+"
    r"|([^\\{}\r\n]+)"
)
# Destinations whose content is not text of the document.
_SKIP_DESTINATIONS = _words(
    """fonttbl colortbl stylesheet listtable listoverridetable revtbl rsidtbl generator filetbl
    pict object objdata themedata colorschememapping latentstyles datastore xmlnstbl
    pgdsctbl fldinst bkmkstart bkmkend shp shpinst sp sn sv nonshppict blipuid mmathPr
    txfieldtext userprops private"""
)
_INFO_FIELDS = frozenset({"title", "author", "subject", "keywords", "doccomm", "company"})
_SYMBOLS = {
    "par": "\n",
    "line": "\n",
    "row": "\n",
    "sect": "\n",
    "page": "\f",
    "cell": "\t",
    "tab": "\t",
    "emdash": "—",
    "endash": "–",
    "lquote": "‘",
    "rquote": "’",
    "ldblquote": "“",
    "rdblquote": "”",
    "bullet": "•",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
}
_CONTROL_SYMBOLS = {
    "~": "\u00a0",
    "_": "-",
    "-": "",
    "\\": "\\",
    "{": "{",
    "}": "}",
    "\n": "\n",
    "\r": "\n",
    "\t": "\t",
}
# \fcharset values to Python codecs (the ones French and European documents meet).
_CHARSETS = {
    0: None,
    1: None,
    2: None,
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    134: "gbk",
    136: "big5",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
    255: "cp437",
}


@dataclass(frozen=True, slots=True)
class _State:
    target: str = "body"  # 'body', 'notes', an info field name, or 'skip'
    codec: str | None = None  # None: the document's code page
    uc: int = 1  # how many fallback characters follow a \u escape
    fonttable: bool = False
    info: bool = False


@dataclass
class RtfDocument:
    text: str
    info: dict[str, str] = field(default_factory=dict)
    created: str | None = None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class _Reader:
    def __init__(self) -> None:
        self.default_codec = "cp1252"
        self.outputs: dict[str, list[str]] = {"body": [], "notes": []}
        self.pending = bytearray()
        self.pending_state = _State()
        self.fonts: dict[int, str | None] = {}
        self.defining_font: int | None = None
        self.created: dict[str, int] = {}
        self.skip_chars = 0
        self.high_surrogate: int | None = None

    def unicode(self, code: int) -> str:
        """A \\u escape as text; characters beyond U+FFFF come as two surrogate escapes."""
        if 0xD800 <= code <= 0xDBFF:
            self.high_surrogate = code
            return ""
        if 0xDC00 <= code <= 0xDFFF:
            high, self.high_surrogate = self.high_surrogate, None
            if high is None:
                return ""
            return chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
        return chr(code)

    def flush(self) -> None:
        if not self.pending:
            return
        codec = self.pending_state.codec or self.default_codec
        text = bytes(self.pending).decode(codec, errors="replace")
        self.pending.clear()
        self.emit(text, self.pending_state)

    def emit(self, text: str, state: _State) -> None:
        if state.target != "skip" and not state.fonttable:
            self.outputs.setdefault(state.target, []).append(text)

    def add_bytes(self, data: bytes, state: _State) -> None:
        if self.skip_chars:
            dropped = min(self.skip_chars, len(data))
            self.skip_chars -= dropped
            data = data[dropped:]
        if not data or state.target == "skip" or state.fonttable:
            return
        if state != self.pending_state:
            self.flush()
            self.pending_state = state
        self.pending += data

    def add_text(self, text: str, state: _State) -> None:
        self.flush()
        self.emit(text, state)


def read_rtf(data: bytes) -> RtfDocument:
    """Text and \\info fields of an RTF document."""
    source = data.decode("latin-1")  # one char per byte: the tokenizer works on bytes' values
    reader = _Reader()
    stack: list[_State] = []
    state = _State()
    group_start = False  # the next control word opens a destination
    position = 0
    while match := _TOKEN.match(source, position):
        position = match.end()
        word, param, hex_byte, symbol, brace, text = match.groups()
        if brace == "{":
            reader.flush()
            stack.append(state)
            group_start = True
            continue
        if brace == "}":
            reader.flush()
            closing, state = state, stack.pop() if stack else state
            if closing.target == "notes" and state.target != "notes":
                reader.outputs["notes"].append("\n")  # one footnote a line
            group_start = False
            continue
        opens = group_start
        group_start = False
        if word is not None:
            value = int(param) if param is not None else None
            state = _control_word(reader, state, word, value, opens)
            if word == "bin" and value:  # raw binary data follows: jump over it
                position += max(value, 0)
            continue
        if hex_byte is not None:
            reader.add_bytes(bytes([int(hex_byte, 16)]), state)
            continue
        if symbol is not None:
            if symbol == "*":  # ignorable destination we do not know: skip the group
                state = replace(state, target="skip")
                group_start = opens
            elif reader.skip_chars:
                reader.skip_chars -= 1
            elif symbol in _CONTROL_SYMBOLS:
                reader.add_text(_CONTROL_SYMBOLS[symbol], state)
            continue
        if text is not None:
            if state.fonttable:
                continue
            reader.add_bytes(text.encode("latin-1"), state)
    reader.flush()
    info = {
        k: metadata.clean_text_line("".join(v))
        for k, v in reader.outputs.items()
        if k in _INFO_FIELDS
    }
    body = "".join(reader.outputs["body"])
    notes = "".join(reader.outputs["notes"]).strip()
    text = _tidy(body) + (f"\n\n{_tidy(notes)}" if notes else "")
    created = None
    if "yr" in reader.created:
        c = reader.created
        created = metadata.parse_date(f"{c['yr']:04d}-{c.get('mo', 1):02d}-{c.get('dy', 1):02d}")
    return RtfDocument(
        text=text.strip(), info={k: v for k, v in info.items() if v}, created=created
    )


def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _control_word(
    reader: _Reader, state: _State, word: str, value: int | None, opens: bool
) -> _State:
    if state.target == "skip" and not state.info:
        return state
    if opens:
        if word in _SKIP_DESTINATIONS:
            reader.flush()
            if word == "fonttbl":
                return replace(state, fonttable=True)
            return replace(state, target="skip")
        if word == "info":
            return replace(state, info=True, target="skip")
        if state.info and word in _INFO_FIELDS:
            return replace(state, target=word)
        if state.info and word == "creatim":
            return replace(state, target="creatim")
        if word == "footnote":
            return replace(state, target="notes")
    if state.fonttable:
        if word == "f" and value is not None:
            reader.defining_font = value
            reader.fonts.setdefault(value, None)
        elif word == "fcharset" and value is not None and reader.defining_font is not None:
            reader.fonts[reader.defining_font] = _CHARSETS.get(value)
        elif word == "cpg" and value is not None and reader.defining_font is not None:
            reader.fonts[reader.defining_font] = _codec(f"cp{value}")
        return state
    if state.target == "creatim" and word in ("yr", "mo", "dy") and value is not None:
        reader.created[word] = value
        return state
    if word == "ansicpg" and value:
        reader.default_codec = _codec(f"cp{value}") or reader.default_codec
    elif word == "mac":
        reader.default_codec = "mac_roman"
    elif word in ("pc", "pca"):
        reader.default_codec = "cp437" if word == "pc" else "cp850"
    elif word == "f" and value is not None:
        return replace(state, codec=reader.fonts.get(value))
    elif word == "uc" and value is not None:
        return replace(state, uc=max(value, 0))
    elif word == "u" and value is not None:
        code = value + 65536 if value < 0 else value
        reader.add_text(reader.unicode(code), state)
        reader.skip_chars = state.uc
    elif word in _SYMBOLS:
        reader.add_text(_SYMBOLS[word], state)
    return state


class RtfExtractor:
    name: ClassVar[str] = "rtf"
    media_type: ClassVar[str] = "application/rtf"
    suffixes: ClassVar[tuple[str, ...]] = (".rtf",)

    def sniff(self, head: bytes, path: Path) -> bool:
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")

    def extract(self, path: Path, limits: ExtractionLimits) -> Extraction:
        # Pictures make RTF files large for little text: read as much as a zip may inflate.
        raw, cut = read_bytes(path, limits.max_uncompressed)
        return guarded(path, MALFORMED_RTF, lambda: self._extract(path, raw, cut, limits))

    def _extract(self, path: Path, raw: bytes, cut: bool, limits: ExtractionLimits) -> Extraction:
        document = read_rtf(raw)
        info = document.info
        meta = FileMetadata(
            title=info.get("title"),
            authors=metadata.split_authors(info.get("author")),
            keywords=metadata.split_keywords(info.get("keywords")),
            abstract=info.get("doccomm") or info.get("subject"),
            date=document.created,
        )
        text, issues = bounded(document.text, limits)
        if cut:
            issues = (*issues, CUT_FILE)
        return finish(path, self.media_type, text, meta, issues=issues)
