"""French sentences for the codes raised deep inside (loan refusals, accounts, backups, the
reasons a file was not catalogued as usual), shared by the web pages and the CLI: the library
and the indexer hand up codes, users read one line from here."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from indexer.reasons import OsError, Reason, ReasonCode, UnsupportedKind
from library.authorities import AuthorityRefused
from library.backup import BackupError
from library.inventory import InventoryError
from library.labels import LabelError
from library.loans import LoanRefusal, LoanRefused
from library.models import DOC_TYPE_LABELS, AuthorRole, CopyStatus, DocType, Support
from library.users import AccountError, AccountProblem
from library.validation import Outcome, Refusal
from library.validation import Problem as RecordProblem
from library.xml_input import UnsafeXml

if TYPE_CHECKING:  # indexer.consistency loads the search engine: only its users pay for it
    from indexer.consistency import Problem, Repair
    from indexer.importing import PlannedRow
    from indexer.instance import ModelLoad
    from indexer.search.query import QueryNote
    from indexer.tag_model import ModelError
    from indexer.vocabulary import VocabularyError
    from library.formats.holdings_csv import RowError

# Why two records look like the same document (library.review, catalogue.find_duplicates).
DUPLICATE_REASONS = {
    "isbn": "même ISBN",
    "file": "même fichier",
    "title": "même titre et même année",
    "similar-title": "titre très proche, même année",
}

_LOANS: dict[LoanRefusal, str] = {
    LoanRefusal.UNKNOWN_COPY: "Code-barres inconnu : {detail}.",
    LoanRefusal.UNKNOWN_BORROWER: "Emprunteur n° {detail} introuvable.",
    LoanRefusal.NOT_LENDABLE: "Document non prêtable : seuls les exemplaires papier se prêtent "
    "(un document électronique se consulte en ligne).",
    LoanRefusal.RECORD_DELETED: "Cet exemplaire appartient à une notice mise à la corbeille : "
    "restaurez-la avant de prêter.",
    LoanRefusal.COPY_UNAVAILABLE: "Exemplaire indisponible ({detail}) : il ne peut pas être prêté.",
    LoanRefusal.ALREADY_ON_LOAN: "Cet exemplaire est déjà en prêt (retour prévu le {detail}).",
    LoanRefusal.BORROWER_SUSPENDED: "Emprunteur suspendu{detail} : prêt, prolongation et "
    "réservation impossibles.",
    LoanRefusal.NOT_ON_LOAN: "Cet exemplaire n'est pas en prêt ({detail}) : il n'y a rien à "
    "rendre ni à prolonger.",
    LoanRefusal.RENEWAL_LIMIT: "Prolongation refusée : le nombre maximal de prolongations "
    "({detail}) est atteint.",
    LoanRefusal.RESERVED: "Document réservé : d'autres emprunteurs l'attendent.",
    LoanRefusal.BAD_DATE: "Date invalide ({detail}) : un retour ne peut pas précéder le prêt.",
    LoanRefusal.BORROWER_HAS_LOANS: "Cet emprunteur a des prêts en cours : enregistrez leurs "
    "retours avant d'effacer ses données.",
    LoanRefusal.ALREADY_RESERVED: "Cet emprunteur a déjà réservé ce document.",
    LoanRefusal.RESERVATION_NEEDLESS: "Un exemplaire est en rayon : prêtez-le directement, "
    "sans réservation.",
    LoanRefusal.HOLDS_COPY: "Cet emprunteur a déjà un exemplaire de ce document en prêt.",
    LoanRefusal.NOTHING_TO_RESERVE: "Rien à réserver : ce document n'a pas d'exemplaire papier "
    "prêtable.",
    LoanRefusal.UNKNOWN_RESERVATION: "Réservation introuvable ou déjà close.",
    LoanRefusal.INVALID_BORROWER: "Fiche emprunteur invalide : {detail}.",
    LoanRefusal.CARD_TAKEN: "Ce numéro de carte appartient déjà à un autre emprunteur.",
    LoanRefusal.NO_CONTACT: "{detail} n'a pas d'adresse électronique : imprimez la lettre de "
    "relance ou téléphonez.",
}
_BORROWER_FIELDS = {
    "name": "le nom de famille est obligatoire",
    "email": "adresse électronique invalide",
    "length": "un champ est trop long",
}

_ACCOUNTS: dict[AccountProblem, str] = {
    AccountProblem.LOGIN_INVALID: "Identifiant invalide : 2 à 64 caractères parmi lettres sans "
    "accent, chiffres et « . _ - @ ».",
    AccountProblem.LOGIN_TAKEN: "L'identifiant {detail} existe déjà.",
    AccountProblem.PASSWORD_SHORT: "Mot de passe trop court : au moins {detail} caractères.",
    AccountProblem.PASSWORD_LONG: "Mot de passe trop long (au plus {detail} caractères).",
    AccountProblem.PASSWORD_IS_LOGIN: "Le mot de passe ne peut pas être l'identifiant.",
    AccountProblem.UNKNOWN_USER: "Compte {detail} introuvable.",
}

_BACKUPS = {
    "no-catalogue": "pas de catalogue dans {detail}",
    "instance-not-empty": "le dossier {detail} n'est pas vide : ajoutez --force pour le remplacer",
    "instance-not-a-folder": "{detail} n'est pas un dossier",
    "not-a-backup": "ce fichier n'est pas une sauvegarde Fonds ({detail})",
    "unknown-format": "format de sauvegarde inconnu ({detail})",
    "unexpected-member": "sauvegarde refusée : élément inattendu « {detail} »",
    "damaged-member": "sauvegarde abîmée : « {detail} » ne correspond pas au manifeste",
    "catalogue-corrupt": "catalogue abîmé : {detail}",
    "bad-store-path": "chemin inattendu dans le dépôt de fichiers : {detail}",
}


SUPPORT_LABELS: dict[Support, str] = {
    Support.PAPIER: "Papier",
    Support.ELECTRONIQUE: "Électronique",
}
ROLE_LABELS: dict[AuthorRole, str] = {
    AuthorRole.AUTHOR: "Auteur",
    AuthorRole.TRANSLATOR: "Traducteur",
    AuthorRole.EDITOR: "Directeur de publication",
    AuthorRole.ILLUSTRATOR: "Illustrateur",
    AuthorRole.PREFACE: "Préfacier",
}
COPY_STATUS_LABELS: dict[CopyStatus, str] = {
    CopyStatus.AVAILABLE: "En rayon",
    CopyStatus.ON_LOAN: "En prêt",
    CopyStatus.MISSING: "Manquant",
    CopyStatus.WITHDRAWN: "Retiré",
}


def support_label(value: str) -> str:
    """Papier / Électronique (the code itself when unknown)."""
    try:
        return SUPPORT_LABELS[Support(value)]
    except ValueError:
        return str(value)


def copy_status_label(value: str) -> str:
    """The state of a copy as the desk says it (the code itself when unknown)."""
    try:
        return COPY_STATUS_LABELS[CopyStatus(value)]
    except ValueError:
        return str(value)


def loan_refusal(exc: LoanRefused) -> str:
    detail = exc.detail
    if exc.reason is LoanRefusal.INVALID_BORROWER:
        detail = _BORROWER_FIELDS.get(detail, "données refusées")
    elif exc.reason is LoanRefusal.BORROWER_SUSPENDED:
        detail = f" ({detail})" if detail else ""
    elif exc.reason is LoanRefusal.COPY_UNAVAILABLE:
        with contextlib.suppress(ValueError):
            detail = copy_status_label(detail).lower()
    elif exc.reason is LoanRefusal.ALREADY_ON_LOAN:
        detail = french_date(detail)
    return _LOANS[exc.reason].format(detail=detail)


_LABELS = {
    "layout-empty": "Planche vide : indiquez au moins une colonne, une ligne et la taille des "
    "étiquettes.",
    "layout-overlap": "Les étiquettes se chevauchent : le pas doit être au moins la taille d'une "
    "étiquette.",
    "layout-overflow": "Cette planche ne tient pas sur la page A4 ({detail}) : vérifiez les "
    "marges, le pas et le nombre d'étiquettes.",
    "unknown-layout": "Planche inconnue : {detail}.",
    "unknown-kind": "Type d'étiquette inconnu : {detail}.",
    "bad-skip": "Le nombre d'étiquettes déjà utilisées doit être entre 0 et le nombre "
    "d'étiquettes de la planche moins un.",
    "nothing-to-print": "Aucun exemplaire ne correspond à cette sélection : rien à imprimer.",
}


_INVENTORIES = {
    "no-location": "Choisissez l'emplacement à récoler.",
    "empty-location": "Aucun exemplaire n'est rangé à l'emplacement « {detail} ».",
    "unknown-inventory": "Récolement n° {detail} introuvable.",
    "closed": "Ce récolement est clos depuis le {detail} : ouvrez-en un nouveau.",
    "empty-scan": "Lecture vide : scannez ou tapez un code-barres.",
}


def inventory_problem(exc: InventoryError) -> str:
    detail = french_date(exc.detail) if exc.reason == "closed" else exc.detail
    return _INVENTORIES.get(exc.reason, "{detail}").format(detail=detail)


def label_problem(exc: LabelError) -> str:
    return _LABELS.get(exc.reason, "{detail}").format(detail=exc.detail)


def account_problem(exc: AccountError) -> str:
    return _ACCOUNTS[exc.problem].format(detail=exc.detail)


def backup_problem(exc: BackupError) -> str:
    return _BACKUPS.get(exc.reason, "{detail}").format(detail=exc.detail)


def french_date(iso: str | object) -> str:
    """2013-03-04 -> 04/03/2013 (dates as French readers write them)."""
    if iso is None:
        return ""
    text = str(iso)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


# -- why a file was not catalogued as usual (indexer.reasons) -------------------------------

R, K = ReasonCode, UnsupportedKind
_REASONS: dict[str, str] = {
    R.FILE_NOT_FOUND: "fichier introuvable",
    R.FILE_UNREADABLE: "fichier illisible ({error})",
    R.FOLDER_UNREADABLE: "dossier illisible ({error})",
    R.NOT_A_FILE: "ce n'est pas un fichier (dossier ou fichier spécial)",
    R.BROKEN_LINK: "lien symbolique cassé",
    R.EMPTY_FILE: "fichier vide (0 octet)",
    R.TOO_LARGE: "fichier trop volumineux : {size_mb} Mo (limite : {limit_mb} Mo)",
    R.TIMEOUT: "délai dépassé ({seconds} s) : fichier trop long ou piégé",
    R.WORKER_CRASHED: "la lecture de ce fichier a fait tomber le processus d'extraction",
    R.READ_FAILED: "lecture impossible",
    R.UNEXPECTED_ERROR: "erreur inattendue pendant la lecture ({error})",
    R.OUT_OF_MEMORY: "mémoire insuffisante pour lire ce fichier",
    R.UNSUPPORTED: "{format}",
    R.MALFORMED: "{format}",
    R.ZIP_BROKEN: "fichier {format} tronqué ou corrompu (archive ZIP illisible)",
    R.ZIP_BOMB: "archive suspecte (bombe de décompression)",
    R.PDF_PASSWORD: "PDF protégé par un mot de passe",
    R.PDF_NO_PAGE: "PDF endommagé : aucune page n'a pu être lue",
    R.PDF_AES_MISSING: "PDF chiffré (AES) : module de déchiffrement absent",
    R.PDF_ENCRYPTION_UNSUPPORTED: "PDF chiffré avec une méthode non prise en charge",
    R.DOCX_STRICT: "DOCX au format « Open XML strict » non pris en charge : enregistrez-le en "
    "« Document Word (.docx) » standard ou en PDF",
    R.DOCX_NO_MAIN: "fichier DOCX sans document principal",
    R.DOCX_DTD: "fichier DOCX refusé : DTD déclarée dans {part}",
    R.ODT_INCOMPLETE: "fichier ODT incomplet (content.xml absent)",
    R.ODT_PASSWORD: "document ODT protégé par un mot de passe",
    R.EPUB_DRM: "EPUB protégé par des DRM : texte inaccessible",
    R.EPUB_INCOMPLETE: "fichier EPUB incomplet (description du livre absente)",
    R.IMAGE_TOO_LARGE: "image trop grande pour être lue",
    R.FILE_CUT: "fichier très volumineux : seul son début a été lu",
    R.TEXT_CUT: "texte tronqué à {chars} caractères",
    R.PAGE_UNREADABLE: "page {page} illisible, ignorée",
    R.PAGES_LIMIT: "seules les {pages} premières pages ont été lues",
    R.PDF_TOLERANT: "structure du PDF endommagée : lue en mode tolérant",
    R.UPDATED: "mis à jour : le contenu du fichier a changé",
    R.NO_TEXT: "aucun texte extrait (document vide) : catalogué",
    R.SCAN_QUEUED: "aucun texte extrait (document scanné) : catalogué, en file d'OCR",
    R.IN_TRASH: "notice n° {record} dans la corbeille : restaurez-la pour la retrouver",
    R.SAME_CONTENT: "même contenu que {path} (une seule notice)",
    R.MOVED: "déplacé ou renommé (ancien chemin : {path})",
    R.LEGACY_TEXT: "{text}",
}
_OS_ERRORS: dict[str, str] = {
    OsError.PERMISSION: "permission refusée",
    OsError.NOT_FOUND: "introuvable",
    OsError.SYMLINK_LOOP: "boucle de liens symboliques",
    OsError.SYSTEM: "erreur système",
}
_MALFORMED = {
    "PDF": "PDF endommagé ou tronqué : structure illisible",
    "DOCX": "fichier DOCX endommagé : contenu XML illisible",
    "ODT": "fichier ODT endommagé : contenu XML illisible",
    "EPUB": "fichier EPUB endommagé : contenu illisible",
    "RTF": "fichier RTF endommagé",
    "HTML": "page HTML illisible",
    "text": "fichier texte illisible",
    "image": "image endommagée ou tronquée : illisible",
}
_NOT_SUPPORTED = "format non pris en charge ({})"
_UNSUPPORTED: dict[str, str] = {
    K.WINDOWS_EXECUTABLE: _NOT_SUPPORTED.format("exécutable Windows"),
    K.LINUX_EXECUTABLE: _NOT_SUPPORTED.format("exécutable Linux"),
    K.MACOS_EXECUTABLE: _NOT_SUPPORTED.format("exécutable macOS"),
    K.MACOS_OR_JAVA: _NOT_SUPPORTED.format("exécutable macOS ou classe Java"),
    K.PNG: _NOT_SUPPORTED.format("image PNG"),
    K.JPEG: _NOT_SUPPORTED.format("image JPEG"),
    K.GIF: _NOT_SUPPORTED.format("image GIF"),
    K.TIFF: _NOT_SUPPORTED.format("image TIFF"),
    K.PHOTOSHOP: _NOT_SUPPORTED.format("image Photoshop"),
    K.POSTSCRIPT: _NOT_SUPPORTED.format("fichier PostScript : convertissez-le en PDF"),
    K.GZIP: _NOT_SUPPORTED.format("archive compressée gzip"),
    K.BZIP2: _NOT_SUPPORTED.format("archive compressée bzip2"),
    K.XZ: _NOT_SUPPORTED.format("archive compressée xz"),
    K.SEVEN_ZIP: _NOT_SUPPORTED.format("archive 7-Zip"),
    K.RAR: _NOT_SUPPORTED.format("archive RAR"),
    K.MP3: _NOT_SUPPORTED.format("fichier audio MP3"),
    K.OGG: _NOT_SUPPORTED.format("fichier audio ou vidéo Ogg"),
    K.FLAC: _NOT_SUPPORTED.format("fichier audio FLAC"),
    K.SQLITE: _NOT_SUPPORTED.format("base de données SQLite"),
    K.WINDOWS_ICON: _NOT_SUPPORTED.format("icône Windows"),
    K.VIDEO: _NOT_SUPPORTED.format("fichier vidéo ou audio"),
    K.RIFF: _NOT_SUPPORTED.format("fichier audio, vidéo ou image RIFF"),
    K.BINARY: _NOT_SUPPORTED.format("contenu binaire non reconnu"),
    K.BINARY_NOT_TEXT: _NOT_SUPPORTED.format("fichier binaire, pas du texte"),
    K.SVG: "image SVG non acceptée (elle peut contenir des scripts) : déposez plutôt le document"
    " qui la contient, en PDF",
    K.OFFICE_PASSWORD: "document Office protégé par un mot de passe : enregistrez-le sans mot "
    "de passe",
    K.WORD_97: "Word 97-2003 (.doc) non pris en charge : enregistrez-le en DOCX ou PDF",
    K.EXCEL_97: "classeur Excel 97-2003 (.xls) non pris en charge",
    K.POWERPOINT_97: "présentation PowerPoint 97-2003 (.ppt) non prise en charge : "
    "enregistrez-la en PDF",
    K.OUTLOOK_MSG: "message Outlook (.msg) non pris en charge",
    K.OLE2: _NOT_SUPPORTED.format("ancien format Microsoft Office, OLE2"),
    K.ZIP_BROKEN: "archive ZIP tronquée ou corrompue (format non reconnu)",
    K.XLSX: "classeur Excel (.xlsx) non pris en charge",
    K.PPTX: "présentation PowerPoint (.pptx) non prise en charge : enregistrez-la en PDF",
    K.OPENDOCUMENT_OTHER: "document OpenDocument autre qu'un texte (tableur, présentation…) "
    "non pris en charge",
    K.ZIP: "format non pris en charge (archive ZIP) : décompressez-la et indexez son contenu",
}


def reason_text(reason: Reason | None) -> str:
    """One French line for a reason of the indexer ("" for none); unknown codes stay legible."""
    if reason is None:
        return ""
    params = dict(reason.params)
    if reason.code == R.UNSUPPORTED:
        kind = str(params.get("format", K.BINARY))
        return _UNSUPPORTED.get(kind, _NOT_SUPPORTED.format(kind))
    if reason.code == R.MALFORMED:
        kind = str(params.get("format", ""))
        return _MALFORMED.get(kind, f"fichier {kind} endommagé")
    if "error" in params:
        error = str(params["error"])
        params["error"] = _OS_ERRORS.get(error, error)
    if "size_mb" in params:
        params["size_mb"] = f"{float(params['size_mb']):.1f}"
    if reason.code == R.IMAGE_TOO_LARGE and "width" in params:
        return (
            f"image trop grande ({params['width']} × {params.get('height')} pixels) pour être lue"
        )
    if "chars" in params:
        params["chars"] = f"{int(params['chars']):,}".replace(",", " ")
    template = _REASONS.get(reason.code)
    if template is None:
        return str(reason)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(reason)


# -- facet values (indexer.search.Finder's value_label) ------------------------------------

LANGUAGE_LABELS = {
    "fr": "Français",
    "en": "Anglais",
    "es": "Espagnol",
    "de": "Allemand",
    "it": "Italien",
    "pt": "Portugais",
    "ht": "Créole haïtien",
    "und": "Indéterminée",
}
AVAILABILITY_LABELS = {"en-rayon": "En rayon", "en-pret": "En prêt", "en-ligne": "En ligne"}


def facet_label(facet: str, value: str) -> str:
    """The French label of a coded facet value (document type, support, language, availability)."""
    if facet == "type":
        try:
            return DOC_TYPE_LABELS[DocType(value)]
        except ValueError:
            return value
    if facet == "support":
        try:
            return SUPPORT_LABELS[Support(value)]
        except ValueError:
            return value
    if facet == "language":
        return LANGUAGE_LABELS.get(value, value)
    if facet == "available":
        return AVAILABILITY_LABELS.get(value, value)
    return value


# -- why a thematic was proposed (the tagger's evidence) --------------------------------------

EVIDENCE_FIELDS = {"title": "titre", "keywords": "mots-clés", "abstract": "résumé", "text": "texte"}


def explain(evidence: dict[str, Any] | None, limit: int = 4) -> str:
    """One French line saying why a thematic was proposed: "CUCS ×4 (texte), …"."""
    if not evidence or not evidence.get("terms"):
        return ""
    parts = []
    for item in evidence["terms"][:limit]:
        count = f" ×{item['count']}" if item.get("count", 1) > 1 else ""
        parts.append(f"{item['term']}{count} ({EVIDENCE_FIELDS.get(item['field'], item['field'])})")
    return ", ".join(parts)


def explain_model(evidence: dict[str, Any] | None) -> str:
    """One French line on the learned model's part, or "" when the rules decided alone."""
    model = (evidence or {}).get("model")
    if not model:
        return ""
    percent = f"{model.get('probability', 0.0) * 100:.0f} %"
    rule = f"{model.get('rule_score', 0.0):.2f}".replace(".", ",")
    reasons = ", ".join(
        f"{_model_reason(name)} ({_signed(value)})" for name, value in model.get("reasons", ())
    )
    line = f"modèle appris : probabilité {percent} (score des règles {rule})"
    return f"{line} ; {reasons}" if reasons else line


