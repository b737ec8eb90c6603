"""The validation stage: schema and guideline checks over a loaded repository."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from pathlib import Path

from mcval.document import Document, NodePath
from mcval.errors import RepositoryError, UsageError
from mcval.findings import Finding, Position, Severity
from mcval.history import RepositoryHistory, load_history
from mcval.repository import (
    APPROVERS_SCHEMA,
    LIBRARY_SCHEMA,
    PROPOSAL_SCHEMA,
    REGISTRY_SCHEMA,
    Repository,
    load_repository,
)
from mcval.result import ProposalSummary, ValidationResult
from mcval.rules import RULES, ProposalContext
from mcval.rules.history import removed_message
from mcval.schema import SchemaProblem, SchemaValidator
from mcval.settings import ValidateSettings

SCHEMA_CODE = "S001"

# A required field that is missing, or left empty, breaks the guideline that
# requires it, so the finding carries that guideline's code and severity.
_GUIDELINE_FIELDS: dict[tuple[str, ...], str] = {
    ("alignments",): "MC101",
    ("alignments", "*", "evidence"): "MC101",
    ("stakeholders",): "MC201",
    ("transfer_institutions_apply",): "MC203",
    ("competencies",): "MC301",
    ("competencies", "*", "assessment"): "MC401",
    ("competencies", "*", "assessment", "*"): "MC401",
    ("competencies", "*", "assessment", "rubric", "*"): "MC401",
    ("award_process",): "MC501",
    ("award_process", "*"): "MC501",
    ("expiration",): "MC601",
    ("expiration", "*"): "MC601",
    ("review_by",): "MC602",
    ("signatures",): "MC701",
    ("terms",): "MC951",
    ("image",): "MC961",
}


def validate(settings: ValidateSettings) -> ValidationResult:
    """Load the whole repository, check every file, and keep the requested findings."""
    repository = load_repository(settings.root, settings.config)
    history = load_history(repository, settings.changed_since, settings.today)
    return validate_repository(repository, settings, history)


def validate_repository(
    repository: Repository,
    settings: ValidateSettings,
    history: RepositoryHistory | None = None,
) -> ValidationResult:
    """Check every file of a loaded repository and keep the requested findings."""
    if not repository.proposals:
        raise RepositoryError(
            f"no proposal files (*.yaml) in {settings.config.proposals_dir}/",
            hint="write one with: mcval new ID --title TITLE --unit UNIT",
        )
    schemas = _load_schemas(settings)
    history = history or RepositoryHistory()
    result = ValidationResult()
    for document in repository.proposals:
        result.findings.extend(
            _check_proposal(document, repository, schemas, settings, history)
        )
    for document, schema in _supporting_documents(repository):
        result.findings.extend(_check_supporting(document, schemas[schema]))
    result.findings.extend(_removed_findings(history))
    selected = _changed_selection(_selected_paths(settings, repository), history)
    changed_only = history.changed_paths is not None
    result.findings = sorted(
        (f for f in result.findings if _reported(f, selected, changed_only)),
        key=Finding.sort_key,
    )
    result.proposals = _summaries(repository, result.findings, selected)
    result.files_checked = _count_files(repository, selected)
    return result


# A change can break a reference in a file it did not touch, for example by
# removing a proposal that another one stacks into. So when only changed
# files are reported, these findings are still reported in every file.
CROSS_FILE_CODES = frozenset({"MC902", "MC903", "MC904", "MC905", "MC906"})


def _reported(finding: Finding, selected: set[str] | None, changed_only: bool) -> bool:
    if selected is None or finding.path in selected:
        return True
    return changed_only and finding.code in CROSS_FILE_CODES


def _load_schemas(settings: ValidateSettings) -> dict[str, SchemaValidator]:
    folder = settings.root / settings.config.schemas_dir
    names = (PROPOSAL_SCHEMA, LIBRARY_SCHEMA, REGISTRY_SCHEMA, APPROVERS_SCHEMA)
    return {name: SchemaValidator(folder / name) for name in names}


def _check_proposal(
    document: Document,
    repository: Repository,
    schemas: dict[str, SchemaValidator],
    settings: ValidateSettings,
    history: RepositoryHistory,
) -> list[Finding]:
    findings = list(document.findings)
    if not document.loaded:
        return findings
    context = ProposalContext(
        document,
        repository,
        settings.config,
        settings.today,
        history.of(document.path),
    )
    for problem in schemas[PROPOSAL_SCHEMA].problems(document):
        findings.append(_schema_finding(document, problem, context.status))
    for rule in RULES.values():
        severity = rule.severity(context.status)
        for violation in rule.check(context):
            position = (
                document.key_position(violation.node_path)
                if violation.at_key
                else document.position(violation.node_path)
            )
            shown = violation.severity or severity
            findings.append(
                Finding(document.path, position, rule.code, shown, violation.message)
            )
    return findings


def _schema_finding(document: Document, problem: SchemaProblem, status: str) -> Finding:
    code = _guideline_code(problem)
    severity = RULES[code].severity(status) if code in RULES else Severity.ERROR
    return Finding(document.path, problem.position, code, severity, problem.message)


def _guideline_code(problem: SchemaProblem) -> str:
    if problem.keyword not in {"required", "minLength", "minItems"}:
        return SCHEMA_CODE
    full_path: NodePath = problem.node_path
    if problem.missing is not None:
        full_path = (*full_path, problem.missing)
    for pattern, code in _GUIDELINE_FIELDS.items():
        if _matches(pattern, full_path):
            return code
    return SCHEMA_CODE


def _matches(pattern: tuple[str, ...], path: NodePath) -> bool:
    if len(pattern) != len(path):
        return False
    return all(
        fnmatch.fnmatchcase(str(part), glob)
        for glob, part in zip(pattern, path, strict=True)
    )


def _supporting_documents(repository: Repository) -> Iterator[tuple[Document, str]]:
    for document in repository.libraries:
        yield document, LIBRARY_SCHEMA
    for document in repository.registries:
        yield document, REGISTRY_SCHEMA
    if repository.approvers_document is not None:
        yield repository.approvers_document, APPROVERS_SCHEMA


def _check_supporting(document: Document, schema: SchemaValidator) -> list[Finding]:
    findings = list(document.findings)
    if not document.loaded:
        return findings
    for problem in schema.problems(document):
        findings.append(
            Finding(
                document.path,
                problem.position,
                SCHEMA_CODE,
                Severity.ERROR,
                problem.message,
            )
        )
    findings.extend(_library_id_findings(document))
    return findings


def _library_id_findings(document: Document) -> Iterator[Finding]:
    """Check that a library badge's id matches its file and its item ids are unique."""
    if document.get(("kind",)) != "competency-library":
        return
    badge_id = document.get(("id",))
    stem = Path(document.path).stem
    if isinstance(badge_id, str) and badge_id != stem:
        yield Finding(
            document.path,
            document.position(("id",)),
            "MC901",
            Severity.ERROR,
            f"the id '{badge_id}' does not match the file name '{stem}'; rename"
            " one of them",
        )
    seen: set[str] = set()
    for index, item in enumerate(document.get(("items",), []) or []):
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, str) and item_id in seen:
            yield Finding(
                document.path,
                document.position(("items", index, "id")),
                "MC302",
                Severity.ERROR,
                f"item id '{item_id}' is used twice; give each item its own id",
            )
        seen.add(str(item_id))


