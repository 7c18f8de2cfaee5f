"""Run Fieldwork from a source checkout: `python main.py`."""

from fieldwork.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