def _model_reason(name: str) -> str:
    """A feature's French label; evidence stored by earlier versions holds the label itself."""
    from indexer.tag_model import BIAS, FEATURE_LABELS

    if name == BIAS:
        return "habitude propre à la thématique"
    return FEATURE_LABELS.get(name, name)


def _signed(value: float) -> str:
    """+1,8 or −0,4: French decimal comma and a true minus sign."""
    return f"{value:+.1f}".replace(".", ",").replace("-", "−")


# `fonds check`: the problems the consistency check finds and what a repair did
# (indexer.consistency hands up codes and facts).
_CHECK_PROBLEMS = {
    "catalogue-corrupt": "catalogue abîmé : {detail}",
    "index-missing": "{count} notices absentes de l'index : {ids}",
    "index-stale": "{count} notices périmées dans l'index : {ids}",
    "index-orphan": "{count} entrées d'index sans notice vivante : {ids}",
    "index-duplicate": "{count} notices indexées plusieurs fois : {ids}",
    "store-missing": "fichier absent du dépôt : {store_path} ({original_name})",
    "store-corrupt": "fichier altéré dans le dépôt : {store_path} ({original_name})",
    "store-stray": "{count} fichiers du dépôt sans notice : {names}",
}
_REPAIRS = {
    "index-rebuilt": "index reconstruit ({indexed} notices)",
    "index-synced": "index mis à jour ({indexed} notices indexées, {deleted} retirées)",
    "file-restored": "fichier {name} recopié depuis {source}",
    "strays-removed": "{count} fichiers orphelins retirés du dépôt",
}


