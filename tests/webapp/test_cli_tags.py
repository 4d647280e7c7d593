"""`fonds retag`, `fonds tags evaluate|review` and `fonds vocab` as a documentalist uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.vocabulary import PACKAGED_VOCABULARY
from library import (
    Catalogue,
    Copy,
    Record,
    SourceFile,
    Support,
    TextStatus,
    ThemeAssignment,
    ThemeSource,
)
from library.store import sha256_of
from tests.indexer.labelled_fund import labelled_fund
from webapp.cli import cli

YOUTH = (
    "Une consultation menée auprès de deux cents adolescents et jeunes adultes montre le manque"
    " de lieux où se retrouver le soir ; le service jeunesse ouvrira un espace jeunes."
)
HOUSING = (
    "Plus de dix mille ménages attendent un logement social. Les bailleurs sociaux livrent peu"
    " de logements neufs et les impayés de loyer augmentent."
)
HEALTH = (
    "L'Atelier Santé Ville a mené un diagnostic : accès aux soins difficile, diabète, surpoids"
    " des enfants et consommation d'alcool chez les jeunes."
)


@pytest.fixture
def fund(instance: Path, tmp_path: Path) -> dict[str, int]:
    """GIVEN a small fund: three electronic texts, one paper holding, one scanned file."""
    documents = tmp_path / "corpus" / "documents"
    documents.mkdir(parents=True)
    note = documents / "note-jeunesse.txt"
    note.write_text(YOUTH, encoding="utf-8")
    sha = sha256_of(note)
    with Catalogue.in_instance(instance) as catalogue:
        catalogue.add_file(SourceFile(sha, note.name, "text/plain", note.stat().st_size, "x.txt"))
        ids = {
            "youth": catalogue.add(
                Record(
                    "Ce que veulent les 16-25 ans",
                    language="fr",
                    text_status=TextStatus.OK,
                    file=SourceFile(sha, note.name, "text/plain", 1, "x.txt"),
                ),
                text=YOUTH,
            ).id,
            "housing": catalogue.add(
                Record("Attendre un toit", language="fr", text_status=TextStatus.OK), text=HOUSING
            ).id,
            "health": catalogue.add(
                Record("Diagnostic santé du quartier", language="fr", text_status=TextStatus.OK),
                text=HEALTH,
            ).id,
            "paper": catalogue.add(
                Record(
                    "Le PLIE de Fort-de-France : bilan des parcours vers l'emploi",
                    support=Support.PAPIER,
                    keywords=("insertion professionnelle",),
                    copies=(Copy("B0001"),),
                ),
            ).id,
            "scan": catalogue.add(
                Record("Document numérisé sans texte", text_status=TextStatus.EMPTY), text=""
            ).id,
        }
    return ids


def run(instance: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--instance", str(instance), *args], catch_exceptions=False)


def effective(instance: Path, record_id: int) -> list[str]:
    with Catalogue.in_instance(instance) as catalogue:
        return list(catalogue.get(record_id).theme_slugs)


# -- retag -------------------------------------------------------------------------------------


def test_retag_without_option_tags_the_records_that_have_no_thematic(instance, fund):
    result = run(instance, "retag")
    assert result.exit_code == 0, result.output
    assert "notices re-étiquetées : 5 ; modifiées : 4 ; sans thématique : 1" in result.output
    assert effective(instance, fund["youth"])[:1] == ["jeunesse"]
    assert effective(instance, fund["housing"])[:1] == ["logement"]
    assert effective(instance, fund["paper"])[:1] == ["emploi-insertion"]
    assert effective(instance, fund["scan"]) == []


def test_a_dry_run_writes_nothing(instance, fund):
    result = run(instance, "retag", "--all", "--dry-run")
    assert result.exit_code == 0
    assert "Marquage : règles du vocabulaire seules" in result.output
    assert "Simulation (rien n'est écrit)" in result.output
    assert effective(instance, fund["youth"]) == []


def test_manual_decisions_survive_retag_all(instance, fund):
    """GIVEN a documentalist who removed a proposal and added a thematic by hand
    WHEN everything is re-tagged THEN both decisions stand."""
    run(instance, "retag")
    with Catalogue.in_instance(instance) as catalogue:
        catalogue.set_manual_theme(fund["youth"], "jeunesse", "remove", by="doc")
        catalogue.set_manual_theme(fund["youth"], "culture", "add", by="doc")
    result = run(instance, "retag", "--all")
    assert result.exit_code == 0
    themes = effective(instance, fund["youth"])
    assert "jeunesse" not in themes and "culture" in themes
    with Catalogue.in_instance(instance) as catalogue:
        assert catalogue.manual_labels()[fund["youth"]] == {"jeunesse": "remove", "culture": "add"}


def test_retag_auto_only_leaves_records_with_a_manual_decision_alone(instance, fund):
    with Catalogue.in_instance(instance) as catalogue:
        catalogue.set_manual_theme(fund["health"], "sante", "add")
        catalogue.set_auto_themes(
            fund["health"], [ThemeAssignment("culture", ThemeSource.AUTO, 0.9, {"terms": []})]
        )
    result = run(instance, "retag", "--auto-only", "--json")
    data = json.loads(result.output)
    assert data["scope"] == "auto-only" and data["retagged"] == 4
    assert "culture" in effective(instance, fund["health"])  # untouched


def test_retag_brings_the_index_up_to_date(instance, fund):
    run(instance, "retag")
    result = run(instance, "search", "--theme", "logement", "--json")
    assert result.exit_code == 0, result.output
    assert [hit["id"] for hit in json.loads(result.output)["hits"]] == [fund["housing"]]


def test_a_broken_instance_vocabulary_is_reported_and_the_previous_one_used(instance, fund):
    (instance / "vocabulary.toml").write_text(
        PACKAGED_VOCABULARY.read_text(encoding="utf-8").replace(
            'slug = "sante"', 'slug = "logement"'
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--instance", str(instance), "retag"])
    assert result.exit_code == 0
    assert "vocabulaire invalide" in result.stderr and "en double" in result.stderr
    assert "ligne" in result.stderr
    assert effective(instance, fund["housing"])[:1] == ["logement"]


# -- tags evaluate ------------------------------------------------------------------------------


def labels_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "corpus" / "labels.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("ref;themes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_evaluate_prints_precision_recall_and_f1_per_thematic(instance, fund, tmp_path):
    labels = labels_file(
        tmp_path,
        [
            "documents/note-jeunesse.txt;jeunesse",
            "barcode:B0001;emploi-insertion",
            "barcode:B9999;sante",
            "documents/absent.pdf;culture",
        ],
    )
    result = run(instance, "tags", "evaluate", "--labels", str(labels))
    assert result.exit_code == 0, result.output
    assert "Évaluation sur 2 documents" in result.output
    assert "Références introuvables dans le catalogue : 2" in result.output
    assert "jeunesse" in result.output and "Micro-moyenne" in result.output
    assert "Documents sans thématique : 0,0 %" in result.output
    assert effective(instance, fund["youth"]) == []  # nothing written


def test_evaluate_json_has_the_documented_shape(instance, fund, tmp_path):
    labels = labels_file(
        tmp_path,
        [
            "documents/note-jeunesse.txt;jeunesse",
            "barcode:B0001;emploi-insertion|jeunesse",
            "barcode:B0404;sante",
        ],
    )
    result = run(instance, "tags", "evaluate", "--labels", str(labels), "--json")
    data = json.loads(result.output)
    assert set(data) == {
        "documents",
        "missing",
        "micro",
        "macro",
        "per_theme",
        "untagged_share",
        "tagger",
        "trained_on",
    }
    assert (data["tagger"], data["trained_on"]) == ("rules", 0)
    assert (data["documents"], data["missing"]) == (2, 1)
    assert set(data["micro"]) == {"precision", "recall", "f1"}
    assert data["micro"]["precision"] == 1.0 and data["micro"]["recall"] == pytest.approx(
        2 / 3, 1e-3
    )
    assert data["per_theme"]["jeunesse"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }


def test_evaluate_with_folds_reports_held_out_figures(instance, fund, tmp_path):
    labels = labels_file(
        tmp_path,
        [
            "documents/note-jeunesse.txt;jeunesse",
            "barcode:B0001;emploi-insertion",
        ],
    )
    result = run(instance, "tags", "evaluate", "--labels", str(labels), "--folds", "2", "--json")
    data = json.loads(result.output)
    assert data["folds"] == 2 and len(data["fitted"]) == 2
    assert data["documents"] == 2
    # Two documents are too few to learn from: the figures are the rules' alone, and say so.
    assert data["system"] == "rules" and data["model"] is None
    assert "au moins 30" in data["model_error"]
    assert data["micro"] == data["rules"]["micro"]


def test_evaluate_with_a_missing_or_malformed_labels_file_says_so(instance, fund, tmp_path):
    result = run(instance, "tags", "evaluate", "--labels", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "introuvable" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("fichier;sujets\n", encoding="utf-8")
    result = run(instance, "tags", "evaluate", "--labels", str(bad))
    assert result.exit_code == 1 and "ligne 1" in result.output


# -- tags review --------------------------------------------------------------------------------


def test_evaluate_with_nothing_to_measure_says_why(instance, fund, tmp_path):
    absent = labels_file(tmp_path, ["documents/absent.pdf;culture"])
    result = run(instance, "tags", "evaluate", "--labels", str(absent))
    assert result.exit_code == 1
    assert f"aucune référence de {absent} n'a été trouvée dans le catalogue" in result.output
    two = labels_file(
        tmp_path, ["documents/note-jeunesse.txt;jeunesse", "barcode:B0001;emploi-insertion"]
    )
    result = run(instance, "tags", "evaluate", "--labels", str(two), "--folds", "3")
    assert result.exit_code == 1
    assert "--folds ne peut dépasser le nombre de documents (2)" in result.output


def test_review_lists_untagged_low_confidence_and_records_to_ocr(instance, fund):
    run(instance, "retag")
    with Catalogue.in_instance(instance) as catalogue:
        catalogue.set_auto_themes(
            fund["health"], [ThemeAssignment("sante", ThemeSource.AUTO, 0.31, {"terms": []})]
        )
    data = json.loads(run(instance, "tags", "review", "--json").output)
    assert [r["id"] for r in data["untagged"]] == [fund["scan"]]
    assert [r["id"] for r in data["low_confidence"]] == [fund["health"]]
    assert [r["id"] for r in data["to_ocr"]] == [fund["scan"]]
    text = run(instance, "tags", "review").output
    assert "Sans thématique : 1" in text and "Sans texte (à océriser) : 1" in text


# -- vocab --------------------------------------------------------------------------------------


def test_vocab_check_reports_size_or_the_error_with_its_line(instance, tmp_path):
    result = run(instance, "vocab", "check")
    assert result.exit_code == 0
    assert result.output.startswith("vocabulaire valide : 14 thématiques, ")
    broken = tmp_path / "v.toml"
    broken.write_text('[[thematique]]\nslug = "x"\nlibelle = "X"\ntermes = ["a", \n', "utf-8")
    result = run(instance, "vocab", "check", str(broken))
    assert result.exit_code == 1
    assert "ligne" in result.output and "erreur de syntaxe TOML" in result.output


def test_vocab_export_then_import_installs_the_vocabulary_with_a_backup(instance, tmp_path):
    exported = tmp_path / "vocabulaire.ttl"
    result = run(instance, "vocab", "export", "-o", str(exported))
    assert result.exit_code == 0 and "skos:prefLabel" in exported.read_text("utf-8")
    rdf = run(instance, "vocab", "export", "--format", "rdfxml").output
    assert rdf.startswith("<?xml")

    result = run(instance, "vocab", "import", str(exported), "--dry-run")
    assert result.exit_code == 0 and "Simulation" in result.output
    assert not (instance / "vocabulary.toml").exists()

    assert run(instance, "vocab", "import", str(exported)).exit_code == 0
    assert run(instance, "vocab", "import", str(exported)).exit_code == 0
    assert (instance / "vocabulary.toml").exists()
    assert list(instance.glob("vocabulary.toml.*.bak"))
    result = run(instance, "vocab", "check")
    assert "14 thématiques" in result.output and str(instance) in result.output


def test_vocab_import_of_a_bad_file_changes_nothing(instance, tmp_path):
    bad = tmp_path / "autre.rdf"
    bad.write_text("<rdf:RDF pas du tout", encoding="utf-8")
    result = run(instance, "vocab", "import", str(bad))
    assert result.exit_code == 1 and "illisible" in result.output
    assert not (instance / "vocabulary.toml").exists()


# -- tags train: learning from the documentalist's confirmed thematics ---------------------------


@pytest.fixture
def confirmed(instance: Path) -> dict[str, int]:
    """GIVEN 40 paper holdings whose thematics the documentalist confirmed by hand; reports on
    mediators are about mediation only, although they speak of the mediators' jobs."""
    ids = {}
    with Catalogue.in_instance(instance) as catalogue:
        for n, (doc, themes) in enumerate(labelled_fund()):
            record = catalogue.add(
                Record(
                    doc.title,
                    abstract=doc.abstract,
                    support=Support.PAPIER,
                    copies=(Copy(f"L{n:04d}"),),
                )
            )
            for slug in sorted(themes):
                catalogue.set_manual_theme(record.id, slug, "add", by="doc")
            ids[f"L{n:04d}"] = record.id
        ids["new"] = catalogue.add(
            Record(
                "Les correspondants de nuit du quartier Dillon",
                abstract="Le métier de médiateur demande une formation et des compétences"
                " reconnues par les employeurs. Les recrutements de médiateurs se font sur des"
                " emplois aidés. Les médiateurs sociaux apaisent les conflits de voisinage.",
                support=Support.PAPIER,
            )
        ).id
    return ids


