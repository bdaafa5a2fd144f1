"""Trust: two-sided reviews revealed together (and, beside them, the trust score's engine).

Writes (``services``): ``review_submit``, ``review_edit``, ``review_reply``, ``review_report``,
``review_hide``, and the periodic ``reviews_reveal_due`` and ``review_reminders_send``. Reads
(``selectors``). Pure rules with no database in them (``rules``): who may review when, the tags
of each role, the limits, the value bands.
"""
