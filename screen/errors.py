"""Exception hierarchy and the exit codes they map to; cli.py is the one place that maps them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    CLEAR = 0  # screened, nothing alerted
    ALERT = 1  # screened, at least one alert
    BAD_INPUT = 2  # bad usage or unusable input file
    DATA_ERROR = 3  # list data problem or internal error


class EcscreenError(Exception):
    """Base class: a failure the user can act on, reported in one line."""

    exit_code: ExitCode = ExitCode.DATA_ERROR

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.located())

    def located(self) -> str:
        """The message prefixed with `file:line: field 'x':`, as far as they are known."""
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        elif self.line is not None:
            where = f"line {self.line}: "
        if self.field:
            where += f"field '{self.field}': "
        return where + self.message


class InputError(EcscreenError):
    """The user's input (names, a file to screen, an option) cannot be used."""

    exit_code = ExitCode.BAD_INPUT


class ListDataError(EcscreenError):
    """A list file is broken. Carries every problem found, not only the first."""

    exit_code = ExitCode.DATA_ERROR

    def __init__(self, problems: list[EcscreenError] | list[str], *, file: str | None = None) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "unknown problem"
        first_text = first.located() if isinstance(first, EcscreenError) else str(first)
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        super().__init__(first_text + more)
        self.file = file
