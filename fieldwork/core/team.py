"""The team, which the lead alone changes: admit a laptop that asked to join, add a
member, remove one (a lost laptop: later bundles are no longer encrypted to its key).

Shared by the command line (`fieldwork members ...`) and the app. Each act is the
lead's ops through the one write path; on any other laptop it is refused in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldwork.core.errors import UserError
from fieldwork.core.model import Member, Op
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import crypto
from fieldwork.core.sync.signing import is_public_key

ROLES = ("lead", "inspector", "headquarters")


@dataclass(frozen=True)
class JoinRequest:
    member_id: str
    name: str
    role: str
    public_key: str | None
    signing_key: str | None
    device: str
    # A further laptop of a member (joined under a name the team has): its keys go in
    # a member_keys row of this id beside the member's own.
    keys_row: str | None = None


def writer_names(store: Store) -> dict[str, str]:
    """Who wrote a change, by name, never by device: the members (removed ones marked) and
    the laptops that asked to join and are not yet admitted, marked as such."""
    asking = {r.member_id: f"{r.name} (asking to join)" for r in join_requests(store)}
    return {**asking, **store.trust.names()}


def join_requests(store: Store) -> list[JoinRequest]:
    """Laptops that asked to join and are not yet admitted, oldest first."""
    found = []
    names = store.trust.names()
    for row, req in store.trust.join_requests().items():
        if req["entity"] == "member_keys":
            mid = str(req.get("member_id") or "")
            name = names.get(mid) or mid[:8]
            found.append(
                JoinRequest(mid, name, "another laptop", req.get("public_key"),
                            req.get("signing_key"), req["device"], row)
            )  # fmt: skip
            continue
        found.append(
            JoinRequest(
                row,
                str(req.get("name") or row[:8]),
                str(req.get("role") or "inspector"),
                req.get("public_key"),
                req.get("signing_key"),
                req["device"],
            )
        )
    return sorted(found, key=lambda r: (r.name, r.member_id))


def admit(store: Store, who: str, role: str | None = None) -> list[Op]:
    """Make a laptop that asked to join a member, with the keys its request names."""
    store._check_lead()
    requests = join_requests(store)
    matches = [r for r in requests if _names(who, r.member_id, r.name)]
    if not matches:
        waiting = ", ".join(r.name for r in requests) or "none"
        raise UserError(f"No request to join from {who!r} (waiting: {waiting}).")
    if len(matches) > 1:
        raise UserError(
            f"{who!r} matches several requests: give more of the member id (or admit "
            "them one at a time: `fieldwork members list FILE` lists them)."
        )
    r = matches[0]
    if r.public_key is not None:
        _check_age_key(r.public_key)
    if r.signing_key is not None and not is_public_key(r.signing_key):
        raise UserError("The request's signing key is not an Ed25519 key: not admitted.")
    if r.keys_row is not None:  # a further laptop of a member: its keys beside theirs
        keys: dict[str, Any] = {
            "member_id": r.member_id,
            "public_key": r.public_key,
            "signing_key": r.signing_key,
            "deleted": False,
        }
        return store.write(("member_keys", r.keys_row, f, v) for f, v in keys.items())
    fields: dict[str, Any] = {
        "name": r.name,
        "role": _role(role or r.role),
        "public_key": r.public_key,
        "signing_key": r.signing_key,
        "deleted": False,
    }
    return store.write(("members", r.member_id, f, v) for f, v in fields.items())


def add_member(
    store: Store, name: str, role: str = "inspector", public_key: str | None = None
) -> str:
    """A member the lead records by hand (a team member's name for allocating cases, or
    headquarters with its key)."""
    store._check_lead()
    if not name.strip():
        raise UserError("Give the member a name.", needs="name")
    fields: dict[str, Any] = {"name": name.strip(), "role": _role(role)}
    if public_key:
        fields["public_key"] = _check_age_key(public_key)
    return store.insert("members", fields)


def remove(store: Store, who: str) -> list[Op]:
    """Take a member out of the team (by name or id): later bundles are not encrypted to
    its key. Its ops stay in the audit trail under its name."""
    store._check_lead()
    member = find(store, who)
    if member.id == store.author:
        raise UserError("The lead cannot remove itself.")
    return store.delete("members", member.id)


def find(store: Store, who: str) -> Member:
    found = [m for m in store.reads.members() if _names(who, m.id, m.name)]
    if not found:
        raise UserError(f"No member {who!r}: `fieldwork members list FILE` shows them.")
    if len(found) > 1:
        raise UserError(f"{who!r} matches several members: give more of the member id.")
    return found[0]


def _names(who: str, member_id: str, name: str) -> bool:
    who = who.strip()
    return bool(who) and (
        name.casefold() == who.casefold() or (len(who) >= 4 and member_id.startswith(who))
    )


def _role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    return role


def _check_age_key(key: str) -> str:
    text = str(crypto.recipient(key))
    if text != key.strip():
        raise UserError(f"{key[:70]!r} is not an age public key (age1...).")
    return text