def check_problem(problem: Problem) -> str:
    """One French line for a problem `fonds check` found."""
    params = dict(problem.params)
    if "ids" in params:
        ids = list(params["ids"])
        params["count"] = len(ids)
        params["ids"] = _first(ids, 10)
    if "names" in params:
        names = list(params["names"])
        params["count"] = len(names)
        params["names"] = _first(names, 5)
    return _CHECK_PROBLEMS.get(problem.kind, problem.kind).format_map(_Legible(params))


def repair_text(done: Repair) -> str:
    """One French line for what `fonds check --repair` mended."""
    return _REPAIRS.get(done.kind, done.kind).format_map(_Legible(done.params))


# What an import plan says of a row it skips or updates (indexer.importing).
_IMPORT_REASONS = {
    "same-identifier-in-file": "même identifiant que l'entrée {line} du fichier",
    "same-reference-in-file": "même référence que l'entrée {line} du fichier",
    "barcode-known": "code-barres {barcode} déjà au catalogue",
    "probable-duplicate": "doublon probable de la notice n° {record_id} ({match})",
    "in-trash": "notice n° {record_id} dans la corbeille",
    "up-to-date": "notice n° {record_id} déjà à jour",
    "update": "mise à jour de la notice n° {record_id}",
}


def import_reason(row: PlannedRow) -> str:
    """One French line for why an import plan skips or updates a row ("" for a creation)."""
    if not row.reason_code:
        return ""
    params = dict(row.reason_params)
    if "match" in params:
        params["match"] = DUPLICATE_REASONS.get(str(params["match"]), params["match"])
    return _IMPORT_REASONS.get(row.reason_code, row.reason_code).format_map(_Legible(params))


