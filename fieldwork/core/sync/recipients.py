"""Taking a public key off the inspection's recipients (the lead's Team and keys dialog).

Adding a key is `bundle.add_recipient`; the list is `store.reads.members()` (those with a
public key). Removing goes through the write path like any edit, so it reaches every
laptop with the next bundle, and bundles made after it are no longer encrypted to that
key. A key-only recipient (headquarters) is deleted; a team member keeps their row, so
their name stays on the reviews and notes they wrote, and only loses the key. This
laptop's own key cannot be removed: it must always open its own bundles.
"""

from __future__ import annotations

from fieldwork.core.errors import UserError
from fieldwork.core.model import Op
from fieldwork.core.storage.store import Store

KEY_ONLY_ROLES = frozenset({"headquarters", "recipient"})


def remove_recipient(store: Store, member_id: str) -> list[Op]:
    """Stop encrypting bundles to `member_id`'s key; returns the ops written."""
    member = next((m for m in store.reads.members() if m.id == member_id), None)
    if member is None:
        raise UserError("That recipient is no longer in this inspection.")
    if not member.public_key:
        raise UserError(f"{member.name} has no key to remove.")
    if member.id == store.author or member.public_key == store.age_recipient:
        raise UserError("This laptop's own key cannot be removed: it must open its own bundles.")
    if (member.role or "") in KEY_ONLY_ROLES:
        return store.delete("members", member.id)
    return store.update("members", member.id, {"public_key": None})
