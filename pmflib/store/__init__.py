"""The ledger: every return and figure ever accepted, with its provenance (SQLite, append-only)."""
