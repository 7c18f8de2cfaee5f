"""Fieldwork: offline case-file reviews and findings for inspectors of probation services."""

__version__ = "0.1.0"
