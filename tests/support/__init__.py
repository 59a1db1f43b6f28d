"""Helpers for the tests (not product code: nothing in pmflib imports them)."""
