"""Coded interviews to REFI-QDA (`fieldwork export qdpx|qdc FILE OUT`), for NVivo,
ATLAS.ti, MAXQDA and QualCoder.

A .qdpx is a zip holding `project.qde` (QDA-XML, urn:QDA-XML:project:1.0) at its root
and one plain-text source per interview in `Sources/`, referenced as
`internal://GUID.txt`. GUIDs are our row ids written as UUIDs (ids with no row of their
own are UUID5s of the inspection's id), and the zip's headers are fixed, so the same
inspection exports the same bytes every time. The mapping:

- members -> Users; tags -> CodeBook, standards (tags that name a standard of the form)
  as one branch and themes as another;
- interviews -> TextSource; quotes -> PlainTextSelection (start and end in code points
  over the exported text, LF line endings) with a Coding per tag;
- cases -> Cases, named by the report's pseudonyms (C001, ...), never by reference,
  each with its interviews; findings -> Notes, referenced from the selections they
  cite; organisations -> Sets of interviews and notes.

Left out: interviews with a person on probation who has not consented, their notes and
their quotes. Names are redacted as in the draft report (text_edits.Cleaned). A `.qdc`
is the codebook alone (urn:QDA-XML:codebook:1.0).
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldwork import __version__
from fieldwork.core import files
from fieldwork.core.errors import UserError
from fieldwork.core.io.text_edits import Cleaned
from fieldwork.core.report.report import Redactor, pseudonyms, tag_standard
from fieldwork.core.schema import INTERVIEW_KIND_LABELS, natural_id
from fieldwork.core.sync.archive import deflate, write_zip

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"Fieldwork {__version__}"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEX = re.compile(r"[0-9a-f]{32}")


def guid(row_id: str) -> str:
    """One of our row ids (32 hex digits) as a UUID."""
    if _HEX.fullmatch(row_id):
        return str(uuid.UUID(hex=row_id))
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fieldwork:" + row_id))


def derived(inspection_id: str, *parts: str) -> str:
    """A GUID for something with no row of its own, stable for the inspection."""
    return str(uuid.uuid5(uuid.UUID(guid(inspection_id)), "\x1f".join(parts)))


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    codable: bool = True
    children: tuple[Code, ...] = ()


@dataclass
class Selection:
    guid: str
    quote_id: str
    start: int
    end: int
    text: str
    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Source:
    guid: str
    interview_id: str
    name: str
    description: str
    text: str
    user: str | None
    organisation: str | None
    selections: list[Selection] = field(default_factory=list)


@dataclass
class Project:
    name: str
    user: str | None
    users: list[tuple[str, str]]
    codes: list[Code]
    cases: list[tuple[str, str, list[str]]]  # guid, pseudonym, source guids
    sources: list[Source]
    notes: list[tuple[str, str, str, str | None]]  # guid, name, text, organisation
    sets: list[tuple[str, str, list[str], list[str]]]  # guid, name, sources, notes
    left_out: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


def codebook(store: Any) -> list[Code]:
    """The tags as two branches: standards of the form, then themes."""
    inspection = store.reads.inspection()
    standard_ids = [s.id for s in store.reads.form().sections]
    standards: list[Code] = []
    themes: list[Code] = []
    for label in store.reads.tags():
        code = Code(guid(natural_id("tags", label.casefold())), _clean(label))
        (standards if tag_standard(label, standard_ids) else themes).append(code)
    out = []
    if standards:
        out.append(Code(derived(inspection.id, "standards"), "Standards", False, tuple(standards)))
    if themes:
        out.append(Code(derived(inspection.id, "themes"), "Themes", False, tuple(themes)))
    return out


def _locate(notes: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Where the quote is now: its stored place, or the nearest copy of its text."""
    if text and notes[start:end] == text:
        return start, end
    if not text:
        return None
    found, at = None, notes.find(text)
    while at >= 0:
        if found is None or abs(at - start) < abs(found - start):
            found = at
        at = notes.find(text, at + 1)
    return None if found is None else (found, found + len(text))


