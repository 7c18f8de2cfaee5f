"""Screenshots of the Evidence register and the Standards screen, as tools/screenshots.py
takes the others (real window, offscreen, QWidget.grab(), at 1366x768 and 1280x720).

    python -m tools.screenshots_evidence docs/screenshots

On a standards-2018 demo (`fieldwork demo --method standards-2018`: one rated
organisation, ten standards, an evidence register, the team's judgements and one
override), writes:

- 24-evidence-register-*.png: the register, an item open with its notes and tags;
- 25-standards-*.png: a judgement-rated standard (1.2 Staff): the judgement per key
  question with the triangulation count, the rating, its justification and evidence;
- 26-standards-discretion-*.png: a case-based standard overridden with its reason.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tools.screenshots import SIZE, prepare_environment, take


def open_rated_demo(tmp: Path) -> tuple[Any, Any]:
    """(app, window) on a 200-case standards-2018 demo, shown."""
    from fieldwork.app import create_main_window, ensure_app
    from fieldwork.core.demo.methods import make_method_demo

    app = ensure_app()
    path = tmp / "Demo rated inspection.fieldwork"
    make_method_demo(path, "standards-2018", cases=200, seed=1).close()
    window = create_main_window(path)
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    return app, window


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    app, window = open_rated_demo(prepare_environment())

    def register() -> None:
        screen = window.show_screen("Evidence")
        titles = [e.title for e in screen.items]
        focus_group = next((i for i, t in enumerate(titles) if "focus group" in t.lower()), 0)
        screen.list.setCurrentRow(focus_group)
        screen.list.setFocus()

    def standard(standard_id: str) -> Any:
        def show() -> None:
            screen = window.show_screen("Standards")
            screen.select_standard(standard_id)
            screen.list.setFocus()

        return show

    from fieldwork.core.storage import evidence_reads

    chosen = sorted(sid for (_org, sid) in evidence_reads.overrides(window.store)) or ["2.4"]
    for name, setup in (
        ("24-evidence-register", register),
        ("25-standards", standard("1.2")),
        ("26-standards-discretion", standard(chosen[0])),
    ):
        take(app, window, out_dir, name, setup)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
