"""The fictional demo council (Northmere) and the returns its services send back.

Only the demo command imports this package (tests/test_layers.py). The first
release's ``pmflib.demo`` module names still resolve here.
"""


def __getattr__(name: str):
    import importlib

    if name.startswith("__") or name in ("council", "returns"):
        raise AttributeError(name)
    return getattr(importlib.import_module("pmflib.demo.council"), name)