def auto_themes(instance: Path, record_id: int) -> list[ThemeAssignment]:
    with Catalogue.in_instance(instance) as catalogue:
        return [t for t in catalogue.get(record_id).themes if t.source is ThemeSource.AUTO]


def test_train_compares_rules_and_model_then_retag_applies_the_model(instance, confirmed):
    """GIVEN confirmed thematics WHEN the model is trained and the fund re-tagged THEN the
    training shows held-out figures of both systems, and new proposals come from the model,
    still explained by the vocabulary's terms."""
    run(instance, "retag")
    assert [t.slug for t in auto_themes(instance, confirmed["new"])] == [
        "mediation-sociale",
        "emploi-insertion",
    ]
    result = run(instance, "tags", "train")
    assert result.exit_code == 0, result.output
    assert "Apprentissage sur 40 documents étiquetés (0 du fichier, 40 notices corrigées" in (
        result.output
    )
    assert "Règles seules" in result.output and "Règles + modèle appris" in result.output
    assert "indices dans le titre" in result.output
    saved = json.loads((instance / "tagging-model.json").read_text(encoding="utf-8"))
    assert saved["training"]["from_catalogue"] == 40
    assert saved["cross_validation"]["folds"] == 5
    assert saved["cross_validation"]["model"]["micro"]["f1"] > 0

    result = run(instance, "retag", "--all")
    assert "Marquage : règles du vocabulaire + modèle appris (tagging-model.json" in result.output
    [proposal] = auto_themes(instance, confirmed["new"])
    assert proposal.slug == "mediation-sociale"
    assert proposal.evidence["terms"] and proposal.evidence["model"]["probability"] > 0.5
    review = json.loads(run(instance, "tags", "review", "--json").output)
    assert review["low_confidence_below"] == 0.6


