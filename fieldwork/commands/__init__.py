"""Subcommands of the `fieldwork` command line, one module per area; none imports Qt."""
