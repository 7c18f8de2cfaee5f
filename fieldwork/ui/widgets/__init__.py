"""Small pieces every screen uses: plain-text labels, colours, autosave, refresh on show."""
