"""The whole proposal repository: proposals, competency libraries and the roster.

Cross-file rules need every file, so the repository is always loaded whole,
even when only some files are reported on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcval.document import Document
from mcval.errors import ConfigError, RepositoryError
from mcval.findings import Finding, Position, Severity
from mcval.loader import LoadLimits, load_yaml_file
from mcval.settings import Config

PROPOSAL_SCHEMA = "proposal.schema.json"
LIBRARY_SCHEMA = "competency-library.schema.json"
REGISTRY_SCHEMA = "certification-registry.schema.json"
APPROVERS_SCHEMA = "approvers.schema.json"

if TYPE_CHECKING:
    from mcval.overlap import OverlapReport


@dataclass(frozen=True)
class Approver:
    """A person in the roster who may sign for some roles and units."""

    name: str
    email: str
    roles: frozenset[str]
    units: frozenset[str]

    def may_sign(self, role: str, units: set[str]) -> bool:
        return role in self.roles and ("*" in self.units or bool(self.units & units))


@dataclass
class Repository:
    """Every document of the repository, loaded, with lookups by id."""

    root: Path
    config: Config
    proposals: list[Document] = field(default_factory=list)
    libraries: list[Document] = field(default_factory=list)
    registries: list[Document] = field(default_factory=list)
    approvers_document: Document | None = None

    # The lookups below are computed once: rules call them for every proposal,
    # and the repository does not change after loading.
    def proposal_ids(self) -> dict[str, list[Document]]:
        return self._proposal_ids

    @cached_property
    def _proposal_ids(self) -> dict[str, list[Document]]:
        ids: dict[str, list[Document]] = {}
        for document in self.proposals:
            proposal_id = document.get(("id",))
            if isinstance(proposal_id, str):
                ids.setdefault(proposal_id, []).append(document)
        return ids

    def library_items(self) -> dict[str, dict[str, Any]]:
        """Return each library badge id mapped to its items by item id."""
        return self._library_items

    @cached_property
    def _library_items(self) -> dict[str, dict[str, Any]]:
        badges: dict[str, dict[str, Any]] = {}
        for document in self.libraries:
            badge_id = document.get(("id",))
            items = document.get(("items",), [])
            if not isinstance(badge_id, str) or not isinstance(items, list):
                continue
            badges[badge_id] = {
                item["id"]: item
                for item in items
                if isinstance(item, dict) and isinstance(item.get("id"), str)
            }
        return badges

    def certification_ids(self) -> set[str]:
        ids: set[str] = set()
        for document in self.registries:
            for item in document.get(("certifications",), []) or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ids.add(item["id"])
        return ids

    def unit_ids(self) -> set[str]:
        return set(self.unit_names())

    def unit_names(self) -> dict[str, str]:
        """Return each unit id in the roster mapped to the unit's name."""
        units = self._approvers_field("units")
        return {
            unit["id"]: str(unit.get("name", unit["id"]))
            for unit in units
            if isinstance(unit.get("id"), str)
        }

    def approvers(self) -> list[Approver]:
        return self._approvers

    @cached_property
    def _approvers(self) -> list[Approver]:
        return [
            Approver(
                name=str(entry.get("name", "")),
                email=str(entry.get("email", "")).strip().lower(),
                roles=frozenset(map(str, entry.get("roles", []) or [])),
                units=frozenset(map(str, entry.get("units", []) or [])),
            )
            for entry in self._approvers_field("approvers")
        ]

    def _approvers_field(self, name: str) -> list[dict[str, Any]]:
        if self.approvers_document is None:
            return []
        entries = self.approvers_document.get((name,), [])
        if not isinstance(entries, list):
            return []
        return [entry for entry in entries if isinstance(entry, dict)]

    @cached_property
    def overlap(self) -> OverlapReport:
        """Return the overlaps and gaps of all proposals, found once per run."""
        # Imported here so that commands without overlap rules skip numpy and scipy.
        from mcval.overlap import analyze_repository

        return analyze_repository(self)

    def display_path(self, path: Path) -> str:
        """Return `path` relative to the repository root, without following links."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            return path.as_posix()


def load_repository(root: Path, config: Config) -> Repository:
    """Load every proposal, library, registry and the roster under `root`."""
    if not root.is_dir():
        raise RepositoryError(f"{root} is not a folder")
    proposals_dir = _inside(root, config.proposals_dir, "proposals_dir")
    libraries_dir = _inside(root, config.libraries_dir, "libraries_dir")
    approvers = _inside(root, config.approvers_file, "approvers_file")
    _require_parts(root, config, proposals_dir, libraries_dir, approvers)

    repository = Repository(root=root, config=config)
    limits = LoadLimits(max_bytes=config.max_file_bytes)
    for path in _yaml_files(proposals_dir):
        repository.proposals.append(_load(repository, path, limits))
    for path in _yaml_files(libraries_dir):
        document = _load(repository, path, limits)
        if document.get(("kind",)) == "certification-registry":
            repository.registries.append(document)
        else:
            repository.libraries.append(document)
    repository.approvers_document = _load(repository, approvers, limits)
    return repository


def _inside(root: Path, relative: str, setting: str) -> Path:
    """Return `root/relative`, which mcval.toml must keep inside the repository."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ConfigError(
            f"{setting} = '{relative}' in mcval.toml points outside the repository",
            hint="use a folder or file inside the repository",
        )
    return path


def _require_parts(
    root: Path, config: Config, proposals: Path, libraries: Path, approvers: Path
) -> None:
    hint = "run mcval from the repository root, or pass --root"
    if not proposals.is_dir():
        raise RepositoryError(
            f"no '{config.proposals_dir}' folder in {root}", hint=hint
        )
    if not libraries.is_dir():
        raise RepositoryError(
            f"no '{config.libraries_dir}' folder in {root}; proposals refer to"
            " its competency libraries",
            hint=hint,
        )
    if not approvers.is_file():
        raise RepositoryError(
            f"no '{config.approvers_file}' in {root}; signatures and units are"
            " checked against it",
            hint=hint,
        )


def _load(repository: Repository, path: Path, limits: LoadLimits) -> Document:
    display = repository.display_path(path)
    if not path.resolve().is_relative_to(repository.root.resolve()):
        # A link that leads out of the repository could expose any file.
        document = Document(path=display)
        document.findings.append(
            Finding(
                display,
                Position(),
                "Y001",
                Severity.ERROR,
                "the file links to a place outside the repository, and mcval does"
                " not follow such links; replace the link with the file itself",
            )
        )
        return document
    return load_yaml_file(path, display, limits)


def _yaml_files(folder: Path) -> list[Path]:
    suffixes = {".yaml", ".yml"}
    found = (path for path in folder.rglob("*") if path.suffix.lower() in suffixes)
    return sorted(path for path in found if path.is_file())
