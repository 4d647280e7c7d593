"""The catalogue as a spreadsheet: the columns of the holdings file `fonds import` reads.

`csv`: UTF-8 with BOM and `;` (French spreadsheet software opens it right away);
`csv-comma`: UTF-8 without BOM and `,`. Multi-valued cells use `|`, like the import file,
so an export can be corrected in a spreadsheet and imported again (matched by `identifiant`).
Written by `spreadsheet.csv_bytes`: a cell that would run as a formula is neutralised, and the
import takes the neutralising quote off again.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Record
from .common import ExportContext, with_role
from .holdings_csv import COLUMNS
from .spreadsheet import csv_bytes


def row(record: Record, ctx: ExportContext) -> dict[str, str]:
    def joined(values: Iterable[str]) -> str:
        return "|".join(v.replace("|", "/") for v in values)

    return {
        "titre": record.title,
        "sous_titre": record.subtitle,
        "auteurs": joined(with_role(a) for a in record.authors),
        "editeur": record.publisher,
        "lieu": record.place,
        "annee": str(record.year or ""),
        "date": record.date,
        "type": record.doc_type.value,
        "support": record.support.value,
        "langue": record.language,
        "pages": str(record.pages or ""),
        "isbn": record.isbn,
        "issn": record.issn,
        "cote": record.call_number
        or next((c.call_number for c in record.copies if c.call_number), ""),
        "resume": record.abstract,
        "mots_cles": joined(record.keywords),
        "territoires": joined(record.territories),
        "thematiques": joined(record.theme_slugs),
        "url": record.url,
        "collection": joined(s.title for s in record.series),
        "numero_collection": joined(s.number for s in record.series)
        if any(s.number for s in record.series)
        else "",
        "edition": record.edition,
        "description_materielle": record.physical_description,
        "note_publique": record.public_note,
        "notes": record.notes,
        "date_acquisition": record.acquired_on,
        "code_barres": joined(c.barcode for c in record.copies),
        "localisation": next((c.location for c in record.copies if c.location), ""),
        "identifiant": ctx.identifier(record),
    }


def write(
    records: Iterable[Record], ctx: ExportContext, *, delimiter: str = ";", bom: bool = True
) -> bytes:
    rows = (row(record, ctx) for record in records)
    return csv_bytes(
        COLUMNS, ([cells[c] for c in COLUMNS] for cells in rows), delimiter=delimiter, bom=bom
    )


def write_comma(records: Iterable[Record], ctx: ExportContext) -> bytes:
    return write(records, ctx, delimiter=",", bom=False)
