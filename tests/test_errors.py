"""Every exception class the kit defines is a ``CpkitError`` and lives in ``cpkit/errors.py``: a user's
mistake is then printed by the command line as one line naming the file, never as "unexpected error ...
report it" (the bug message), and there is one place to read every error the kit can give."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cpkit
from cpkit import errors

PACKAGE = Path(cpkit.__file__).parent


def _exception_classes() -> list[tuple[str, str, list[str]]]:
    """(file, class, base names) of every class in the package whose bases end in Error, Exception,
    Failed, Problem or Unavailable, or that derives from one defined in errors.py: read from the source,
    so a class in a module nothing imports is found too."""
    known = {name for name in dir(errors) if isinstance(getattr(errors, name), type)}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
            if any(
                b in known or b.endswith(("Error", "Exception", "Failed", "Problem", "Unavailable"))
                for b in bases
            ):
                found.append((str(path.relative_to(PACKAGE)), node.name, bases))
    return found


def test_every_exception_class_is_defined_in_errors_py():
    elsewhere = [f"{file}: {name}" for file, name, _ in _exception_classes() if file != "errors.py"]
    assert elsewhere == []


def test_every_error_is_a_cpkit_error_keeping_its_builtin_base():
    classes = [getattr(errors, name) for _, name, _ in _exception_classes()]
    assert len(classes) >= 18  # CpkitError, InputError and the sixteen moved here
    assert all(issubclass(c, errors.CpkitError) for c in classes)
    # the built-in each had before, so "except ValueError" / "except RuntimeError" still catches them
    for name in ("AuthoredError", "NarrativeError", "SettingValueError", "KpiError", "ConfigError"):
        assert issubclass(getattr(errors, name), ValueError), name
    for name in ("PdfUnavailable", "ReportFailed", "ReportInterrupted", "DataProblem"):
        assert issubclass(getattr(errors, name), RuntimeError), name


def test_a_missing_returns_folder_is_a_cpkit_error_naming_it(tmp_path):
    """A data folder without its returns is the user's to fix: the command line prints it as one line
    (``CpkitError``), and a section kernel reports it as the user's, not as a bug. Both places a missing
    folder was a bare ``FileNotFoundError``: the quarterly page's loader and the returns' reader."""
    from cpkit.poap.inyear import load_with_extract
    from cpkit.ssda903.files import discover

    with pytest.raises(errors.CpkitError, match="no SSDA903 returns in .*ssda903"):
        load_with_extract(tmp_path, None)
    with pytest.raises(errors.CpkitError, match="SSDA903 input not found: .*nowhere"):
        list(discover([tmp_path / "nowhere"]))
    # still a FileNotFoundError, for the callers that catch that
    with pytest.raises(FileNotFoundError):
        load_with_extract(tmp_path, None)