def gather(store: Any) -> Project:
    """What the export holds, with the privacy decisions made (see the module docstring)."""
    inspection = store.reads.inspection()
    members = store.reads.members()
    cases = store.reads.cases()
    names = [m.name for m in members] + [c.officer for c in cases]
    redact = Redactor(names)
    users = {m.id: guid(m.id) for m in members}
    codes = codebook(store)
    code_of = {c.name: c.guid for branch in codes for c in branch.children}
    project = Project(_clean(inspection.name), users.get(store.author),
                      [(users[m.id], _clean(m.name)) for m in members], codes, [], [], [], [])  # fmt: skip
    quotes: dict[str, list[Any]] = {}
    for q in store.reads.quotes():
        quotes.setdefault(q.interview_id, []).append(q)
    selection_of: dict[str, Selection] = {}
    unconsented = 0
    for i in store.reads.interviews():
        if i.kind == "person" and not i.consent:
            unconsented += 1
            continue
        kind = INTERVIEW_KIND_LABELS.get(i.kind, i.kind)
        title = redact(i.title.strip()) if i.title and i.title.strip() else kind
        name = " ".join(p for p in (i.date, title) if p)
        description = ", ".join(p for p in (kind, i.date, i.organisation) if p)
        cleaned = Cleaned(i.notes, names)
        source = Source(guid(i.id), i.id, _clean(name), _clean(description), cleaned.text,
                        users.get(i.author or ""), i.organisation)  # fmt: skip
        for q in quotes.get(i.id, []):
            where = _locate(i.notes, q.start, q.end, q.text)
            if where is None:
                project.left_out.append(f"a quote no longer found in its notes ({name})")
                continue
            start, end = cleaned.span(*where)
            sel = Selection(guid(q.id), q.id, start, end, cleaned.text[start:end])
            sel.codes = [code_of[t] for t in q.tags if t in code_of]
            source.selections.append(sel)
            selection_of[q.id] = sel
        project.sources.append(source)
    if unconsented:
        project.left_out.append(
            f"{unconsented} interview{'s' if unconsented != 1 else ''} with a person on "
            "probation who has not consented (notes and quotes)"
        )
    alias = pseudonyms(c.id for c in cases)
    exported = {s.interview_id: s.guid for s in project.sources}
    linked: dict[str, list[str]] = {}
    for i in store.reads.interviews():
        for cid in i.case_ids:
            if i.id in exported:
                linked.setdefault(cid, []).append(exported[i.id])
    project.cases = [(guid(c.id), alias[c.id], linked[c.id]) for c in
                     sorted(cases, key=lambda c: alias[c.id]) if c.id in linked]  # fmt: skip
    for f in store.reads.findings():
        if not f.text.strip():
            continue
        fguid = guid(f.id)
        label = "strength" if f.kind == "strength" else "area for improvement"
        fname = f"{f.standard_id} {label}" + (f" ({f.organisation})" if f.organisation else "")
        project.notes.append((fguid, _clean(fname), _clean(redact(f.text.strip())),
                              f.organisation))  # fmt: skip
        for qid in f.quote_ids:
            if qid in selection_of:
                selection_of[qid].notes.append(fguid)
    for org in inspection.organisations:
        project.sets.append((
            derived(inspection.id, "organisation", org), _clean(org),
            [s.guid for s in project.sources if s.organisation == org],
            [n[0] for n in project.notes if n[3] == org],
        ))  # fmt: skip
    return project


def _el(parent: ET.Element, tag: str, **attrs: str | None) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v})


def _codes(parent: ET.Element, codes: list[Code] | tuple[Code, ...], ns: str = NS) -> None:
    for c in codes:
        el = ET.SubElement(parent, f"{{{ns}}}Code", {"guid": c.guid, "name": c.name,
                                                     "isCodable": "true" if c.codable else "false"})  # fmt: skip
        _codes(el, c.children, ns)


