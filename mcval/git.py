"""Every git call of mcval: change detection, file contents and file history.

GitPython is used only here, and its exceptions become `GitError`. Paths
going in and out are relative to the mcval repository root, which may be a
folder inside the git work tree.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import git
from git.exc import (
    BadName,
    BadObject,
    GitCommandError,
    GitCommandNotFound,
    InvalidGitRepositoryError,
    NoSuchPathError,
)
from git.exc import GitError as GitLibraryError

from mcval.errors import GitError

logger = logging.getLogger(__name__)

# GitHub sends this as a push's `before` commit when the push created the branch.
ZERO_SHA = "0" * 40
_SHALLOW_HINT = (
    "fetch the whole history: set 'fetch-depth: 0' on actions/checkout, or run"
    " 'git fetch --unshallow'"
)
# A revision that names the parent of another: HEAD^, HEAD~, HEAD~1, abc123^1.
_PARENT_SUFFIX = re.compile(r"(\^1?|~1?)$")
_LOOKUP_ERRORS = (BadName, BadObject, ValueError, GitCommandError)


@dataclass(frozen=True)
class Commit:
    """One commit: its ids, subject line, author date and parents."""

    sha: str
    short_sha: str
    subject: str
    authored: dt.date
    parents: tuple[str, ...]


@dataclass(frozen=True)
class Base:
    """The revision changes are counted from.

    `sha` is None when every file counts as changed, and `reason` gives the cause:
    a new branch, the first commit, or a repository without commits.
    """

    ref: str
    sha: str | None
    reason: str = ""


@dataclass(frozen=True)
class FileChange:
    """A file that differs from the base: added (A), modified (M), deleted (D)
    or renamed (R). `old_path` is its path at the base, None when added."""

    status: str
    path: str
    old_path: str | None


class GitRepository:
    """The git work tree that contains an mcval repository."""

    def __init__(self, repo: git.Repo, root: Path) -> None:
        self._repo = repo
        top = Path(repo.working_tree_dir or root).resolve()
        prefix = root.resolve().relative_to(top).as_posix()
        self._prefix = "" if prefix == "." else prefix + "/"

    # Paths

    def _git_path(self, path: str) -> str:
        return self._prefix + path

    def _own_path(self, git_path: str) -> str | None:
        """Return a work-tree path relative to the mcval root, None if outside it."""
        if not git_path.startswith(self._prefix):
            return None
        return git_path[len(self._prefix) :]

    # Revisions

    @property
    def is_shallow(self) -> bool:
        return (Path(self._repo.git_dir) / "shallow").is_file()

    def shallow_boundary(self, sha: str) -> bool:
        """Return whether `sha` is a commit whose parents this shallow clone lacks."""
        shallow_file = Path(self._repo.git_dir) / "shallow"
        if not shallow_file.is_file():
            return False
        return sha in shallow_file.read_text(encoding="ascii").split()

    def head(self) -> Commit | None:
        """Return the commit checked out, None in a repository without commits."""
        if not self._repo.head.is_valid():
            return None
        return self.commit("HEAD")

    def commit(self, ref: str) -> Commit:
        try:
            found = self._repo.commit(ref)
            # gitpython reads the object lazily, so a commit missing from a
            # shallow clone fails here, not in the lookup above.
            message = found.message
            authored = dt.datetime.fromtimestamp(
                found.authored_date,
                dt.timezone(dt.timedelta(seconds=-found.author_tz_offset)),
            ).date()
        except _LOOKUP_ERRORS as exc:
            raise self._unknown(ref) from exc
        subject = str(message).strip().splitlines()[0] if message else ""
        return Commit(
            sha=found.hexsha,
            short_sha=found.hexsha[:7],
            subject=subject,
            authored=authored,
            parents=tuple(parent.hexsha for parent in found.parents),
        )

    def resolve_base(self, ref: str) -> Base:
        """Return where changes since `ref` start: the merge base of `ref` and HEAD.

        Raises GitError for a revision this clone does not have, with a hint to
        fetch the history when the clone is shallow.
        """
        if ref == ZERO_SHA:
            return Base(ref, None, "the push created a new branch")
        head = self.head()
        if head is None:
            return Base(ref, None, "the repository has no commits yet")
        root_parent = self._parent_of_root(ref)
        if root_parent is not None:
            return Base(ref, None, f"{root_parent} is the first commit")
        base = self.commit(ref)
        try:
            merge_bases = self._repo.merge_base(base.sha, head.sha)
        except GitLibraryError as exc:
            raise GitError(f"git could not compare {ref} with HEAD: {exc}") from exc
        if not merge_bases:
            if self.is_shallow:
                raise GitError(
                    f"{ref} and HEAD share no history in this shallow clone",
                    hint=_SHALLOW_HINT,
                )
            raise GitError(
                f"{ref} and HEAD share no history",
                hint="name a commit of the branch this one was started from",
            )
        return Base(ref, merge_bases[0].hexsha)

    def _parent_of_root(self, ref: str) -> str | None:
        """Return the child named in `ref` when it names the parent of a root commit."""
        match = _PARENT_SUFFIX.search(ref)
        if match is None:
            return None
        child_ref = ref[: match.start()]
        try:
            child = self._repo.commit(child_ref)
        except _LOOKUP_ERRORS:
            return None
        if child.parents or self.shallow_boundary(child.hexsha):
            return None
        return child_ref

    def _unknown(self, ref: str) -> GitError:
        if self.is_shallow:
            return GitError(
                f"the revision '{ref}' is not in this shallow clone",
                hint=_SHALLOW_HINT,
            )
        return GitError(
            f"unknown revision '{ref}'",
            hint="name a branch, tag or commit of this repository; run 'git fetch'"
            " if it exists only on the remote",
        )

    # Changes and contents

    def changes_since(self, base_sha: str) -> list[FileChange]:
        """Return every file under the root that differs between `base_sha` and
        the work tree: committed, staged and unstaged changes and untracked
        files. Renames are detected for tracked files."""
        try:
            output = self._repo.git.diff(
                "--name-status", "-z", "-M", base_sha, "--", self._prefix or "."
            )
            untracked = self._repo.untracked_files
        except GitLibraryError as exc:
            raise GitError(f"git diff against {base_sha[:7]} failed: {exc}") from exc
        changes = _parse_name_status(output)
        changes.extend(FileChange("A", path, None) for path in untracked)
        return self._own_changes(changes)

    def _own_changes(self, changes: list[FileChange]) -> list[FileChange]:
        own: list[FileChange] = []
        for change in changes:
            path = self._own_path(change.path)
            old_path = self._own_path(change.old_path) if change.old_path else None
            if path is None and old_path is None:
                continue
            if path is None:
                # Moved out of the mcval folder: for mcval the file is gone.
                own.append(FileChange("D", str(old_path), old_path))
                continue
            # Moved into the mcval folder from outside: for mcval the file is new.
            status = "A" if old_path is None else change.status
            own.append(FileChange(status, path, old_path))
        return own

    def blob_id(self, sha: str, path: str) -> str | None:
        """Return the id of the blob at `path` in commit `sha`, without reading it."""
        try:
            blob = self._repo.commit(sha).tree / self._git_path(path)
        except KeyError:
            return None
        except _LOOKUP_ERRORS as exc:
            raise self._unknown(sha) from exc
        return str(blob.hexsha) if blob.type == "blob" else None

    def file_at(self, sha: str, path: str) -> str | None:
        """Return the text of `path` at commit `sha`, None where it does not exist."""
        try:
            blob = self._repo.commit(sha).tree / self._git_path(path)
        except KeyError:
            return None
        except _LOOKUP_ERRORS as exc:
            raise self._unknown(sha) from exc
        if blob.type != "blob":
            return None
        data: bytes = blob.data_stream.read()
        return data.decode("utf-8", errors="replace")

    def renamed_from(self, parent_sha: str, sha: str, path: str) -> str | None:
        """Return the path `path` had in `parent_sha`, if commit `sha` renamed it."""
        try:
            output = self._repo.git.diff(
                "--name-status", "-z", "-M", parent_sha, sha, "--", self._prefix or "."
            )
        except GitLibraryError as exc:
            raise GitError(f"git diff of {sha[:7]} failed: {exc}") from exc
        for change in _parse_name_status(output):
            if change.status == "R" and change.path == self._git_path(path):
                return self._own_path(str(change.old_path))
        return None


def open_repository(root: Path) -> GitRepository | None:
    """Return the git work tree that contains `root`, None when there is none."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return None
    except GitCommandNotFound as exc:
        raise GitError(
            "the git command was not found", hint="install git and run again"
        ) from exc
    if repo.bare:
        return None
    return GitRepository(repo, root)


def require_repository(root: Path) -> GitRepository:
    """Return the git work tree that contains `root`, or raise GitError."""
    repository = open_repository(root)
    if repository is None:
        raise GitError(
            f"{root} is not in a git repository, so changes cannot be found",
            hint="run mcval in a clone of the proposal repository, or drop"
            " --changed-since",
        )
    return repository


def _parse_name_status(output: str) -> list[FileChange]:
    """Parse `git diff --name-status -z`: a status, then one path or, for a
    rename or copy, the old and the new path, each ended by NUL."""
    fields = output.split("\0")
    changes: list[FileChange] = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in "RC":
            old_path, path = fields[index + 1], fields[index + 2]
            index += 3
            if status == "R":
                changes.append(FileChange("R", path, old_path))
            else:
                changes.append(FileChange("A", path, None))
            continue
        path = fields[index + 1]
        index += 2
        # Type changes and unmerged paths count as modified.
        status = status if status in "AD" else "M"
        changes.append(FileChange(status, path, None if status == "A" else path))
    return changes
