"""PMF Workbook: performance-management reporting for UK councils.

The package is laid out by layer, so the folders are the architecture diagram
(docs/DESIGN.md): ``core`` (vocabulary), ``rules`` (pure status rules),
``inputs`` (register, history, returns, templates), ``store`` (the ledger),
``cycle`` (the period pipeline and the ``pmf`` command), ``report`` (notebooks,
presentation, export, site) and ``demo`` (the fictional council).

The first release was one flat folder; analysts' notebooks and scripts that
import ``pmflib.status`` or ``from pmflib import reportkit`` keep working
through the aliases below, which hand back the very same module objects.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.2.0"

#: The first release's flat module names and where each now lives.
MOVED_MODULES = {
    "constants": "pmflib.core.constants", "errors": "pmflib.core.errors",
    "periods": "pmflib.core.periods", "cells": "pmflib.core.cells",
    "status": "pmflib.rules.status", "spc": "pmflib.rules.spc",
    "dataquality": "pmflib.rules.dataquality", "benchmark": "pmflib.rules.benchmark",
    "register": "pmflib.inputs.register", "returns": "pmflib.inputs.returns",
    "templates": "pmflib.inputs.templates", "ledger": "pmflib.store.ledger",
    "workbook": "pmflib.cycle.workbook", "ingest": "pmflib.cycle.ingest",
    "pipeline": "pmflib.cycle.pipeline", "cli": "pmflib.cycle.cli",
    "narrative": "pmflib.report.narrative", "present": "pmflib.report.present",
    "charts": "pmflib.report.charts", "reportkit": "pmflib.report.reportkit",
    "reports": "pmflib.report.runner", "export": "pmflib.report.export",
    "dashboard": "pmflib.report.dashboard", "opendata": "pmflib.report.opendata",
    "demo_returns": "pmflib.demo.returns",
}


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers ``import pmflib.<old name>`` with the module at its new home."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix == __name__ and name in MOVED_MODULES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(MOVED_MODULES[spec.name.rpartition(".")[2]])

    def exec_module(self, module):
        """Nothing to run: the module was executed at its new home."""


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModuleFinder())


def __getattr__(name: str):
    """``from pmflib import reportkit`` (and every other old name) still works."""
    if name in MOVED_MODULES:
        return importlib.import_module(MOVED_MODULES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