# What the record rule refuses (library.validation), in the form and in import reports.
RECORD_FIELD_LABELS = {
    "title": "titre",
    "subtitle": "sous-titre",
    "publisher": "éditeur",
    "place": "lieu",
    "abstract": "résumé",
    "notes": "notes",
    "call_number": "cote",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "authors": "auteurs",
    "keywords": "mots-clés",
    "territories": "territoires",
    "year": "année",
    "pages": "pages",
    "date": "date",
    "language": "langue",
    "edition": "mention d'édition",
    "physical_description": "description matérielle",
    "public_note": "note publique",
    "series": "collection",
    "acquired_on": "date d'acquisition",
}
_REFUSALS = {
    Refusal.TOO_LONG: "{label} trop long ({length} caractères, {limit} au plus)",
    Refusal.URL_TOO_LONG: "adresse trop longue ({length} caractères, {limit} au plus)",
    Refusal.URL_SCHEME: "adresse web refusée : seules http:// et https:// sont admises",
    Refusal.NO_TITLE: "notice sans titre",
    Refusal.BAD_IDENTIFIER: "{label} invalide « {value} »",
    Refusal.AUTHOR_TOO_LONG: "nom d'auteur trop long ({length} caractères)",
    Refusal.TOO_MANY_AUTHORS: "{count} auteurs : les {kept} premiers sont gardés, les autres "
    "en note",
    Refusal.ITEM_TOO_LONG: "{label} trop long ({length} caractères)",
    Refusal.IMPLAUSIBLE_YEAR: "année invraisemblable {year}",
    Refusal.IMPLAUSIBLE_PAGES: "nombre de pages invraisemblable",
    Refusal.DAMAGED_TEXT: "caractère illisible (\ufffd) déjà présent dans le fichier : {fields}",
    Refusal.NUMBER_WITHOUT_SERIES: "numéro de collection « {number} » sans collection",
    Refusal.SERIES_TITLE_TOO_LONG: "titre de collection trop long ({length} caractères)",
    Refusal.NOT_A_SERIES_NUMBER: "numéro de collection « {number} » : ce n'est pas un numéro "
    "(chiffres attendus, par ex. « 12 », « 12 bis », « 3-4 » ou « IV ») ; un hors-série se "
    "signale dans la mention d'édition ou la note publique",
    Refusal.TOO_MANY_SERIES: "{count} collections : les {kept} premières sont gardées",
    Refusal.ACQUISITION_UNREADABLE: "date d'acquisition « {value} » illisible : AAAA-MM-JJ attendu",
    Refusal.ACQUISITION_FUTURE: "date d'acquisition dans le futur ({value}) : indiquez le jour "
    "où le document est entré dans le fonds (aujourd'hui au plus tard), ou laissez la date vide",
}
_OUTCOMES = {
    Outcome.NONE: "",
    Outcome.VALUE_DROPPED: "valeur non importée",
    Outcome.KEPT_IN_NOTES: "gardé en note",
    Outcome.IGNORED: "ignoré",
    Outcome.DROPPED: "non importée",
    Outcome.DROPPED_MASCULINE: "non importé",
    Outcome.TO_CHECK: "à vérifier",
    Outcome.NUMBER_KEPT_IN_NOTES: "numéro gardé en note",
    Outcome.OTHERS_IGNORED: "les autres ignorées",
}


