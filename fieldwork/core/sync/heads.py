"""The signatures an export carries (signatures.json): this laptop signs the chain of
every device whose ops are all its own (every device id this file has had), relays the
heads other devices signed as it holds them, and signs the forms it sends.
"""

from __future__ import annotations

from fieldwork.core.storage.store import Store
from fieldwork.core.sync.archive import Deflated
from fieldwork.core.sync.signing import (
    Chain,
    FormsSignature,
    Signatures,
    SignedHead,
    forms_digest,
    forms_statement,
    sign,
    sign_head,
)


def sign_export(
    store: Store,
    inspection_id: str,
    chains: dict[str, Chain],
    forms: list[tuple[str, Deflated]],
) -> tuple[Signatures | None, list[tuple[SignedHead, str, str]]]:
    """One signed head per device: this laptop signs the chains of its own ops (every
    device this file has been); the others' heads are relayed as they were signed."""
    me, key, mine = store.author, store.sign_with(), store.signing_public
    entries: list[SignedHead] = []
    made: list[tuple[SignedHead, str, str]] = []
    for device, chain in sorted(chains.items()):
        held = store.trust.heads(device)
        # A member's other laptop signed its own chain: relayed, never signed again here.
        theirs = bool(held) and all(h.key != mine for h in held.values())
        if chain.authors == {me} and not theirs:
            entry = sign_head(key, inspection_id, device, me, chain.count, chain.head.hex())
            entries.append(entry)
            made.append((entry, *chain.last))
            continue
        for n in sorted(held, reverse=True):
            at = chain.at(n)
            if at is not None and at[0] == held[n].head:
                entries.append(held[n])
                break
    signed_forms = None
    if forms and entries:
        digest = forms_digest({name: d.sha256 for name, d in forms})
        signed_forms = FormsSignature(
            me,
            digest,
            store.signing_public,
            sign(key, forms_statement(inspection_id, me, digest)),
        )
    if not entries:
        return None, made
    return Signatures(tuple(entries), signed_forms), made
