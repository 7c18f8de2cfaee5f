"""The Moderation screen (screen.py), its tables, dialogs and the blind round editor."""
