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
