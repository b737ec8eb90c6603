"""The package's exception root and its named leaves.

Each module that calls a third-party library translates that library's
exceptions into one of these, so the CLI needs only one error boundary.
"""


class McvalError(Exception):
    """An expected failure that the CLI reports as one plain line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(McvalError):
    """The command was called with arguments that cannot work."""


class ConfigError(McvalError):
    """The configuration file or a command-line setting is invalid."""


class RepositoryError(McvalError):
    """The proposal repository cannot be read as a whole."""


class CredlyError(McvalError):
    """A request to Credly failed; keeps the method, path, status and message."""

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        status: int | None = None,
        credly_message: str | None = None,
        hint: str | None = None,
        unreachable: bool = False,
    ) -> None:
        super().__init__(message, hint)
        self.method = method
        self.path = path
        self.status = status
        self.credly_message = credly_message
        # Credly could not be reached at all, so every other request would fail.
        self.unreachable = unreachable

    @property
    def stops_run(self) -> bool:
        """Whether every other request of the run would fail the same way."""
        return self.unreachable or self.status in {401, 403}


class GitError(McvalError):
    """A git operation failed, or the history needed to check changes is missing."""
