"""French sentences for the OCR queue, shared by `fonds ocr`, `fonds check` and the workspace:
the indexer hands up reason codes, users read one line from here."""

from __future__ import annotations

from indexer.ocr.tools import APT_LINE, Missing
from indexer.reasons import Reason

from .messages import reason_text

_REASONS: dict[str, str] = {
    "encrypted": "PDF protégé par un mot de passe : enregistrez-en une copie sans mot de passe",
    "signed": "PDF signé électroniquement : y ajouter une couche texte invaliderait la signature",
    "corrupt": "fichier endommagé ou tronqué, illisible pour l'OCR{paren}",
    "too_many_pages": "trop de pages pour l'OCR (pages/limite : {detail}) : découpez le document ou relevez "
    "OCR_MAX_PAGES",
    "timeout": "délai dépassé : la reconnaissance de ce document a été interrompue",
    "tesseract_failed": "Tesseract a échoué sur ce document{paren}",
    "ocrmypdf_failed": "OCRmyPDF a échoué sur ce document{paren}",
    "missing_tool": "outil d'OCR manquant{paren}",
    "worker_crashed": "le processus d'OCR s'est arrêté brutalement (mémoire ?)",
    "memory": "mémoire insuffisante pour océriser ce document",
    "file_missing": "fichier absent du magasin de fichiers (lancez « fonds check --repair »)",
    "unreadable_output": "le PDF produit par l'OCR est illisible{paren}",
    "unexpected": "erreur inattendue pendant l'OCR{paren}",
    "no_record": "notice introuvable",
    "deleted": "notice dans la corbeille : restaurez-la d'abord",
    "no_file": "notice sans fichier numérique : rien à océriser",
    "not_a_scan": "ce fichier n'est ni un PDF ni une image : rien à océriser",
}


def ocr_reason(code: str, detail: str = "") -> str:
    """One French line for an OCR failure code and its detail."""
    template = _REASONS.get(code, "échec de l'OCR ({code}){paren}")
    if detail.startswith("{"):  # an extractor's reason (indexer.reasons), stored encoded
        detail = reason_text(Reason.decode(detail))
    paren = f" ({detail})" if detail else ""
    return template.format(code=code, detail=detail, paren=paren)


def ocr_unavailable(missing: Missing) -> str:
    """The one line `fonds ocr` prints when OCR cannot run on this machine."""
    if missing.code == "ocrmypdf":
        return "OCRmyPDF n'est pas installé : pip install ocrmypdf (dans l'environnement de Fonds)"
    if missing.code == "language":
        return (
            f"langue(s) d'OCR non installée(s) pour Tesseract : {missing.detail} "
            f"(paquet Debian tesseract-ocr-<langue>, ou réglez OCR_LANGUAGES)"
        )
    return f"Tesseract n'est pas installé : pour océriser les documents scannés, {APT_LINE}"


STATUS_LABELS = {"pending": "en attente", "failed": "en échec", "done": "océrisé"}
