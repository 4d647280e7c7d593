"""The learned layer over the rule scores: trained on confirmed thematics, measured honestly."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

import pytest

import indexer.tag_evaluation as tag_evaluation
import indexer.tag_training as tag_training
from indexer.instance import ModelSetAside, model_for_instance, tagger_for_instance
from indexer.tag_evaluation import LabelledDoc, cross_validate
from indexer.tag_model import (
    BIAS,
    FEATURE_LABELS,
    MODEL_FILE,
    ModelError,
    ModelProblem,
    TagModel,
    load_model,
    save_model,
)
from indexer.tag_training import MIN_DOCUMENTS, Example, fit_model, train
from indexer.tagging import Tagger, TagInput
from indexer.vocabulary import PACKAGED_VOCABULARY, load_vocabulary
from tests.indexer.labelled_fund import labelled_fund
from webapp.messages import explain, explain_model, model_problem, model_set_aside


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_vocabulary(PACKAGED_VOCABULARY))


@pytest.fixture(scope="module")
def examples(tagger: Tagger) -> list[Example]:
    return [Example(tuple(tagger.scores(doc)), themes) for doc, themes in labelled_fund()]


@pytest.fixture(scope="module")
def model(tagger: Tagger, examples: list[Example]) -> TagModel:
    return train(examples, tagger.slugs, vocabulary=tagger.vocabulary)


NEW_REPORT = TagInput(
    title="Les correspondants de nuit du quartier Dillon",
    abstract="Le métier de médiateur demande une formation et des compétences reconnues par les"
    " employeurs. Les recrutements de médiateurs se font sur des emplois aidés. Les médiateurs"
    " sociaux apaisent les conflits de voisinage.",
)


def slugs(tagger: Tagger, doc: TagInput) -> list[str]:
    return [a.slug for a in tagger.tag(doc)]


def test_a_model_trained_on_confirmed_thematics_drops_what_the_rules_over_assign(tagger, model):
    assert slugs(tagger, NEW_REPORT) == ["mediation-sociale", "emploi-insertion"]  # the rules
    assert slugs(tagger.with_model(model), NEW_REPORT) == ["mediation-sociale"]


def test_the_model_keeps_what_the_documentalist_confirms(tagger, model):
    job = TagInput(
        title="La mission locale aide les chômeurs à trouver un emploi",
        abstract="Les chantiers d'insertion recrutent des demandeurs d'emploi.",
    )
    housing = TagInput(
        title="La demande de logement social dépasse l'offre",
        abstract="Les locataires attendent un logement depuis des années.",
    )
    learned = tagger.with_model(model)
    assert slugs(learned, job) == ["emploi-insertion"]
    assert slugs(learned, housing) == ["logement"]


def test_a_model_decision_keeps_the_matched_terms_and_says_why_in_french(tagger, model):
    [assignment] = tagger.with_model(model).tag(NEW_REPORT)
    evidence = assignment.evidence
    assert {t["term"] for t in evidence["terms"]} >= {"correspondants de nuit", "médiateurs"}
    assert evidence["passages"] and "médiateur" in evidence["passages"][0]["text"]
    assert assignment.score == evidence["model"]["probability"] >= model.threshold
    assert "correspondants de nuit (titre)" in explain(evidence)
    line = explain_model(evidence)
    assert line.startswith("modèle appris : probabilité ") and "%" in line
    reasons = evidence["model"]["reasons"]
    assert 1 <= len(reasons) <= 3 and all(value > 0 for _, value in reasons)
    assert all(name in (*FEATURE_LABELS, BIAS) for name, _ in reasons)  # codes are stored
    name, value = reasons[0]
    label = FEATURE_LABELS.get(name, "habitude propre à la thématique")
    assert f"{label} (+{value:.1f})".replace(".", ",") in line
    assert explain_model(tagger.tag(NEW_REPORT)[0].evidence) == ""  # the rules decided


def test_the_model_line_is_written_the_french_way():
    evidence = {
        "terms": [],
        "model": {
            "probability": 0.8234,
            "rule_score": 0.61,
            "reasons": [["log_keywords", 1.64], ["bias", 0.5], ["cue_share", -0.4]],
        },
    }
    assert explain_model(evidence) == (
        "modèle appris : probabilité 82 % (score des règles 0,61) ; indices dans les mots-clés"
        " (+1,6), habitude propre à la thématique (+0,5), part des mots courants (−0,4)"
    )
    # Evidence stored by earlier versions holds the French label itself.
    evidence["model"]["reasons"] = [["part des mots courants", -0.4]]
    assert explain_model(evidence).endswith("; part des mots courants (−0,4)")


def test_no_thematic_without_a_vocabulary_term_however_likely(tagger, model):
    generous = replace(model, intercept=50.0)  # every scored thematic would be "certain"
    decided = tagger.with_model(generous).tag(TagInput(title="Les médiateurs du soir"))
    assert [a.slug for a in decided] == ["mediation-sociale"]
    assert tagger.with_model(generous).tag(TagInput(title="Un jour de pluie")) == []


def test_at_most_three_thematics(tagger, model):
    generous = replace(model, intercept=50.0)
    doc = TagInput(title="Médiateurs, logement social, chômage et santé des habitants")
    assert len(tagger.with_model(generous).tag(doc)) == 3


def test_the_model_file_is_readable_and_round_trips(tmp_path, tagger, model):
    path = tmp_path / MODEL_FILE
    save_model(model, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["labels"]["log_title"] == "indices dans le titre"
    assert set(data["weights"]) == set(data["labels"])
    assert set(data["themes"]) == set(tagger.slugs)
    loaded = load_model(path)
    assert loaded == model
    assert loaded.probabilities(tagger.scores(NEW_REPORT)) == model.probabilities(
        tagger.scores(NEW_REPORT)
    )


@pytest.mark.parametrize(
    "content",
    ["{pas du json", "[]", '{"format": 99}', '{"format": 1, "weights": [], "slugs": []}'],
)
def test_a_broken_model_file_leaves_the_rules_in_force_and_says_why(tmp_path, tagger, content):
    (tmp_path / MODEL_FILE).write_text(content, encoding="utf-8")
    load = model_for_instance(tmp_path, tagger.vocabulary)
    assert load.model is None and load.error is ModelSetAside.UNUSABLE
    assert "règles seules" in model_set_aside(load)
    fallback, fallback_load = tagger_for_instance(tmp_path, tagger.vocabulary)
    assert fallback.model is None and fallback_load.error is load.error
    assert slugs(fallback, NEW_REPORT) == slugs(tagger, NEW_REPORT)


def test_a_model_for_other_thematics_is_ignored(tmp_path, tagger, model):
    save_model(replace(model, slugs=model.slugs[:-1]), tmp_path / MODEL_FILE)
    load = model_for_instance(tmp_path, tagger.vocabulary)
    assert load.model is None and load.error is ModelSetAside.OTHER_THEMATICS
    assert "fonds tags train" in model_set_aside(load)


def test_a_model_trained_with_other_terms_is_used_but_said_stale(tmp_path, tagger, model):
    save_model(replace(model, vocabulary_digest="0" * 16), tmp_path / MODEL_FILE)
    load = model_for_instance(tmp_path, tagger.vocabulary)
    assert load.model is not None and load.stale
    save_model(model, tmp_path / MODEL_FILE)
    assert not model_for_instance(tmp_path, tagger.vocabulary).stale


def test_without_a_model_file_an_instance_tags_with_the_rules(tmp_path, tagger):
    fresh, load = tagger_for_instance(tmp_path, tagger.vocabulary)
    assert fresh.model is None and load.error is None and model_set_aside(load) is None


def test_too_few_labelled_documents_to_learn_from(tagger, examples):
    with pytest.raises(ModelError) as caught:
        train(examples[: MIN_DOCUMENTS - 1], tagger.slugs)
    assert caught.value.code is ModelProblem.TOO_FEW_DOCUMENTS
    assert f"au moins {MIN_DOCUMENTS}" in model_problem(caught.value)


def test_a_thematic_confirmed_too_rarely_has_no_bias_of_its_own(tagger, examples):
    model = fit_model(examples, tagger.slugs, penalty=1.0, theme_penalty=1.0, threshold=0.5)
    assert model.bias("culture") == 0.0  # never confirmed
    assert model.bias("mediation-sociale") != 0.0


def test_training_is_deterministic(tagger, examples):
    first = train(examples, tagger.slugs, seed=4)
    again = train(list(examples), tagger.slugs, seed=4)
    assert first == again


def test_the_tagger_with_its_model_survives_pickling(tagger, model):
    learned = tagger.with_model(model)
    copy = pickle.loads(pickle.dumps(learned))
    assert copy.model == model
    assert copy.tag(NEW_REPORT) == learned.tag(NEW_REPORT)
    assert copy.low_confidence == model.low_confidence != tagger.low_confidence


# -- cross-validation ----------------------------------------------------------------------------


def labelled_docs(tagger: Tagger) -> list[LabelledDoc]:
    """Two labelled funds, without documents the rules see identically (so that a spy can
    tell every document apart by what the model is given)."""
    docs, seen = [], set()
    for doc, themes in labelled_fund(seed=11) + labelled_fund(seed=12):
        example = Example(tuple(tagger.scores(doc)), themes)
        if example not in seen:
            seen.add(example)
            docs.append(LabelledDoc(f"doc:{len(docs)}", len(docs), themes, doc))
    return docs


def test_cross_validation_never_trains_on_the_fold_it_measures(monkeypatch, tagger):
    """GIVEN a spy on every fit WHEN the model is cross-validated THEN no fit of fold k ever
    sees a document of fold k (neither the inner selection nor the fold's final fit)."""
    docs = labelled_docs(tagger)
    by_example = {Example(tuple(tagger.scores(d.doc)), d.expected): i for i, d in enumerate(docs)}
    fits: list[tuple[int, set[int]]] = []
    fold = [-1]
    real_select, real_fit = tag_training.select, tag_training.fit_model

    def spy_select(examples, slugs, **kwargs):
        fold[0] += 1
        return real_select(examples, slugs, **kwargs)

    def spy_fit(examples, slugs, **kwargs):
        fits.append((fold[0], {by_example[e] for e in examples}))
        return real_fit(examples, slugs, **kwargs)

    monkeypatch.setattr(tag_evaluation, "select", spy_select)
    monkeypatch.setattr(tag_evaluation, "fit_model", spy_fit)
    monkeypatch.setattr(tag_training, "fit_model", spy_fit)
    cv = cross_validate(tagger, docs, 4, seed=1)

    assert cv.model is not None and fold[0] == 3
    assert sorted(i for test in cv.test_sets for i in test) == list(range(len(docs)))
    for k, (train_set, test_set) in enumerate(zip(cv.train_sets, cv.test_sets, strict=True)):
        assert not set(train_set) & set(test_set)
        fits_k = [seen for f, seen in fits if f == k]
        assert len(fits_k) == len(tag_training.PENALTIES) * tag_training.INNER_FOLDS + 1
        assert all(not seen & set(test_set) for seen in fits_k)
        assert fits_k[-1] == set(train_set)  # the fold's model saw its whole training part


def test_cross_validation_reports_the_rules_and_the_model_on_the_same_documents(tagger):
    docs = labelled_docs(tagger)
    cv = cross_validate(tagger, docs, 4, seed=1)
    assert cv.rules.documents == cv.model.documents == len(docs)
    assert cv.system is cv.model
    # The rules add "emploi-insertion" to reports on mediators; the model learns not to.
    rules_precision = cv.rules.per_theme["emploi-insertion"][0].precision
    assert rules_precision < cv.model.per_theme["emploi-insertion"][0].precision
    assert cv.model.micro.f1 > cv.rules.micro.f1


def test_catalogue_labels_train_every_fold_but_are_never_measured(tagger):
    docs = labelled_docs(tagger)
    few, extra = docs[:12], docs[12:]
    cv = cross_validate(tagger, few, 3, extra=extra)
    assert cv.model is not None and cv.model.documents == 12
    assert cross_validate(tagger, few, 3).model_error  # 8 documents per training part