def problem_reason(problem: RecordProblem) -> str:
    """Why the record rule refuses a value, as the form says it (lower case, no full stop)."""
    params: dict[str, Any] = {"label": RECORD_FIELD_LABELS.get(problem.field, problem.field)}
    params.update(problem.params)
    if problem.code is Refusal.TOO_LONG:  # thousands apart by a narrow no-break space
        for key in ("length", "limit"):
            params[key] = f"{int(params[key]):,}".replace(",", "\u202f")
    if "fields" in params:
        params["fields"] = ", ".join(RECORD_FIELD_LABELS.get(n, n) for n in params["fields"])
    return _REFUSALS.get(problem.code, str(problem.code)).format_map(_Legible(params))


def problem_message(problem: RecordProblem) -> str:
    """The reason and what an import did with the value: "ISBN invalide « … » : gardé en note"."""
    reason = problem_reason(problem)
    outcome = _OUTCOMES.get(problem.consequence, str(problem.consequence))
    return f"{reason} : {outcome}" if outcome else reason


# What an import reader says of a record or a file (library.formats), by code.
_READ_NOTES = {
    "unreadable-as": "fichier illisible en {format} ({error})",
    "unsafe-xml": "{unsafe}",
    "xml-malformed": "XML mal formé ({detail})",
    "not-bibliographic": "notice d'exemplaires ou d'autorité, pas une notice : ignorée",
    "barcode-given": "code-barres {barcode} déjà donné à la notice {record} : exemplaire ignoré",
    "no-iso2709-record": "fichier vide : aucune notice ISO 2709",
    "no-marcxml-record": "aucune notice MARCXML (<record>) dans le fichier",
    "deleted-by-partner": "notice supprimée chez le partenaire : ignorée",
    "no-oai-dc": "aucun élément oai_dc:dc dans le fichier",
    "no-dc-title": "notice sans dc:title",
    "json-not-utf8": "fichier non UTF-8 (octet {byte})",
    "json-invalid": "JSON invalide colonne {column} : {detail}",
    "json-too-deep": "JSON trop imbriqué pour être lu",
    "json-huge-number": "JSON illisible : nombre de plusieurs milliers de chiffres",
    "json-not-a-list": "« {key} » doit être une liste",
    "json-no-title": "notice sans titre (« title »)",
    "json-unknown-value": "valeur inconnue : {detail}",
    "json-no-records": "liste « records » absente",
    "json-not-an-object": "notice qui n'est pas un objet JSON",
    "csl-list-expected": "une liste d'éléments CSL est attendue",
    "csl-not-an-object": "élément qui n'est pas un objet JSON",
    "csl-empty-item": "élément vide (ni titre ni autre donnée) : ignoré",
    "csl-untitled": "élément sans titre (« title ») : importé sous « {title} »",
    "not-utf8": "fichier non UTF-8 : lu en {encoding}, vérifiez les lettres accentuées",
    "ris-stray-text": "texte hors notice ignoré : « {text} »",
    "ris-no-end-next": "notice sans fin (ER) : une nouvelle notice commence ligne {next}",
    "ris-tag-outside": "balise {tag} hors notice ({start} attendu avant)",
    "ris-no-end": "notice sans fin : la balise ER manque avant la fin du fichier",
    "ris-empty": "aucune notice RIS (ligne « TY  - ») dans le fichier",
    "ris-no-type": "type de notice (TY) vide",
    "ris-empty-record": "notice vide : ni titre (TI ou T1) ni autre balise",
    "ris-untitled": "notice sans titre (TI ou T1) : importée sous « {title} »",
    "wos-no-end": "notice sans fin : ER manque avant la fin du fichier",
    "iso-no-length": "début de notice illisible (longueur absente)",
    "iso-truncated": "notice tronquée : {got} octets sur les {length} annoncés",
    "iso-no-end": "fin de notice absente (caractère 0x1D attendu)",
    "iso-bad-leader": "en-tête (label) illisible",
    "iso-bad-base": "adresse de base des données illisible dans le label",
    "iso-directory-base": "répertoire incohérent avec l'adresse de base",
    "iso-directory-length": "répertoire de longueur invalide",
    "iso-bad-entry": "entrée de répertoire illisible pour la zone {tag}",
    "iso-field-outside": "zone {tag} hors des limites de la notice",
    "bib-duplicate-key": "clé {key} déjà employée plus haut",
    "bib-unbalanced": "{entry} : accolades non équilibrées (accolade ouverte ligne {opened}"
    " jamais refermée)",
    "bib-unreadable": "{entry} : syntaxe illisible",
    "bib-empty": "aucune entrée BibTeX (« @type{{clé, … }} ») dans le fichier",
    "bib-no-crossref": "entrée {key} : crossref « {parent} » absent du fichier",
    "bib-empty-entry": "entrée {key} vide : ignorée",
    "bib-untitled": "entrée {key} sans titre : importée sous « {title} »",
    "bib-entry": "entrée {key} : {detail}",
    "bib-no-title": "champ title absent",
    "csv-empty": "fichier vide : une ligne d'en-tête est attendue",
    "csv-bad-header": "ligne d'en-tête illisible ({detail})",
    "csv-unknown-columns": "colonnes inconnues ignorées : {columns}{more}",
    "csv-no-title-column": "colonne « titre » absente de l'en-tête",
    "csv-open-quote": "guillemet ouvert jamais refermé : ligne ignorée",
    "csv-bad-row": "ligne CSV illisible ({detail})",
    "csv-too-many-cells": "{cells} cellules pour {columns} colonnes",
    "csv-barcode-used": "code-barres {barcode} déjà utilisé ligne {first}",
    "csv-no-title": "titre manquant",
    "csv-bad-year": "année invalide « {value} » (attendu : quatre chiffres)",
    "csv-bad-date": "date invalide « {value} » (attendu : AAAA, AAAA-MM ou AAAA-MM-JJ)",
    "csv-bad-pages": "nombre de pages invalide « {value} »",
    "csv-bad-support": "support inconnu « {value} » (papier ou electronique)",
    "csv-bad-language": "langue invalide « {value} » (code ISO 639-1 : fr, en, es…)",
    "csv-electronic-copies": "un document électronique n'a pas d'exemplaire à code-barres",
    "csv-numbers-without-series": "numéro de collection « {value} » sans collection (colonne"
    " collection vide ou moins de collections que de numéros)",
    "csv-unknown-role": "rôle inconnu dans « {value} » : écrivez l'un des rôles {roles} ou"
    " (éd.) après le nom, ou aucun pour un auteur",
    "csv-unknown-type": "type de document inconnu « {value} » (valeurs : {types})",
    "marc-no-title": "zone {zone} $a (titre) absente",
    "iso-undecodable": "octets illisibles en {charset} (zones {zones}) : lus en {encoding}, à "
    "vérifier",
}
# How an import names the encoding it fell back on.
ENCODING_NAMES = {"cp1252": "Windows-1252", "cp1251": "Windows-1251", "gbk": "GBK (chinois)"}


