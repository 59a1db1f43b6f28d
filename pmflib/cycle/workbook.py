"""A council's workbook folder: where each input and output lives, and its parameters.

Configuration lives in files (``params/``), not in code or switches, so a run
documents what it used (RAP guidance). Every path the product touches is
derived here, once, so no module builds paths of its own.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Iterator

import yaml

from pmflib.core.errors import ConfigError, PmfError
from pmflib.core.periods import Period
from pmflib.cycle.lock import pid_alive

COUNCIL_PARAMS = "params/council.yml"
REPORTS_PARAMS = "params/reports.yml"

_COUNCIL_DEFAULTS = {
    "name": "Council",
    "own_authority": "",
    "logo": "",
    "colours": {"primary": "#1d4f91", "accent": "#00703c", "text": "#0b0c0c"},
    "comparator_group": "",
    "ledger": "inputs/ledger/ledger.sqlite",
    "archive": "inputs/ledger/archive",
    "deadlines": {"default_days_after_period_end": 21},
}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line an officer can act on: where in the file, and what the parser expected."""
    mark = getattr(exc, "problem_mark", None)
    what = " ".join(str(getattr(exc, "problem", None) or "").split()) or "cannot be read"
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"is not valid YAML{where} ({what})"


#: The only form of colour a params file may give: it goes into every page's
#: <style>, so anything else could close the style and open a script (issue 13).
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def colour_problems(colours: object) -> list[str]:
    """What is wrong with the ``colours:`` settings (every params value is untrusted text)."""
    if not isinstance(colours, dict):
        return [f"colours must be named colours (primary: \"#1d4f91\"), not {colours!r}"]
    return [
        f"colours: {key} must be a colour written #rrggbb (like #1d4f91), not {value!r}"
        for key, value in colours.items()
        if not (isinstance(key, str) and re.fullmatch(r"[a-z][a-z0-9-]*", key)
                and isinstance(value, str) and COLOUR.fullmatch(value))
    ]


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
        for problem in colour_problems(council.get("colours")):
            raise ConfigError(f"{path}: {problem}")
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
        replaces) what was published before (SPEC §10).

        Leftovers of killed runs are tidied first (``recover_outputs``), and a
        read-only or full outputs folder is one clear message naming it."""
        with outputs_errors(self.outputs):
            self.outputs.mkdir(parents=True, exist_ok=True)
            recover_outputs(self.outputs)
            staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{period.slug}-{os.getpid()}-", dir=self.outputs))
        try:
            with outputs_errors(self.outputs):
                yield staging
                publish(staging, self.output_dir(period))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


# --- publishing -------------------------------------------------------------------------
STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"
#: Published files are read by a web server that runs as another user.
FILE_MODE = 0o644
FOLDER_MODE = 0o755
#: errno values that mean "the outputs folder cannot be written", not a bug.
_UNWRITABLE = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.EROFS: "the file system is read-only", errno.ENOSPC: "the disk is full",
               errno.EDQUOT: "the disk quota is used up"}


class OutputsError(PmfError):
    """The outputs folder cannot be written (read-only, full, no permission)."""


@contextmanager
def outputs_errors(outputs: Path) -> Iterator[None]:
    """Turn an OSError writing under ``outputs`` into a message naming the folder."""
    try:
        yield
    except OSError as exc:
        code, filename = _first_errno(exc)
        if code not in _UNWRITABLE:
            raise
        raise OutputsError(
            f"cannot write to the outputs folder {outputs} ({_UNWRITABLE[code]}"
            + (f": {filename}" if filename else "") + "). Nothing published was changed; "
            "free some space or make the folder writable, then run again."
        ) from exc


def _first_errno(exc: OSError) -> tuple[int | None, str | None]:
    """The errno and file of an OSError; ``shutil.Error`` (copytree) keeps its
    failures as text in a list, so the first ``[Errno N]`` there."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        for item in exc.args[0]:
            match = re.search(r"\[Errno (\d+)\]", str(item))
            if match:
                return int(match.group(1)), str(item[1]) if isinstance(item, tuple) and len(item) > 1 else None
    return exc.errno, exc.filename


def make_public(tree: Path) -> None:
    """Files 0644 and folders 0755 throughout ``tree``, set explicitly (mkdtemp
    gives 0700 and mkstemp 0600 whatever the umask)."""
    os.chmod(tree, FOLDER_MODE)
    for folder, dirs, files in os.walk(tree):
        for name in dirs:
            os.chmod(os.path.join(folder, name), FOLDER_MODE)
        for name in files:
            os.chmod(os.path.join(folder, name), FILE_MODE)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE), so the
    name is never missing. False where the system cannot (then the caller
    falls back to two renames, repaired by ``recover_outputs``)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def publish(staging: Path, final: Path) -> None:
    """Swap a finished staging folder into place so that ``final`` is at every
    instant either the previous complete set or the new one; the old set is
    removed only after the swap."""
    make_public(staging)
    if not final.exists():
        staging.rename(final)
        return
    if exchange(staging, final):
        # ``staging`` now holds the previous set.
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = final.with_name(f"{OLD_PREFIX}{final.name}-{os.getpid()}")
    final.rename(old)
    try:
        staging.rename(final)
    except BaseException:
        old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _leftover_pid(name: str) -> int | None:
    """The run's PID in ``.staging-<slug>-<pid>-xxxx`` or ``.old-<slug>-<pid>``."""
    match = re.search(r"-(\d+)(?:-[^-]*)?$", name)
    return int(match.group(1)) if match else None


def recover_outputs(outputs: Path) -> list[str]:
    """Repair what a killed run left: an ``.old-*`` set whose period folder is
    missing goes back in place; other ``.old-*`` and ``.staging-*`` folders not
    held by a live run are removed. Returns what was done, for the log."""
    done = []
    if not outputs.is_dir():
        return done
    for leftover in sorted(outputs.iterdir()):
        name = leftover.name
        if not leftover.is_dir() or not name.startswith((STAGING_PREFIX, OLD_PREFIX)):
            continue
        pid = _leftover_pid(name)
        if pid is not None and pid != os.getpid() and pid_alive(pid):
            continue
        if name.startswith(OLD_PREFIX):
            final = outputs / re.sub(r"-\d+$", "", name[len(OLD_PREFIX):])
            if not final.exists():
                leftover.rename(final)
                done.append(f"restored {final.name} from {name}")
                continue
        shutil.rmtree(leftover, ignore_errors=True)
        done.append(f"removed {name}")
    return done
