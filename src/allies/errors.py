"""Small typed exceptions. The library raises them; the CLI and the web layer turn them
into one-line messages (exit 1 / a 4xx JSON body)."""

from __future__ import annotations


def shown(value: object, limit: int = 60) -> str:
    """An input echoed in an error message: quoted, and clipped if long (a 60 KB query
    string must not come back whole inside a one-line error)."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


class AlliesError(Exception):
    """Base class: every error allies raises on bad input or bad data."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownCountry(AlliesError):
    """A country name or code that does not resolve."""

    status = 404

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown country {shown(name)}{hint} (use a name, ISO2/ISO3 code or demonym)"
        )
        self.name = name
        self.suggestions = suggestions


class FormerState(UnknownCountry):
    """A state that no longer exists and that the ledger does not cover (East Germany)."""

    def __init__(self, name: str, description: str) -> None:
        AlliesError.__init__(self, f"{shown(name)}: {description}")
        self.name = name
        self.suggestions = []


class UnknownFramework(AlliesError):
    """A framework id that is not in frameworks.toml."""

    status = 404

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown framework {shown(name)}; choose one of: {', '.join(known)}")
        self.name = name


class BadDate(AlliesError):
    """A malformed or impossible date."""

    def __init__(self, value: str, what: str = "date") -> None:
        super().__init__(
            f"bad {what} {shown(value)}: use YYYY-MM-DD (a real calendar day), e.g. 2022-04-01"
        )
        self.value = value


class DataError(AlliesError):
    """A data file that does not validate; `problems` has one line per problem."""

    status = 500

    def __init__(self, problems: list[str]) -> None:
        first = problems[0] if problems else "invalid data"
        more = (
            f" (and {len(problems) - 1} more; run 'allies validate')" if len(problems) > 1 else ""
        )
        super().__init__(first + more)
        self.problems = problems


class BadInput(AlliesError):
    """Input the reader cannot use (binary, empty, too large, broken JSON...)."""
