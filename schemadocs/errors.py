"""The one error hierarchy. Only the CLI turns these into exit codes.

Every message names the object that failed, says why, and says what to do next.
A message must never contain a password: build them from `redact`ed DSNs only.
"""


class SchemadocsError(Exception):
    """Base of every error the user can cause; anything else is a bug in schemadocs."""

    exit_code = 2


class ConnectionFailed(SchemadocsError):
    """The database could not be reached or refused our credentials."""


class IntrospectionError(SchemadocsError):
    """The catalog could not be read."""


class SnapshotError(SchemadocsError):
    """A snapshot file is missing, unreadable or of an unknown format."""


class BuildError(SchemadocsError):
    """Rendering pages or running MkDocs failed; the previous site is untouched."""


class EmbeddedServerError(SchemadocsError):
    """The embedded PostgreSQL server could not be started."""


class ServeError(SchemadocsError):
    """The built site could not be served (for example, the port is busy)."""


class ConfigError(SchemadocsError):
    """The command line or configuration is invalid."""


class ChangesFound(SchemadocsError):
    """A CI gate tripped: `diff --fail-on` found changes it fails on, or `check` found the
    database no longer matching the committed snapshot. Exit code 1, not 2: nothing failed."""

    exit_code = 1


class FindingsFound(SchemadocsError):
    """A CI gate tripped: `lint` found findings at or above `--fail-on` that the baseline does
    not hold. Exit code 1, not 2: nothing failed."""

    exit_code = 1


class UnknownName(ConfigError):
    """A name (of a relation, column, routine or type) the catalog does not hold; `suggestions`
    are the closest names it does hold."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions
