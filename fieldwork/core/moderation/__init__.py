"""Moderation: a seeded sample of case assessments assessed again blind, disagreements
settled by the lead, and how far the team agrees.

- sample.py: the seeded, recorded, repeatable draw; cases added by hand; calibration cases
- rounds.py: blind rounds (second assessments, calibration), and who may see what (Blind)
- disagreements.py: the differing items side by side, settling them, the values that count
- agreement.py: the statistics in plain Python (kappa, AC1, Fleiss, Krippendorff)
- figures.py: the figures per key question, pair and team; calibration spread; the reading
- reads.py, model.py: the moderation tables read, and the values handed out
"""

from __future__ import annotations

from fieldwork.core.moderation.disagreements import counted_values, settled_values
from fieldwork.core.moderation.figures import annex_sentence

__all__ = ["annex_sentence", "counted_values", "settled_values"]
