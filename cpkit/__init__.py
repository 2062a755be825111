"""cpkit: the Corporate Parenting analysis kit.

The public entry points are re-exported here; each lives in the sub-package named for what it holds.
Imports are lazy so ``import cpkit`` stays fast for the command line and each notebook pays only for
what it uses.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("cpkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

_EXPORTS = {
    "load_903": "cpkit.ssda903",
    "check_903": "cpkit.ssda903",
    "Data903": "cpkit.ssda903",
    "load_action_plan": "cpkit.actions",
    "load_benchmarks": "cpkit.benchmarks",
    "load_kpis": "cpkit.kpis",
    "Config": "cpkit.config",
    "Period": "cpkit.config",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    if name in {"care", "actions", "benchmarks", "present", "report", "ssda903", "sample", "kpis"}:
        import importlib

        return importlib.import_module(f"cpkit.{name}")
    raise AttributeError(f"module 'cpkit' has no attribute {name!r}")


if os.environ.get("CPKIT_INPUTS_LOG"):  # a section kernel of `cpkit report`: record the files it reads
    from cpkit.report.provenance import log_reads_from_env

    log_reads_from_env()
