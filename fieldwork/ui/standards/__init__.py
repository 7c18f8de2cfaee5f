"""The Standards screen (screen.py): judgement-rated standards with the lead's judgements,
ratings and evidence (judged.py), and professional discretion on case-based standards
(overridden.py)."""
