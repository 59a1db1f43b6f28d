"""Typed errors under one base, so callers (the CLI, notebooks) can tell a
problem the officer must fix from a bug.

Every error that comes from a council's own files carries *where* it is
(file, sheet, cell) and *what to do*, because the people who see it are
policy officers, not programmers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PmfError(Exception):
    """Base of every error the workbook raises on purpose."""


class PeriodError(PmfError, ValueError):
    """A period label that is not a UK financial-year quarter."""


class ConfigError(PmfError):
    """A parameters file or option that is missing or wrong."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it.

    ``cell`` is an A1 reference (``G14``) or empty when the problem is with a
    whole sheet or file.
    """

    file: str
    sheet: str
    cell: str
    problem: str
    value: str = ""
    id: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}"
            where += f"!{self.cell}]" if self.cell else "]"
        value = f" (value: {self.value!r})" if self.value not in ("", None) else ""
        return f"{where}: {self.problem}{value}"

    def as_row(self) -> dict[str, str]:
        """The row written to data-quality.csv (SPEC §10 column names)."""
        return {
            "File": self.file,
            "Sheet": self.sheet,
            "Cell": self.cell,
            "ID": self.id,
            "Problem": self.problem,
            "Value": "" if self.value is None else str(self.value),
        }


@dataclass
class ValidationError(PmfError):
    """Several problems found together, reported all at once.

    Raised when an input cannot be used at all (e.g. the register); for
    returns, problems are collected and the good rows are kept instead.
    """

    problems: list[Problem] = field(default_factory=list)
    summary: str = "The input has problems"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.summary} ({len(self.problems)} to fix):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class RegisterError(ValidationError):
    """The register workbook (outcomes, indicators, targets, actions) is invalid."""


class ReportError(PmfError):
    """A report notebook failed; names the notebook and the cell."""
