"""How much evidence stands behind each standard: the triangulation count (sources per
key question, from core/casework/evidence.py), as the Findings screen shows it."""

from __future__ import annotations

from typing import Any

from fieldwork.core.casework.evidence import Triangulation, triangulation
from fieldwork.core.storage import method_reads


def per_standard(store: Any, organisation: str) -> list[tuple[str, list[Triangulation]]]:
    """[(standard label, its key questions' counts)] for the standards an organisation is
    rated on by judgement, and any other standard some evidence is tagged with."""
    mf = method_reads.method_forms(store)
    counts = triangulation(store, organisation)
    out = []
    for s in mf.method.standards_for(organisation):
        kqs = [counts[k.id] for k in mf.key_questions(s) if k.id in counts]
        if kqs and (s.basis == "judgement" or any(t.sources for t in kqs)):
            out.append((s.label, kqs))
    return out


def summary(store: Any) -> str:
    """One paragraph: per organisation, each standard's sources per key question."""
    parts = []
    for org in store.reads.inspection().organisations:
        standards = per_standard(store, org)
        if standards:
            shown = "; ".join(
                f"{label} {', '.join(str(t.sources) for t in kqs)}" for label, kqs in standards
            )
            parts.append(f"{org}: {shown}.")
    if not parts:
        return ""
    return "Evidence behind each standard (sources per key question). " + " ".join(parts)