def _selected_paths(
    settings: ValidateSettings, repository: Repository
) -> set[str] | None:
    if not settings.paths:
        return None
    known = {document.path for document in _all_documents(repository)}
    selected: set[str] = set()
    for path in settings.paths:
        shown = repository.display_path(path)
        if path.is_dir():
            # A folder stands for the files under it, or all files for the root.
            prefix = "" if shown == "." else shown.rstrip("/") + "/"
            selected.update(name for name in known if name.startswith(prefix))
        else:
            selected.add(shown)
    unknown = sorted(selected - known)
    if unknown:
        raise UsageError(
            f"{unknown[0]} is not a proposal, competency library or roster file"
            f" of the repository at {repository.root}",
            hint=f"name files under {settings.config.proposals_dir}/ or"
            f" {settings.config.libraries_dir}/, or pass --root",
        )
    return selected


def _all_documents(repository: Repository) -> list[Document]:
    documents = [*repository.proposals, *repository.libraries, *repository.registries]
    if repository.approvers_document is not None:
        documents.append(repository.approvers_document)
    return documents


def _summaries(
    repository: Repository, findings: Iterable[Finding], selected: set[str] | None
) -> list[ProposalSummary]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    summaries = []
    for document in repository.proposals:
        if selected is not None and document.path not in selected:
            continue
        own = by_path.get(document.path, [])
        summaries.append(
            ProposalSummary(
                path=document.path,
                proposal_id=_text_or_none(document.get(("id",))),
                title=_text_or_none(document.get(("title",))),
                status=_text_or_none(document.get(("status",))),
                errors=sum(1 for f in own if f.severity == Severity.ERROR),
                warnings=sum(1 for f in own if f.severity == Severity.WARNING),
            )
        )
    return summaries


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _count_files(repository: Repository, selected: set[str] | None) -> int:
    documents = _all_documents(repository)
    if selected is None:
        return len(documents)
    return sum(1 for document in documents if document.path in selected)


# Git history: files changed since the base revision, and removed proposals.


def _changed_selection(
    selected: set[str] | None, history: RepositoryHistory
) -> set[str] | None:
    """Narrow the reported files to those changed since the base revision."""
    if history.changed_paths is None:
        return selected
    if selected is None:
        return set(history.changed_paths)
    return selected & history.changed_paths


def _removed_findings(history: RepositoryHistory) -> list[Finding]:
    """Report each removed file of a proposal published at the base revision."""
    return [
        Finding(
            removed.path,
            Position(),
            "MC973",
            RULES["MC973"].severity("published"),
            removed_message(removed.path, removed.data.get("id")),
        )
        for removed in history.removed
        if removed.data.get("status") == "published"
    ]
