"""What the ledger refuses: errors that say why history would be lost or corrupted."""

from __future__ import annotations

from pmflib.core.errors import PmfError


class LedgerError(PmfError):
    """The ledger cannot do what was asked without losing or corrupting history."""


class NotInLedger(LedgerError, LookupError):
    """No current value is recorded for what was asked about."""