def test_a_dry_run_trains_and_measures_but_saves_nothing(instance, confirmed):
    result = run(instance, "tags", "train", "--dry-run", "--json")
    data = json.loads(result.output)
    assert data["saved"] is False and data["documents"] == 40
    assert set(data["cross_validation"]) == {"folds", "seed", "rules", "model"}
    assert not (instance / "tagging-model.json").exists()


def test_manual_decisions_still_win_over_the_model(instance, confirmed):
    """GIVEN a trained model that proposes mediation for a report, and a documentalist who
    removed it WHEN everything is re-tagged THEN the removal stands."""
    run(instance, "tags", "train")
    with Catalogue.in_instance(instance) as catalogue:
        catalogue.set_manual_theme(confirmed["new"], "mediation-sociale", "remove", by="doc")
        catalogue.set_manual_theme(confirmed["new"], "culture", "add", by="doc")
    run(instance, "retag", "--all")
    assert effective(instance, confirmed["new"]) == ["culture"]
    with Catalogue.in_instance(instance) as catalogue:
        assert catalogue.manual_labels()[confirmed["new"]] == {
            "mediation-sociale": "remove",
            "culture": "add",
        }


def test_train_refuses_with_too_few_confirmed_documents(instance, fund):
    result = run(instance, "tags", "train")
    assert result.exit_code == 1
    assert "il en faut au moins 30" in result.output and "règles" in result.output
    assert not (instance / "tagging-model.json").exists()