def row_message(error: RowError) -> str:
    """One French line for an import's row error or warning: the reader's words or code, or
    the record rule's problems; " (octet N)" where a record starts in an ISO 2709 file."""
    if error.problems:
        return " ; ".join(problem_message(p) for p in error.problems)
    if not error.code:
        return error.message
    params = dict(error.params)
    if "limit" in params and "detail" not in params:  # a CSV cell over the csv module's limit
        params["detail"] = f"cellule de plus de {int(params['limit']):,} caractères".replace(
            ",", "\u202f"
        )
    if error.code == "csv-unknown-columns":
        more = int(params.get("more", 0))
        params["columns"] = ", ".join(params.get("columns", ()))
        params["more"] = f" (et {more} autres)" if more else ""
    if "roles" in params:
        params["roles"] = ", ".join(f"({r})" for r in params["roles"])
    if "types" in params:
        params["types"] = ", ".join(params["types"])
    if "kind" in params:  # a BibTeX entry that could not be parsed
        params["entry"] = f"entrée @{params['kind']}" if params["kind"] else "entrée"
    if "refusal" in params:
        params["detail"] = _READ_NOTES.get(str(params["refusal"]), str(params["refusal"]))
    if "encoding" in params:
        params["encoding"] = ENCODING_NAMES.get(str(params["encoding"]), params["encoding"])
    if error.code == "unsafe-xml":
        reason = str(params.get("reason", ""))
        params["unsafe"] = _UNSAFE_XML.get(reason, reason).format_map(_Legible(params))
    text = _READ_NOTES.get(error.code, error.code).format_map(_Legible(params))
    return f"{text} (octet {params['offset']})" if "offset" in params else text


