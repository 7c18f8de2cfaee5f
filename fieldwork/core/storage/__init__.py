"""The inspection file and everything that touches its tables.

store.py     Store: open, create, join-build, restore; keys, identity, meta; the parts
writes.py    the one write path (Store inherits it): transactions, write, undo, apply
reads.py     store.reads: typed reads of the shared state
search.py    store.search: the full-text index
audit.py     store.audit: dump, check, the change log, bundle history
backups.py   store.backups: rolling backups, copies, restore and rekey of backups
merge.py     the change log's rules: heads, last writer wins, conflicts, undo
vetting.py   the rules a bundle's new ops must pass before any is applied
db.py        the sqlcipher3 connection, pragmas, checks, migrations, driver errors
clock.py     the hybrid logical clock, bounded; clock values as text for people
"""
