"""One reporting period's Review step: the workbook folder, ingest, the period computation, the pipeline and the ``pmf`` command.

``pmflib.cycle`` was the period computation's module in the first release;
its public names still resolve here (lazily, so ``pmf --help`` stays instant).
"""


def __getattr__(name: str):
    import importlib

    if name in ("PeriodResult", "compute_period", "spc_by_indicator"):
        return getattr(importlib.import_module("pmflib.cycle.compute"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
