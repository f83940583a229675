"""Errors a user can cause. Each message names the bad input and says what to do."""


class NewsgraphError(Exception):
    """Base class: the CLI prints the message on one line and exits with ``exit_code``."""

    exit_code = 2


class InputError(NewsgraphError):
    """A missing, empty or unreadable input, or an output path that cannot be written."""


class ModelError(NewsgraphError):
    """No usable spaCy model."""


class QueryError(NewsgraphError):
    """A SPARQL query that cannot be read or parsed."""


class BuildError(NewsgraphError):
    """A build that stopped part-way (a worker died, the disk filled up): nothing was replaced."""

    exit_code = 3


class Terminated(BaseException):  # noqa: N818 - named like KeyboardInterrupt, its sibling
    """SIGTERM arrived: raised in the main thread so that clean-up runs as it does for Ctrl-C."""