def project_xml(project: Project) -> bytes:
    """project.qde: elements in the order Project.xsd's sequences require."""
    root = ET.Element(f"{{{NS}}}Project", {"name": project.name, "origin": ORIGIN})
    if project.user:
        root.set("creatingUserGUID", project.user)
    if project.users:
        users = _el(root, "Users")
        for g, name in project.users:
            _el(users, "User", guid=g, name=name)
    if project.codes:
        _codes(_el(_el(root, "CodeBook"), "Codes"), project.codes)
    if project.cases:
        cases = _el(root, "Cases")
        for g, name, refs in project.cases:
            case = _el(cases, "Case", guid=g, name=name)
            for ref in refs:
                _el(case, "SourceRef", targetGUID=ref)
    if project.sources:
        sources = _el(root, "Sources")
        for s in project.sources:
            el = _el(sources, "TextSource", guid=s.guid, name=s.name,
                     plainTextPath=f"internal://{s.guid}.txt", creatingUser=s.user)  # fmt: skip
            _el(el, "Description").text = s.description
            for sel in s.selections:
                sel_el = _el(el, "PlainTextSelection", guid=sel.guid,
                             startPosition=str(sel.start), endPosition=str(sel.end))  # fmt: skip
                for code in sel.codes:
                    coding_id = str(uuid.uuid5(uuid.UUID(sel.guid), "coding:" + code))
                    coding = _el(sel_el, "Coding", guid=coding_id)
                    _el(coding, "CodeRef", targetGUID=code)
                for note in sel.notes:
                    _el(sel_el, "NoteRef", targetGUID=note)
    if project.notes:
        notes = _el(root, "Notes")
        for g, name, text, _ in project.notes:
            _el(_el(notes, "Note", guid=g, name=name), "PlainTextContent").text = text
    if project.sets:
        sets = _el(root, "Sets")
        for g, name, members, note_ids in project.sets:
            s_el = _el(sets, "Set", guid=g, name=name)
            for m in members:
                _el(s_el, "MemberSource", targetGUID=m)
            for n in note_ids:
                _el(s_el, "MemberNote", targetGUID=n)
    _el(root, "Description").text = (
        "Exported by Fieldwork. Interviews with a person on probation who has not "
        "consented are left out; names are removed as in the draft report; cases are "
        "named by pseudonym."
    )
    return _xml(root, NS)


def _xml(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    buf = io.BytesIO()
    ET.ElementTree(root).write(buf, encoding="utf-8", xml_declaration=True)
    return buf.getvalue()


def codebook_xml(codes: list[Code]) -> bytes:
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN})
    _codes(ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), codes, CODEBOOK_NS)
    return _xml(root, CODEBOOK_NS)


def _target(out: str | Path, suffix: str) -> Path:
    path = Path(out)
    if path.is_dir():
        raise UserError(f"{path} is a folder: give the name of the {suffix} file to write.")
    if path.suffix.lower() != suffix:
        raise UserError(f"{path}: OUT must end in {suffix}.")
    if not path.resolve().parent.is_dir():
        raise UserError(f"No such folder: {path.resolve().parent}")
    return path


def qdpx_bytes(project: Project) -> bytes:
    members = [("project.qde", deflate(project_xml(project)))]
    for s in sorted(project.sources, key=lambda s: s.guid):
        members.append((f"Sources/{s.guid}.txt", deflate(s.text.encode("utf-8"))))
    buf = io.BytesIO()
    write_zip(buf, members)
    return buf.getvalue()


def export_qdpx(store: Any, out: str | Path) -> Project:
    """Write the .qdpx (atomically); returns what it holds, including what was left out."""
    path = _target(out, ".qdpx")
    project = gather(store)
    files.write_bytes(path, qdpx_bytes(project))
    return project


def export_qdc(store: Any, out: str | Path) -> list[Code]:
    """Write the tags as a REFI codebook (.qdc)."""
    path = _target(out, ".qdc")
    codes = codebook(store)
    if not codes:
        raise UserError("This inspection has no tags yet: there is no codebook to export.")
    files.write_bytes(path, codebook_xml(codes))
    return codes
