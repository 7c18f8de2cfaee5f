"""Where the data shipped inside the package lives: forms, methods, fonts, style sheets, help.

One lookup path, `importlib.resources.files("fieldwork")`, the same from a source
checkout, an editable install and a wheel. The package is always installed unpacked
(never imported from a zip), so every resource is a real file that reportlab and Qt
can open by name.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_path(*parts: str) -> Path:
    """A folder or file shipped in the package, e.g. package_path("forms")."""
    return Path(str(resources.files("fieldwork").joinpath(*parts)))


def forms_dir() -> Path:
    """The shipped form definitions (fieldwork/forms/*.yaml, documented in its README)."""
    return package_path("forms")


def methods_dir() -> Path:
    """The shipped inspection methods (fieldwork/methods/*.yaml, documented in its README)."""
    return package_path("methods")


def resources_dir() -> Path:
    """Fonts (DejaVu, for the PDF) and style sheets."""
    return package_path("resources")


def help_page(name: str = "guide") -> str:
    """A page of the offline help (resources/help/NAME.md, Markdown; docs/NAME.md is the
    same page in the repository)."""
    return package_path("resources", "help", f"{name}.md").read_text(encoding="utf-8")
