"""The git history of the proposals: changes since a base revision, each
proposal's version at that base, and the latest change to its substance."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcval.git import (
    Base,
    FileChange,
    GitRepository,
    open_repository,
    require_repository,
)
from mcval.history.signatures import (
    SubstanceChange,
    latest_substance_change,
    parse_proposal,
)
from mcval.loader import LoadLimits
from mcval.repository import Repository

logger = logging.getLogger(__name__)

# Signatures of these statuses must match the proposal's current substance.
SIGNED_CHECK_STATUSES = frozenset({"approved", "published"})


@dataclass(frozen=True)
class ProposalHistory:
    """One proposal's past: its version at the base revision, if it had one,
    and the latest change to its substance."""

    base_path: str | None = None
    base_data: dict[str, Any] | None = None
    substance_change: SubstanceChange | None = None
    # True when a base revision was given and the file did not exist there.
    added: bool = False


@dataclass(frozen=True)
class RemovedProposal:
    """A proposal file present at the base revision and gone now."""

    path: str
    data: dict[str, Any]


@dataclass
class RepositoryHistory:
    """The history of every proposal, and the files changed since the base.

    `changed_paths` is None when no base was given or every file counts as
    changed (see `base.reason`).
    """

    base: Base | None = None
    changed_paths: set[str] | None = None
    proposals: dict[str, ProposalHistory] = field(default_factory=dict)
    removed: list[RemovedProposal] = field(default_factory=list)

    def of(self, path: str) -> ProposalHistory:
        return self.proposals.get(path, ProposalHistory())


def load_history(
    repository: Repository, changed_since: str | None, today: dt.date
) -> RepositoryHistory:
    """Read what the validator needs from git: the changes since `changed_since`
    (which must then resolve) and each signed proposal's substance history.

    Outside a git work tree, and without `changed_since`, returns an empty
    history, so validation of a plain folder still works.
    """
    if changed_since is None:
        git_repository = open_repository(repository.root)
        if git_repository is None:
            logger.info(
                "not a git repository: signatures are not checked against history"
            )
            return RepositoryHistory()
        return _history(repository, git_repository, None, today)
    git_repository = require_repository(repository.root)
    base = git_repository.resolve_base(changed_since)
    return _history(repository, git_repository, base, today)


def _history(
    repository: Repository,
    git_repository: GitRepository,
    base: Base | None,
    today: dt.date,
) -> RepositoryHistory:
    limits = LoadLimits(max_bytes=repository.config.max_file_bytes)
    history = RepositoryHistory(base=base)
    changes: list[FileChange] = []
    if base is not None and base.sha is not None:
        changes = git_repository.changes_since(base.sha)
        history.changed_paths = {change.path for change in changes}
    elif base is not None:
        logger.info("every file counts as changed: %s", base.reason)
    by_path = {change.path: change for change in changes}
    for document in repository.proposals:
        if not document.loaded:
            continue
        base_path, base_data = _base_version(
            git_repository, base, by_path.get(document.path), document.path, limits
        )
        change = None
        if document.get(("status",)) in SIGNED_CHECK_STATUSES:
            change = latest_substance_change(
                git_repository, document.path, document.data, today, limits
            )
        added = base is not None and base.sha is not None and base_path is None
        history.proposals[document.path] = ProposalHistory(
            base_path, base_data, change, added
        )
    if base is not None and base.sha is not None:
        history.removed = _removed(
            git_repository, base.sha, repository, changes, limits
        )
    return history


def _base_version(
    git_repository: GitRepository,
    base: Base | None,
    change: FileChange | None,
    path: str,
    limits: LoadLimits,
) -> tuple[str | None, dict[str, Any] | None]:
    if base is None or base.sha is None:
        return None, None
    base_path = path if change is None else change.old_path
    if base_path is None:
        return None, None
    return base_path, parse_proposal(
        git_repository.file_at(base.sha, base_path), limits
    )


def _removed(
    git_repository: GitRepository,
    base_sha: str,
    repository: Repository,
    changes: list[FileChange],
    limits: LoadLimits,
) -> list[RemovedProposal]:
    folder = Path(repository.config.proposals_dir).as_posix().rstrip("/") + "/"
    removed: list[RemovedProposal] = []
    for change in changes:
        if change.status != "D" or not change.path.startswith(folder):
            continue
        data = parse_proposal(git_repository.file_at(base_sha, change.path), limits)
        if data is not None:
            removed.append(RemovedProposal(change.path, data))
    return removed