# What the query parser repaired in what the user typed (indexer.search.query).
_QUERY_NOTES = {
    "query-too-long": "Requête trop longue : seuls les {chars} premiers caractères sont pris en "
    "compte.",
    "unclosed-quote": "Guillemet non fermé : il a été ignoré.",
    "ignored": "Ignoré : {tokens}.",
    "too-many-terms": "Requête trop longue : seuls les {terms} premiers termes sont pris en compte.",
    "short-prefix": "Préfixe « {typed} » trop court (au moins {min} lettres) : cherché comme un "
    "mot.",
}


def query_note(note: QueryNote) -> str:
    """One French sentence for what the parser did to a query."""
    params = dict(note.params)
    if "tokens" in params:
        params["tokens"] = ", ".join(f"« {t} »" for t in params["tokens"])
    return _QUERY_NOTES.get(note.code, note.code).format_map(_Legible(params))


def concept_reading(term: str, theme: str) -> str:
    """How the search read a query across languages: the French expression it searched, or a
    thematic (`theme`: its label, "" for a translation of no thematic). Expressions the search
    took as one (« "accès au droit" OU "accès aux droits" ») are each quoted on their own."""
    if not term:
        return f"la thématique « {theme} »"
    words = " ou ".join(f"« {t.strip().strip(chr(34))} »" for t in term.split(" OU "))
    return f"{words} (thématique « {theme} »)" if theme else f"{words} (traduction)"


class _Legible(dict[str, Any]):
    """A missing fact shows as its name rather than raising: a message stays legible."""

    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"


def _first(values: list[Any], limit: int) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + ("…" if len(values) > limit else "")


# Why an XML file from outside is refused (library.xml_input).
_UNSAFE_XML = {
    UnsafeXml.DTD: "déclaration DOCTYPE ou ENTITY refusée dans un fichier XML"
    " (risque de « bombe XML »)",
    UnsafeXml.TOO_LARGE: "fichier XML trop volumineux (plus de {limit_mb} Mo)",
}


def unsafe_xml(exc: UnsafeXml) -> str:
    """One French line for an XML file refused before it was parsed."""
    return _UNSAFE_XML.get(exc.reason, exc.reason).format(limit_mb=exc.limit_mb)


# Why a vocabulary (the instance's TOML file, or a SKOS file imported) cannot be used.
_VOCABULARY_PROBLEMS = {
    "unreadable": "fichier illisible ({error})",
    "not-found": "fichier introuvable",
    "not-utf8": "le fichier doit être enregistré en UTF-8",
    "too-large": "fichier trop volumineux (plus de {limit_mb} Mo)",
    "unknown-format": "format SKOS inconnu « {format} »",
    "unsafe-xml": _UNSAFE_XML[UnsafeXml.DTD],
    "skos-unreadable": "fichier SKOS illisible (ni Turtle ni RDF/XML valide : {detail})",
    "no-concept": "aucun concept SKOS trouvé",
    "scheme-not-a-table": "« vocabulaire » doit être une table [vocabulaire]",
    "scheme-not-a-string": "« {key} » doit être une chaîne entre guillemets",
    "no-theme": "aucune thématique : chaque thématique commence par [[thematique]]",
    "theme-not-a-table": "une thématique doit être une table [[thematique]]",
    "duplicate-slug": "slug « {slug} » en double (déjà utilisé par la thématique de la"
    " ligne {first_line})",
    "no-slug": "thématique sans « slug »",
    "bad-slug": "slug « {slug} » invalide : minuscules sans accents, chiffres et tirets",
    "no-label": "la thématique « {slug} » n'a pas de « libelle »",
    "note-not-a-string": "« note » de « {slug} » doit être une chaîne",
    "no-term": "la thématique « {slug} » n'a aucun terme",
    "stopwords-only": "le terme « {term} » de « {slug} » ne contient aucun mot significatif"
    " (seulement des mots vides)",
    "not-a-list": '« {key} » de « {slug} » doit être une liste : {key} = ["…", "…"]',
    "not-strings": "« {key} » de « {slug} » ne doit contenir que des chaînes",
    "empty-term": "terme vide dans « {key} » de « {slug} »",
    "synonyms-not-a-list": "« {key} » de « {slug} » doit être une liste de groupes :"
    " {synonyms_usage}",
    "bad-synonym-group": "groupe de synonymes invalide dans « {slug} » : chaque groupe réunit"
    " au moins deux expressions, {synonyms_usage}",
    "bad-related-group": "groupe de termes associés invalide dans « {slug} » : chaque groupe"
    " réunit au moins deux expressions, {related_usage}",
    "acronyms-not-a-table": "« sigles » de « {slug} » doit être une table [thematique.sigles]",
    "bad-acronym": "sigle « {acronym} » invalide dans « {slug} »",
    "duplicate-acronym": "sigle « {acronym} » en double dans « {slug} »",
    "acronym-without-expansion": "le sigle « {acronym} » de « {slug} » doit avoir un"
    ' développement : {acronym} = "…"',
    "translations-not-a-table": "« traductions » de « {slug} » doit être une table"
    " [thematique.traductions]",
    "bad-translation": "la traduction de « {term} » dans « {slug} » doit être une expression"
    ' anglaise ou espagnole, ou une liste : "{term}" = ["…", "…"]',
    "weights-not-a-table": "{weights} doit être une table",
    "unknown-kind": "sorte de terme inconnue « {kind} » dans {weights} (sortes : {allowed})",
    "weight-not-a-term": "{weights} : « {term} » n'est pas un terme de cette thématique",
    "bad-weight": "{weights} : le poids de « {term} » doit être un nombre positif",
}
_TOML_SYNTAX = {
    "equals-expected": "« = » attendu après le nom de la clé",
    "unterminated-string": "guillemet fermant manquant",
    "unclosed-array": "crochet fermant « ] » manquant dans la liste",
    "unclosed-table": "accolade fermante « } » manquante",
    "key-redefined": "clé déjà définie plus haut",
    "table-redeclared": "table déclarée deux fois",
    "invalid-value": "valeur invalide (une chaîne doit être entre guillemets)",
    "invalid-key": "nom de clé invalide (mettez-le entre guillemets)",
    "trailing-text": "texte inattendu après la valeur",
    "illegal-character": "caractère interdit",
}


