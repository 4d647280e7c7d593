"""The work done per file in the extraction processes: read, detect the language, analyse
the text once, tag. Everything returned is plain data, cheap to send back to the writer."""

from __future__ import annotations

import contextlib
import logging
import resource
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library import ThemeAssignment

from .analysis import analyze, normalise_language
from .deadline import DeadlineExpired, deadline
from .extractors.base import Extraction, ExtractionError, ExtractionLimits
from .reasons import Reason, ReasonCode

if TYPE_CHECKING:
    from .tagging import ThemeTagger

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    path: str  # os.fsdecode'd: surrogate escapes survive pickling
    sha256: str
    limits: ExtractionLimits = field(default_factory=ExtractionLimits)
    timeout: float = 120.0


@dataclass(frozen=True, slots=True)
class Outcome:
    job: Job
    extraction: Extraction | None = None
    language: str = "und"
    text_terms: str = ""  # analysed terms of the text, space-separated
    themes: tuple[ThemeAssignment, ...] = ()
    error: Reason | None = None
    seconds: float = 0.0


_state: dict[str, Any] = {}


def init_worker(tagger: ThemeTagger | None = None, memory_limit: int | None = None) -> None:
    """Pool initializer: the tagger arrives once per process; memory is capped so one
    hostile file raises MemoryError here instead of exhausting the machine."""
    _state["tagger"] = tagger
    if memory_limit:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))


def run_job(job: Job) -> Outcome:
    import time

    from .extractors import default_registry
    from .language import detect_language

    started = time.perf_counter()
    registry = _state.get("registry")
    if registry is None:
        registry = _state["registry"] = default_registry()
    try:
        with deadline(job.timeout):
            extraction = registry.extract(Path(job.path), job.limits)
            language = detect_language(extraction.text, extraction.language_hint)
            terms = analyze(extraction.text, normalise_language(language))
            themes = _tag(extraction, language, terms)
    except ExtractionError as exc:
        return Outcome(job, error=exc.reason, seconds=time.perf_counter() - started)
    except DeadlineExpired:
        reason = Reason.of(ReasonCode.TIMEOUT, seconds=round(job.timeout))
        return Outcome(job, error=reason, seconds=time.perf_counter() - started)
    except MemoryError:
        return Outcome(
            job,
            error=Reason.of(ReasonCode.OUT_OF_MEMORY),
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
        log.debug("unexpected failure on %s", job.path, exc_info=True)
        return Outcome(
            job,
            error=Reason.of(ReasonCode.UNEXPECTED_ERROR, error=type(exc).__name__),
            seconds=time.perf_counter() - started,
        )
    return Outcome(
        job, extraction, language, " ".join(terms), themes, seconds=time.perf_counter() - started
    )


def _tag(extraction: Extraction, language: str, terms: list[str]) -> tuple[ThemeAssignment, ...]:
    tagger = _state.get("tagger")
    if tagger is None:
        return ()
    from .tagging import TagInput

    doc = TagInput(
        title=extraction.title or "",
        abstract=extraction.abstract or "",
        keywords=tuple(extraction.keywords),
        text=extraction.text,
        language=language,
        text_terms=terms,
    )
    return tuple(tagger.tag(doc))
