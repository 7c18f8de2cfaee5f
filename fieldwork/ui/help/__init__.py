"""The Help menu: the guide to an inspector's week, the keyboard shortcuts, About."""
