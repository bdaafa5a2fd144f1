"""Proposals, scouting, offers from proposals, interviews across time zones, response time.

Models (``tsunagu.proposals.models``)
    ``Proposal`` — a worker's answer to a job: cover letter, price (yen, tax excluded), schedule,
    delivery date, a few proposed milestones; status submitted → shortlisted → offered, or
    declined (with a reason template and a note) or withdrawn. One per worker and job.
    ``Interview`` with its ``InterviewSlot`` rows — one side proposes 3–5 times, the other books
    one; ``ResponseTime`` — each person's median first-reply time over 90 days, precomputed.

Writes (``services``): ``proposal_submit``, ``proposal_shortlist``, ``proposal_decline``,
``proposal_withdraw``, ``proposal_open_inquiry``, ``proposal_offer``, ``scout_send``,
``interview_propose``, ``interview_book``, ``interview_reminders_send``,
``response_times_refresh``. Reads (``selectors``). Pure helpers: ``slots`` (interview times in
the overlap of two schedules) and ``ics`` (RFC 5545 calendar files).
"""
