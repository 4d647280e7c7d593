"""French sentences for the refusals of the workspace (loans, accounts, backups), shared by the
web pages and the CLI: the library raises codes, users read one line from here."""

from __future__ import annotations

import contextlib

from library.backup import BackupError
from library.inventory import InventoryError
from library.labels import LabelError
from library.loans import LoanRefusal, LoanRefused
from library.models import CopyStatus
from library.users import AccountError, AccountProblem

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


def loan_refusal(exc: LoanRefused) -> str:
    detail = exc.detail
    if exc.reason is LoanRefusal.INVALID_BORROWER:
        detail = _BORROWER_FIELDS.get(detail, "données refusées")
    elif exc.reason is LoanRefusal.BORROWER_SUSPENDED:
        detail = f" ({detail})" if detail else ""
    elif exc.reason is LoanRefusal.COPY_UNAVAILABLE:
        with contextlib.suppress(ValueError):
            detail = CopyStatus(detail).label.lower()
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