def test_evaluate_with_folds_compares_the_rules_and_the_model(instance, confirmed, tmp_path):
    rows = [
        f"barcode:{code};{'|'.join(sorted(themes))}"
        for code, (_, themes) in zip(
            sorted(c for c in confirmed if c != "new"), labelled_fund(), strict=True
        )
    ]
    labels = labels_file(tmp_path, rows)
    data = json.loads(
        run(instance, "tags", "evaluate", "--labels", str(labels), "--folds", "4", "--json").output
    )
    assert data["documents"] == 40 and data["training_only"] == 0
    assert data["system"] == "model" and data["model_error"] is None
    assert data["micro"] == data["model"]["micro"]
    assert data["model"]["micro"]["f1"] > data["rules"]["micro"]["f1"]
    assert all(set(f) == {"rules", "model"} for f in data["fitted"])
    text = run(instance, "tags", "evaluate", "--labels", str(labels), "--folds", "4").output
    assert "Règles seules" in text and "Règles + modèle appris" in text


def test_evaluating_on_the_documents_the_model_learnt_from_is_flagged(
    instance, confirmed, tmp_path
):
    run(instance, "tags", "train")
    labels = labels_file(tmp_path, ["barcode:L0000;mediation-sociale"])
    result = run(instance, "tags", "evaluate", "--labels", str(labels))
    assert "marquage actuel : règles du vocabulaire + modèle appris" in result.output
    assert "1 de ces documents ont servi à entraîner le modèle" in result.output


def test_a_model_trained_before_a_vocabulary_edit_is_used_and_said_stale(instance, confirmed):
    run(instance, "tags", "train")
    assert "relancez" not in run(instance, "retag", "--all").output
    vocabulary = PACKAGED_VOCABULARY.read_text(encoding="utf-8")
    (instance / "vocabulary.toml").write_text(
        vocabulary.replace('"correspondants de nuit"', '"veilleurs de nuit"'), encoding="utf-8"
    )
    result = run(instance, "retag", "--all")
    assert "modèle appris" in result.output
    assert "le vocabulaire a changé depuis : relancez « fonds tags train »" in result.output


def test_a_broken_model_file_is_reported_and_the_rules_used(instance, fund):
    (instance / "tagging-model.json").write_text("{ pas du json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--instance", str(instance), "retag"])
    assert result.exit_code == 0
    assert "modèle de marquage inutilisable, règles seules" in result.stderr
    assert "Marquage : règles du vocabulaire seules" in result.output
    assert effective(instance, fund["housing"])[:1] == ["logement"]
