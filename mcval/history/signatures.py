"""The latest change to a proposal's substance, found in the file's git history.

The walk follows first parents from HEAD and follows renames. When a merge
commit brought the change from the merged branch, the walk continues on that
branch, so the change is dated by the commit that made it, not by the merge.
Each version is parsed and its substance compared, so reformatting the YAML
or editing other fields is never a change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mcval.document import Document
from mcval.errors import GitError
from mcval.git import Commit, GitRepository
from mcval.history.substance import changed_fields, substance
from mcval.loader import LoadLimits, load_yaml_text


@dataclass(frozen=True)
class SubstanceChange:
    """The latest commit that changed a proposal's substance.

    `commit` is None for changes not committed yet, dated today. `previous`
    is the proposal as it was before the change.
    """

    commit: Commit | None
    date: dt.date
    fields: tuple[str, ...]
    previous: dict[str, Any]
    # The proposal as the change left it: signatures the same commit added
    # were given for the changed text.
    version: dict[str, Any] | None = None

    def describe(self) -> str:
        if self.commit is None:
            return "uncommitted changes"
        return f'commit {self.commit.short_sha} "{self.commit.subject}"'


def latest_substance_change(
    repository: GitRepository,
    path: str,
    current: dict[str, Any],
    today: dt.date,
    limits: LoadLimits,
) -> SubstanceChange | None:
    """Return the latest change to the substance of the proposal at `path`.

    Returns None when the substance is unchanged since the file was added,
    because the version a file starts with is what its first signers saw.
    Raises GitError when a shallow clone cuts the file's history short.
    """
    head = repository.head()
    if head is None:
        return None
    committed = parse_proposal(repository.file_at(head.sha, path), limits)
    if committed is None:
        return None
    if substance(committed) != substance(current):
        fields = tuple(changed_fields(committed, current))
        return SubstanceChange(None, today, fields, committed, current)
    return _walk(repository, head, path, committed, limits)


def _walk(
    repository: GitRepository,
    commit: Commit,
    path: str,
    data: dict[str, Any],
    limits: LoadLimits,
) -> SubstanceChange | None:
    while True:
        if repository.shallow_boundary(commit.sha):
            raise GitError(
                f"the history of {path} is cut short in this shallow clone,"
                " so mcval cannot check whether its signatures predate a change",
                hint="fetch the whole history: set 'fetch-depth: 0' on"
                " actions/checkout, or run 'git fetch --unshallow'",
            )
        if not commit.parents:
            return None
        parent_path = _path_in(repository, commit.parents[0], commit.sha, path)
        if parent_path is None:
            return None
        # Most commits leave the file alone: an equal blob needs no parsing.
        if repository.blob_id(commit.parents[0], parent_path) == repository.blob_id(
            commit.sha, path
        ):
            commit, path = repository.commit(commit.parents[0]), parent_path
            continue
        parent_data = parse_proposal(
            repository.file_at(commit.parents[0], parent_path), limits
        )
        if parent_data is not None and substance(parent_data) == substance(data):
            commit, path, data = (
                repository.commit(commit.parents[0]),
                parent_path,
                parent_data,
            )
            continue
        merged = _merged_version(repository, commit, path, data, limits)
        if merged is not None:
            commit, path, data = merged
            continue
        fields = tuple(changed_fields(parent_data, data))
        return SubstanceChange(commit, commit.authored, fields, parent_data or {}, data)


def _merged_version(
    repository: GitRepository,
    commit: Commit,
    path: str,
    data: dict[str, Any],
    limits: LoadLimits,
) -> tuple[Commit, str, dict[str, Any]] | None:
    """Return the merged branch's version when merge `commit` took it unchanged."""
    for parent in commit.parents[1:]:
        parent_path = _path_in(repository, parent, commit.sha, path)
        if parent_path is None:
            continue
        parent_data = parse_proposal(repository.file_at(parent, parent_path), limits)
        if parent_data is not None and substance(parent_data) == substance(data):
            return repository.commit(parent), parent_path, parent_data
    return None


def _path_in(
    repository: GitRepository, parent: str, child: str, path: str
) -> str | None:
    """Return the path the file had in `parent`, None if `child` added it."""
    if repository.file_at(parent, path) is not None:
        return path
    return repository.renamed_from(parent, child, path)


def parse_proposal(text: str | None, limits: LoadLimits) -> dict[str, Any] | None:
    """Parse a proposal's YAML text from git; None when absent or unreadable."""
    if text is None:
        return None
    document = load_yaml_text(text, Document(path="(history)"), limits)
    return document.data if isinstance(document.data, dict) else None
