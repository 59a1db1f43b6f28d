"""A council's workbook folder: where each input and output lives, and its parameters.

Configuration lives in files (``params/``), not in code or switches, so a run
documents what it used (RAP guidance). Every path the product touches is
derived here, once, so no module builds paths of its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Iterator

import yaml

from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period

COUNCIL_PARAMS = "params/council.yml"
REPORTS_PARAMS = "params/reports.yml"

_COUNCIL_DEFAULTS = {
    "name": "Council",
    "short_name": "",
    "own_authority": "",
    "logo": "",
    "colours": {"primary": "#1d4f91", "accent": "#00703c", "text": "#0b0c0c"},
    "comparator_group": "",
    "ledger": "inputs/ledger/ledger.sqlite",
    "archive": "inputs/ledger/archive",
    "deadlines": {"default_days_after_period_end": 21},
    "latest_period": "",
}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line an officer can act on: where in the file, and what the parser expected."""
    mark = getattr(exc, "problem_mark", None)
    what = " ".join(str(getattr(exc, "problem", None) or "").split()) or "cannot be read"
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"is not valid YAML{where} ({what})"


def _load_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: the parameters file is missing") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: {_yaml_problem(exc)}; check indentation and colons") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected named settings (key: value), found {type(data).__name__}")
    return data


@dataclass(frozen=True)
class Workbook:
    """The folder a council works in (``pmf --workbook DIR``)."""

    root: Path
    council: dict = field(default_factory=dict, compare=False)

    @classmethod
    def open(cls, root: "Path | str" = ".") -> "Workbook":
        root = Path(root).resolve()
        path = root / COUNCIL_PARAMS
        council = dict(_COUNCIL_DEFAULTS)
        if path.exists():
            loaded = _load_yaml(path)
            council.update({k: v for k, v in loaded.items() if v is not None})
        council["colours"] = {**_COUNCIL_DEFAULTS["colours"], **(council.get("colours") or {})}
        council["deadlines"] = {**_COUNCIL_DEFAULTS["deadlines"], **(council.get("deadlines") or {})}
        if not council.get("own_authority"):
            council["own_authority"] = council["name"]
        return cls(root=root, council=council)

    # --- parameters -----------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.council["name"])

    def report_set(self) -> dict:
        return _load_yaml(self.root / REPORTS_PARAMS)

    def deadline(self, period: Period) -> datetime:
        """When returns for ``period`` are due: an explicit date in params, or
        the default number of days after the period ends (end of that day)."""
        deadlines = self.council["deadlines"]
        for key, value in deadlines.items():
            if key == "default_days_after_period_end":
                continue
            try:
                named = Period.parse(key)
            except ValueError as exc:
                raise ConfigError(
                    f"{COUNCIL_PARAMS}: under deadlines, '{key}' is not a period: write it like \"2026-27 Q2\""
                ) from exc
            if named != period:
                continue
            if isinstance(value, datetime):
                return value
            try:
                return datetime.fromisoformat(str(value))
            except ValueError as exc:
                raise ConfigError(
                    f"{COUNCIL_PARAMS}: deadline for '{key}' must be a date and time like "
                    f"2026-10-23T17:00, not {value!r}"
                ) from exc
        raw = deadlines.get("default_days_after_period_end", 21)
        try:
            days = int(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"{COUNCIL_PARAMS}: deadlines: default_days_after_period_end must be a whole number of days, "
                f"not {raw!r}"
            ) from exc
        return datetime.combine(period.end_date + timedelta(days=days), time(23, 59, 59))

    # --- inputs -----------------------------------------------------------------------
    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def register_path(self) -> Path:
        return self.inputs / "register.xlsx"

    @property
    def history_path(self) -> Path | None:
        for name in ("history.xlsx", "history.csv"):
            if (self.inputs / name).exists():
                return self.inputs / name
        return None

    @property
    def comparators_path(self) -> Path:
        return self.inputs / "comparators.csv"

    def returns_dir(self, period: Period) -> Path:
        return self.inputs / "returns" / period.slug

    def narrative_dir(self, period: Period) -> Path:
        return self.inputs / "narrative" / period.slug

    @property
    def ledger_path(self) -> Path:
        return self.root / self.council["ledger"]

    @property
    def archive_dir(self) -> Path:
        return self.root / self.council["archive"]

    # --- outputs ----------------------------------------------------------------------
    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    def templates_dir(self, period: Period) -> Path:
        return self.outputs / "templates" / period.slug

    def output_dir(self, period: Period) -> Path:
        return self.outputs / period.slug

    @contextmanager
    def staged_output(self, period: Period) -> Iterator[Path]:
        """Build a period's outputs in a scratch folder and publish them only
        if everything succeeded, so a failed run never replaces (or half
        replaces) what was published before (SPEC §10)."""
        self.outputs.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".staging-{period.slug}-", dir=self.outputs))
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        publish(staging, self.output_dir(period))


def publish(staging: Path, final: Path) -> None:
    """Swap a finished staging folder into place with renames (atomic on one
    file system); the old outputs are removed only after the swap."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        final.rename(old)
    try:
        staging.rename(final)
    except BaseException:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