def vocabulary_problem(exc: VocabularyError) -> str:
    """One French line: the file, the line when known, what is wrong."""
    params = dict(exc.params)
    source = f"{exc.path} (importé)" if exc.imported else str(exc.path or "vocabulaire")
    place = f"{source}, ligne {exc.line}" if exc.line else source
    if exc.code == "toml-syntax":
        reason = _TOML_SYNTAX.get(params.get("syntax", ""))
        reason = reason or f"syntaxe invalide ({params.get('detail', '')})"
        if params.get("end_of_file"):
            return (
                f"{place} (fin du fichier) : erreur de syntaxe TOML : {reason}"
                " (crochet, accolade ou guillemet non fermé ?)"
            )
        if params.get("column"):
            place += f", colonne {params['column']}"
        return f"{place} : erreur de syntaxe TOML : {reason}"
    if exc.code == "unknown-key":
        table = {"": "", "vocabulaire": " dans [vocabulaire]", "thematique": " dans une thématique"}
        return (
            f"{place} : clé inconnue « {params['key']} »{table.get(params['table'], '')}"
            f" (clés permises : {', '.join(params['allowed'])})"
        )
    slug = params.get("slug")
    params["weights"] = f"« poids » de « {slug} »" if slug else "[poids]"
    if isinstance(params.get("allowed"), tuple | list):
        params["allowed"] = ", ".join(params["allowed"])
    if params.get("key") == "associes":
        params["synonyms_usage"] = 'associes = [["expression", "expression associée", …], …]'
    else:
        params["synonyms_usage"] = 'synonymes = [["terme préféré", "synonyme", …], …]'
    params["related_usage"] = 'associes = [["expression", "expression associée", …], …]'
    template = _VOCABULARY_PROBLEMS.get(exc.code, str(exc.code))
    return f"{place} : {template.format_map(_Legible(params))}"


# Why a learned tagging model cannot be used or trained.
_MODEL_PROBLEMS = {
    "not-found": "fichier introuvable",
    "unreadable": "fichier illisible ({error})",
    "malformed": "modèle mal formé",
    "not-requested": "apprentissage non demandé",
    "unknown-format": "format de modèle inconnu ({format})",
    "missing-weights": "poids manquants : {names}",
    "too-few-documents": "{documents} documents étiquetés : il en faut au moins {needed}"
    " pour apprendre (les règles seules restent en vigueur)",
}


def model_problem(exc: ModelError) -> str:
    """One French line on a model that cannot be used or trained."""
    params = dict(exc.params)
    if isinstance(params.get("names"), tuple | list):
        params["names"] = ", ".join(params["names"])
    if exc.code == "too-few-documents" and params.get("fold"):
        text = (
            f"{params['documents']} documents pour apprendre dans un pli : il en faut au moins"
            f" {params['needed']}"
        )
    elif exc.code == "malformed" and params.get("detail"):
        text = f"modèle incomplet ou mal formé ({params['detail']})"
    else:
        text = _MODEL_PROBLEMS.get(exc.code, str(exc.code)).format_map(_Legible(params))
    return f"{exc.path} : {text}" if exc.path else text


def model_set_aside(load: ModelLoad) -> str | None:
    """Why the instance's model file is not used (None when it is, or when there is none)."""
    if load.error is None:
        return None
    if load.error == "other-thematics":
        return (
            f"modèle de marquage ignoré ({load.path.name}) : il a été entraîné pour d'autres"
            " thématiques que celles du vocabulaire ; relancez « fonds tags train »"
        )
    cause = model_problem(load.cause) if load.cause is not None else load.path.name
    return f"modèle de marquage inutilisable, règles seules : {cause}"


_AUTHORITIES = {
    "merge-itself": "Une autorité ne peut pas être fusionnée avec elle-même.",
    "merge-kinds": "Seules deux autorités du même type peuvent être fusionnées (une personne et "
    "un organisme auteur le peuvent aussi).",
    "in-use": "Cette autorité est encore utilisée par {count} notice(s) : fusionnez-la avec une "
    "autre ou corrigez ces notices avant de la supprimer.",
    "name-empty": "La forme retenue est obligatoire.",
    "name-too-long": "Forme retenue trop longue : {limit} caractères au plus.",
    "variant-too-long": "Forme rejetée trop longue : {limit} caractères au plus.",
    "too-many-variants": "{limit} formes rejetées au plus.",
    "dates-too-long": "Dates trop longues : {limit} caractères au plus.",
    "note-too-long": "Note trop longue : {limit} caractères au plus.",
    "name-taken": "« {form} » désigne déjà l'autorité n° {authority_id} ({authority_name}) : "
    "fusionnez plutôt les deux autorités.",
    "variant-taken": "La forme rejetée « {form} » désigne déjà l'autorité n° {authority_id} "
    "({authority_name}) : fusionnez plutôt les deux autorités.",
}


def authority_refusal(exc: AuthorityRefused) -> str:
    """One French sentence for a refused authority operation (library.authorities)."""
    return _AUTHORITIES.get(exc.reason, "{reason}").format(reason=exc.reason, **exc.facts)
