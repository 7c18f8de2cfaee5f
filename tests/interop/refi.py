"""REFI-QDA checks for the tests: validation against the corpus's Project.xsd (one code
path for our export and the corpus samples) and reading a .qdpx back."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import xmlschema
from defusedxml import ElementTree as DET

from tests.interop.corpus import corpus_dir

NS = {"q": "urn:QDA-XML:project:1.0"}
_SCHEMAS: dict[Path, xmlschema.XMLSchema] = {}


def schema() -> xmlschema.XMLSchema:
    path = corpus_dir() / "refi-qda" / "Project.xsd"
    if path not in _SCHEMAS:
        _SCHEMAS[path] = xmlschema.XMLSchema(str(path))
    return _SCHEMAS[path]


def validate(source: bytes | Path) -> None:
    """Raise xmlschema.XMLSchemaValidationError unless the project validates."""
    data = source.read_bytes() if isinstance(source, Path) else source
    schema().validate(DET.fromstring(data))


@dataclass
class ReadBack:
    codes: dict[str, str] = field(default_factory=dict)  # guid -> name (codable only)
    branches: dict[str, list[str]] = field(default_factory=dict)  # branch -> code names
    texts: dict[str, str] = field(default_factory=dict)  # source guid -> text
    sources: dict[str, str] = field(default_factory=dict)  # source guid -> name
    selections: dict[str, dict] = field(default_factory=dict)  # selection guid -> details
    notes: dict[str, str] = field(default_factory=dict)  # note guid -> text
    cases: dict[str, list[str]] = field(default_factory=dict)  # case name -> source guids
    sets: dict[str, list[str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    xml: bytes = b""


def read_qdpx(path: Path) -> ReadBack:
    out = ReadBack()
    with zipfile.ZipFile(path) as z:
        out.xml = z.read("project.qde")
        root = DET.fromstring(out.xml)
        for u in root.iterfind("q:Users/q:User", NS):
            out.users[u.get("guid")] = u.get("name")
        for branch in root.iterfind("q:CodeBook/q:Codes/q:Code", NS):
            assert branch.get("isCodable") == "false"
            names = []
            for c in branch.iterfind("q:Code", NS):
                out.codes[c.get("guid")] = c.get("name")
                names.append(c.get("name"))
            out.branches[branch.get("name")] = names
        for case in root.iterfind("q:Cases/q:Case", NS):
            out.cases[case.get("name")] = [
                r.get("targetGUID") for r in case.iterfind("q:SourceRef", NS)
            ]
        for src in root.iterfind("q:Sources/q:TextSource", NS):
            g = src.get("guid")
            path_in_zip = src.get("plainTextPath")
            assert path_in_zip == f"internal://{g}.txt"
            out.texts[g] = z.read(f"Sources/{g}.txt").decode("utf-8")
            out.sources[g] = src.get("name")
            for sel in src.iterfind("q:PlainTextSelection", NS):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                out.selections[sel.get("guid")] = {
                    "source": g,
                    "start": start,
                    "end": end,
                    "text": out.texts[g][start:end],
                    "codes": [c.get("targetGUID") for c in sel.iterfind("q:Coding/q:CodeRef", NS)],
                    "notes": [n.get("targetGUID") for n in sel.iterfind("q:NoteRef", NS)],
                }
        for note in root.iterfind("q:Notes/q:Note", NS):
            out.notes[note.get("guid")] = note.findtext("q:PlainTextContent", "", NS)
        for s in root.iterfind("q:Sets/q:Set", NS):
            out.sets[s.get("name")] = [m.get("targetGUID") for m in s]
    return out
