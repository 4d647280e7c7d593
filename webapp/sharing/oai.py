"""OAI-PMH 2.0 at /oai (GET and POST): the six verbs, oai_dc and marcxml (MARC 21 slim).

Sets: `theme:<slug>` (thematics), `type:<slug>` (document types), and their parents `theme`
and `type`. Datestamps are records.updated_at (UTC, seconds); deleted records stay, reported
with status="deleted" (deletedRecord = persistent). Lists are paged with stateless signed
resumption tokens that carry where the list stopped (datestamp, id), the frozen `until`, the
cursor and the complete list size; they expire after OAI_TOKEN_TTL seconds.
Errors are OAI-PMH errors inside a 200 response, as the protocol wants.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, request

from library import DOC_TYPE_LABELS, DocType, Record
from library.formats import marc21
from library.formats.common import ExportContext, xml_attr, xml_text
from library.formats.dublin_core import OAI_DC_NS, OAI_DC_SCHEMA, oai_dc
from library.formats.marc import MARCXML_NS, MARCXML_SCHEMA, marcxml_record
from library.harvest import Header, SetFilter, count_headers, earliest_datestamp, exists, headers

from .. import services
from .exports import without_internal_note

bp = Blueprint("oai", __name__)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
FORMATS = {
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
    "marcxml": (MARCXML_SCHEMA, MARCXML_NS),
}
VERBS = {
    "Identify": ({"verb"}, set()),
    "ListMetadataFormats": ({"verb", "identifier"}, set()),
    "ListSets": ({"verb", "resumptionToken"}, set()),
    "GetRecord": ({"verb", "identifier", "metadataPrefix"}, {"identifier", "metadataPrefix"}),
    "ListIdentifiers": (
        {"verb", "metadataPrefix", "from", "until", "set", "resumptionToken"},
        {"metadataPrefix"},
    ),
    "ListRecords": (
        {"verb", "metadataPrefix", "from", "until", "set", "resumptionToken"},
        {"metadataPrefix"},
    ),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _clock() -> float:
    """Seconds since the epoch (a seam for tests of token expiry)."""
    return time.time()


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    args = request.form if request.method == "POST" else request.args
    now = _clock()
    echo: dict[str, str] | None = None
    try:
        verb, params = _parse(args)
        echo = params
        body = _dispatch(verb, params, now)
    except OaiError as error:
        # badVerb and badArgument echo the base URL only (the request was not understood)
        keep_echo = echo is not None and error.code not in ("badVerb", "badArgument")
        body = f'<error code="{error.code}">{xml_text(error.message)}</error>'
        echo = echo if keep_echo else None
    return _response(echo, body, now)


def _base_url() -> str:
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    return f"{base}/oai" if base else request.base_url


def _response(echo: dict[str, str] | None, body: str, now: float) -> Response:
    attrs = "".join(f' {k}="{xml_attr(v)}"' for k, v in (echo or {}).items())
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">\n'
        f"<responseDate>{_utc(now)}</responseDate>\n"
        f"<request{attrs}>{xml_text(_base_url())}</request>\n{body}\n</OAI-PMH>\n"
    )
    return Response(
        xml.encode("utf-8"), mimetype="text/xml", content_type="text/xml; charset=utf-8"
    )


# -- arguments -------------------------------------------------------------------------------


def _parse(args: Any) -> tuple[str, dict[str, str]]:
    verbs = args.getlist("verb")
    if len(verbs) != 1:
        raise OaiError(
            "badVerb", "argument verb absent ou répété" if verbs else "argument verb absent"
        )
    verb = verbs[0]
    if verb not in VERBS:
        raise OaiError("badVerb", f"verbe inconnu : {verb[:40]}")
    allowed, required = VERBS[verb]
    params: dict[str, str] = {}
    for key in args:
        values = args.getlist(key)
        if key not in allowed:
            raise OaiError("badArgument", f"argument non permis pour {verb} : {key[:40]}")
        if len(values) > 1:
            raise OaiError("badArgument", f"argument répété : {key}")
        params[key] = values[0]
    if "resumptionToken" in params:
        if set(params) - {"verb", "resumptionToken"}:
            raise OaiError(
                "badArgument", "resumptionToken est exclusif : aucun autre argument n'est permis"
            )
        return verb, params
    missing = sorted(required - set(params))
    if missing:
        raise OaiError("badArgument", f"argument obligatoire absent : {', '.join(missing)}")
    return verb, params


def _dates(params: dict[str, str]) -> tuple[str | None, str | None]:
    since, until = params.get("from"), params.get("until")
    for name, value in (("from", since), ("until", until)):
        if value is not None and not (_DAY.match(value) or _SECOND.match(value)):
            raise OaiError(
                "badArgument", f"{name} : date invalide (AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ssZ)"
            )
        if value is not None:
            try:
                datetime.strptime(value[:10], "%Y-%m-%d")
                if len(value) > 10:
                    datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            except ValueError:
                raise OaiError("badArgument", f"{name} : date impossible ({value})") from None
    if since and until and len(since) != len(until):
        raise OaiError("badArgument", "from et until doivent avoir la même granularité")
    if since and len(since) == 10:
        since += "T00:00:00Z"
    if until and len(until) == 10:
        until += "T23:59:59Z"
    if since and until and since > until:
        raise OaiError("badArgument", "from est postérieur à until")
    return since, until


def _set_filter(spec: str | None) -> SetFilter | None:
    if spec is None:
        return None
    if not current_app.config.get("OAI_SETS", True):
        raise OaiError("noSetHierarchy", "cet entrepôt ne gère pas d'ensembles")
    if not _SET_SPEC.match(spec):
        raise OaiError("badArgument", f"setSpec mal formé : {spec[:40]}")
    kind, _, value = spec.partition(":")
    if kind == "theme" and (not value or value in services.theme_labels()):
        return SetFilter(theme=value)
    if kind == "type" and not value:
        return SetFilter()
    if kind == "type" and value in {t.value for t in DocType}:
        return SetFilter(doc_type=value)
    raise OaiError("noRecordsMatch", f"ensemble inconnu : {spec[:60]}")


def _record_id(identifier: str) -> int:
    domain = re.escape(str(current_app.config["OAI_REPOSITORY_DOMAIN"]))
    m = re.fullmatch(rf"oai:{domain}:(\d{{1,9}})", identifier)
    if m is None or not exists(services.get_catalogue(), int(m.group(1))):
        raise OaiError("idDoesNotExist", f"identifiant inconnu : {identifier[:80]}")
    return int(m.group(1))


def _prefix(params: dict[str, str]) -> str:
    prefix = params["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat", f"format non diffusé : {prefix[:40]} (oai_dc, marcxml)"
        )
    return prefix


# -- resumption tokens -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    verb: str
    prefix: str
    set_spec: str | None
    since: str | None
    until: str  # frozen at the first request, so the list does not grow while it is harvested
    after: tuple[str, int] | None
    cursor: int
    size: int


def _sign(payload: bytes) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"oai-token:" + payload, hashlib.sha256).hexdigest()[:32]


def _token(position: Position, now: float) -> tuple[str, float]:
    expires = now + int(current_app.config["OAI_TOKEN_TTL"])
    data = {
        "v": position.verb,
        "p": position.prefix,
        "s": position.set_spec,
        "f": position.since,
        "u": position.until,
        "a": list(position.after) if position.after else None,
        "c": position.cursor,
        "n": position.size,
        "x": int(expires),
    }
    payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(
        b"="
    )
    return f"{payload.decode()}.{_sign(payload)}", expires


def _read_token(token: str, verb: str, now: float) -> Position:
    payload, _, signature = token.partition(".")
    if not payload or not hmac.compare_digest(signature.encode(), _sign(payload.encode()).encode()):
        raise OaiError("badResumptionToken", "jeton de reprise invalide")
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        position = Position(
            data["v"],
            data["p"],
            data["s"],
            data["f"],
            data["u"],
            tuple(data["a"]) if data["a"] else None,
            int(data["c"]),
            int(data["n"]),
        )
        expires = int(data["x"])
    except (ValueError, KeyError, TypeError):
        raise OaiError("badResumptionToken", "jeton de reprise illisible") from None
    if expires < now:
        raise OaiError("badResumptionToken", "jeton de reprise expiré : recommencez la liste")
    if position.verb != verb:
        raise OaiError("badResumptionToken", "jeton de reprise émis pour un autre verbe")
    return position


# -- verbs -----------------------------------------------------------------------------------


def _dispatch(verb: str, params: dict[str, str], now: float) -> str:
    if verb == "Identify":
        return _identify(now)
    if verb == "ListMetadataFormats":
        return _list_formats(params.get("identifier"))
    if verb == "ListSets":
        return _list_sets(params)
    if verb == "GetRecord":
        return _get_record(params)
    return _list(verb, params, now)


def _identify(now: float) -> str:
    config = current_app.config
    domain = str(config["OAI_REPOSITORY_DOMAIN"])
    earliest = earliest_datestamp(services.get_catalogue()) or _utc(now)
    return (
        "<Identify>\n"
        f"<repositoryName>{xml_text(str(config['SITE_NAME']))}</repositoryName>\n"
        f"<baseURL>{xml_text(_base_url())}</baseURL>\n"
        "<protocolVersion>2.0</protocolVersion>\n"
        f"<adminEmail>{xml_text(str(config['OAI_ADMIN_EMAIL']))}</adminEmail>\n"
        f"<earliestDatestamp>{earliest}</earliestDatestamp>\n"
        "<deletedRecord>persistent</deletedRecord>\n"
        f"<granularity>{GRANULARITY}</granularity>\n"
        "<description>\n"
        '<oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier"'
        ' xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier'
        ' http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">\n'
        f"<scheme>oai</scheme>\n<repositoryIdentifier>{xml_text(domain)}</repositoryIdentifier>\n"
        f"<delimiter>:</delimiter>\n<sampleIdentifier>oai:{xml_text(domain)}:1</sampleIdentifier>\n"
        "</oai-identifier>\n</description>\n</Identify>"
    )


def _list_formats(identifier: str | None) -> str:
    if identifier is not None:
        record_id = _record_id(identifier)
        if services.get_catalogue().get(record_id).deleted:
            raise OaiError(
                "noMetadataFormats", "notice supprimée : plus aucun format n'est diffusé"
            )
    items = "".join(
        f"<metadataFormat><metadataPrefix>{prefix}</metadataPrefix><schema>{schema}</schema>"
        f"<metadataNamespace>{namespace}</metadataNamespace></metadataFormat>\n"
        for prefix, (schema, namespace) in FORMATS.items()
    )
    return f"<ListMetadataFormats>\n{items}</ListMetadataFormats>"


def _list_sets(params: dict[str, str]) -> str:
    if not current_app.config.get("OAI_SETS", True):
        raise OaiError("noSetHierarchy", "cet entrepôt ne gère pas d'ensembles")
    if "resumptionToken" in params:
        raise OaiError(
            "badResumptionToken",
            "la liste des ensembles tient en une réponse : aucun jeton n'est émis",
        )
    sets = [("theme", "Thématiques")]
    sets += [(f"theme:{slug}", label) for slug, label in services.theme_labels().items()]
    sets.append(("type", "Types de document"))
    sets += [(f"type:{t.value}", DOC_TYPE_LABELS[t]) for t in DocType]
    items = "".join(
        f"<set><setSpec>{spec}</setSpec><setName>{xml_text(name)}</setName></set>\n"
        for spec, name in sets
    )
    return f"<ListSets>\n{items}</ListSets>"


def _context() -> ExportContext:
    from .exports import export_context

    return export_context()


def _header(header: Header, record: Record | None) -> str:
    status = ' status="deleted"' if header.deleted else ""
    identifier = f"oai:{current_app.config['OAI_REPOSITORY_DOMAIN']}:{header.id}"
    specs = ""
    if record is not None and current_app.config.get("OAI_SETS", True):
        specs = "".join(
            f"<setSpec>theme:{slug}</setSpec>"
            for slug in record.theme_slugs
            if _SET_SPEC.match(slug)
        )
        specs += f"<setSpec>type:{record.doc_type.value}</setSpec>"
    return (
        f"<header{status}><identifier>{xml_text(identifier)}</identifier>"
        f"<datestamp>{header.datestamp}</datestamp>{specs}</header>"
    )


def _metadata(record: Record, prefix: str, ctx: ExportContext) -> str:
    record = without_internal_note(record)  # harvesters are the public
    if prefix == "oai_dc":
        return oai_dc(record, ctx)
    return marcxml_record(marc21.to_marc(record, ctx), namespace_declaration=True)


def _record_xml(header: Header, record: Record, prefix: str, ctx: ExportContext) -> str:
    if header.deleted:
        return f"<record>{_header(header, record)}</record>"
    metadata = _metadata(record, prefix, ctx)
    return f"<record>{_header(header, record)}\n<metadata>\n{metadata}\n</metadata>\n</record>"


def _get_record(params: dict[str, str]) -> str:
    record_id = _record_id(params["identifier"])
    prefix = _prefix(params)
    record = services.get_catalogue().get(record_id)
    header = Header(record_id, record.updated_at, record.deleted)
    return f"<GetRecord>\n{_record_xml(header, record, prefix, _context())}\n</GetRecord>"


def _list(verb: str, params: dict[str, str], now: float) -> str:
    catalogue = services.get_catalogue()
    if "resumptionToken" in params:
        position = _read_token(params["resumptionToken"], verb, now)
        sets = _set_filter(position.set_spec) if position.set_spec else None
    else:
        prefix = _prefix(params)
        since, until = _dates(params)
        sets = _set_filter(params.get("set"))
        frozen = until or _utc(now)
        size = count_headers(catalogue, since=since, until=frozen, sets=sets)
        position = Position(verb, prefix, params.get("set"), since, frozen, None, 0, size)
    page_size = max(1, int(current_app.config["OAI_PAGE_SIZE"]))
    found = headers(
        catalogue,
        since=position.since,
        until=position.until,
        sets=sets,
        after=position.after,
        limit=page_size + 1,
    )
    if not found and position.cursor == 0:
        raise OaiError("noRecordsMatch", "aucune notice ne répond à ces critères")
    page, more = found[:page_size], len(found) > page_size
    records = catalogue.get_many(h.id for h in page)
    ctx = _context()
    if verb == "ListIdentifiers":
        items = "\n".join(_header(h, records.get(h.id)) for h in page)
    else:
        items = "\n".join(_record_xml(h, records[h.id], position.prefix, ctx) for h in page)
    token = ""
    if more or position.cursor:
        size = max(position.size, position.cursor + len(page) + (1 if more else 0))
        if more:
            last = page[-1]
            following = Position(
                position.verb,
                position.prefix,
                position.set_spec,
                position.since,
                position.until,
                (last.datestamp, last.id),
                position.cursor + len(page),
                size,
            )
            value, expires = _token(following, now)
            token = (
                f'<resumptionToken expirationDate="{_utc(expires)}" completeListSize="{size}"'
                f' cursor="{position.cursor}">{value}</resumptionToken>'
            )
        else:
            token = f'<resumptionToken completeListSize="{size}" cursor="{position.cursor}"/>'
    return f"<{verb}>\n{items}\n{token}\n</{verb}>"
