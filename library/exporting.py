"""The export formats, by the names the CLI and the web share, and the partner bundle.

`FORMATS[name].write(records, ctx) -> bytes`. Callers choose the records (a search, a basket,
the whole fund) and pass live records only, in the order they want them written.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .formats import (
    bibtex,
    csl,
    csv_export,
    dublin_core,
    iso2709,
    marc21,
    records_json,
    ris,
    unimarc,
)
from .formats.common import ExportContext
from .formats.marc import marcxchange_collection, marcxml_collection
from .models import Record

Writer = Callable[[Sequence[Record], ExportContext], bytes]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    label: str  # French, for the pages that offer it
    media_type: str
    extension: str
    write: Writer
    readers: str = ""  # French: which software reads it


def _marcxml(records: Sequence[Record], ctx: ExportContext) -> bytes:
    return marcxchange_collection(unimarc.to_marc(r, ctx) for r in records)


def _marc21xml(records: Sequence[Record], ctx: ExportContext) -> bytes:
    return marcxml_collection(marc21.to_marc(r, ctx) for r in records)


def _unimarc(records: Sequence[Record], ctx: ExportContext) -> bytes:
    return iso2709.encode_all(unimarc.to_marc(r, ctx) for r in records)


def _marc21(records: Sequence[Record], ctx: ExportContext) -> bytes:
    return iso2709.encode_all(marc21.to_marc(r, ctx) for r in records)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "csv",
            "Tableur (CSV ;)",
            "text/csv; charset=utf-8",
            "csv",
            csv_export.write,
            "LibreOffice Calc, Excel (France), fonds import",
        ),
        ExportFormat(
            "csv-comma",
            "Tableur (CSV ,)",
            "text/csv; charset=utf-8",
            "csv",
            csv_export.write_comma,
            "Tableurs anglophones, scripts",
        ),
        ExportFormat(
            "ris",
            "RIS",
            "application/x-research-info-systems",
            "ris",
            ris.write,
            "Zotero, EndNote, Mendeley, PMB",
        ),
        ExportFormat(
            "bibtex",
            "BibTeX",
            "application/x-bibtex; charset=utf-8",
            "bib",
            bibtex.write,
            "BibTeX, Biber, JabRef, Zotero",
        ),
        ExportFormat(
            "csl-json",
            "CSL-JSON",
            "application/vnd.citationstyles.csl+json",
            "json",
            csl.write,
            "Zotero, Pandoc, processeurs CSL",
        ),
        ExportFormat(
            "dc",
            "Dublin Core (oai_dc)",
            "application/xml",
            "xml",
            dublin_core.write,
            "Moissonneurs OAI, entrepôts, Omeka",
        ),
        ExportFormat(
            "marcxml",
            "MarcXchange (UNIMARC)",
            "application/xml",
            "xml",
            _marcxml,
            "PMB, Koha UNIMARC, BnF",
        ),
        ExportFormat(
            "marc21xml",
            "MARCXML (MARC 21)",
            "application/marcxml+xml",
            "xml",
            _marc21xml,
            "Koha MARC 21, pymarc, catalogues nord-américains",
        ),
        ExportFormat(
            "iso2709",
            "UNIMARC ISO 2709",
            "application/marc",
            "mrc",
            _unimarc,
            "PMB, Koha UNIMARC, Sudoc",
        ),
        ExportFormat(
            "marc21",
            "MARC 21 ISO 2709",
            "application/marc",
            "mrc",
            _marc21,
            "Koha MARC 21, catalogues nord-américains",
        ),
        ExportFormat(
            "json",
            "JSON (sans perte)",
            "application/json",
            "json",
            records_json.write,
            "Une autre instance de Fonds, scripts",
        ),
    )
}

# The partner bundle: what a partner centre's software reads, one file per format.
BUNDLE_FORMATS = ("ris", "bibtex", "csl-json", "iso2709", "dc")
BUNDLE_FILES = {
    "ris": "notices.ris",
    "bibtex": "notices.bib",
    "csl-json": "notices-csl.json",
    "iso2709": "notices-unimarc.mrc",
    "dc": "notices-oai_dc.xml",
}


def export(name: str, records: Sequence[Record], ctx: ExportContext) -> bytes:
    """The records in format `name` (KeyError for an unknown name); deleted ones are left out."""
    live = [r for r in records if not r.deleted]
    return FORMATS[name].write(live, ctx)


def file_name(name: str, stem: str) -> str:
    return f"{stem}.{FORMATS[name].extension}"


def bundle(records: Sequence[Record], ctx: ExportContext, *, selection: str = "") -> bytes:
    """The zip for a partner centre: RIS, BibTeX, CSL-JSON, UNIMARC ISO 2709, oai_dc and a
    manifest (JSON) that says what is inside."""
    live = [r for r in records if not r.deleted]
    buffer = io.BytesIO()
    files = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in BUNDLE_FORMATS:
            data = FORMATS[name].write(live, ctx)
            archive.writestr(_zip_info(BUNDLE_FILES[name], ctx.generated), data)
            files.append(
                {
                    "file": BUNDLE_FILES[name],
                    "format": name,
                    "label": FORMATS[name].label,
                    "media_type": FORMATS[name].media_type,
                    "count": len(live),
                    "bytes": len(data),
                    "readers": FORMATS[name].readers,
                }
            )
        manifest = {
            "centre": ctx.centre,
            "repository": ctx.repository,
            "site": ctx.base_url,
            "generated": ctx.generated,
            "selection": selection,
            "count": len(live),
            "formats": files,
            "identifiers": [ctx.identifier(r) for r in live],
        }
        archive.writestr(
            _zip_info("manifest.json", ctx.generated),
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
        )
    return buffer.getvalue()


def _zip_info(name: str, generated: str) -> zipfile.ZipInfo:
    """Entries dated with the export time, so two bundles of the same records are identical."""
    try:
        parts = [
            int(generated[i:j]) for i, j in ((0, 4), (5, 7), (8, 10), (11, 13), (14, 16), (17, 19))
        ]
        stamp = tuple(parts)
    except ValueError:
        stamp = (1980, 1, 1, 0, 0, 0)
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]  # six ints, built above
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
