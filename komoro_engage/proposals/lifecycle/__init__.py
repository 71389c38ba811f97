"""The proposal lifecycle, in one place: what happens to a proposal after it is written.

- ``states``: the status table (which action leads from which status to which);
- ``history``: the public timeline of status changes and the events they send;
- ``answers``: the support threshold, the answer deadline and the city's answer (市の回答);
- ``links``: links to measures (施策), kept with their history when undone;
- ``record``: reading all of it back (the proposal page's 「市の対応」, the measure page);
- ``models``: the rows behind them.

Proposal services and the staff console both call these; nothing here imports the console.
"""
