"""Every action a person performs on an inspection, Qt-free, shared by the app (through
`Session.act`) and the command line. Each function takes the Store first and returns the
ops it wrote, in one transaction: one undo step.

answering.py   answer, mark complete, reopen, QA confirm and return
validation.py  a review checked against its form; suggested judgements (pure)
cases.py       allot cases, pick them for QA, remove, restore and correct a case
interviews.py  create, edit, link cases, delete
quotes.py      mark a passage as a quote with its tags, remove it
findings.py    findings, their evidence, numbered recommendations
"""
