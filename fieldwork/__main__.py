"""`python -m fieldwork` runs the command line."""

from fieldwork.cli import main

raise SystemExit(main())
