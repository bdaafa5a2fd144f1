"""Jobs: what clients post, who may see it, and search over jobs and worker profiles.

Models (``tsunagu.jobs.models``)
    ``Job`` — a posting by ``client`` (a User). ``status`` is draft → open ⇄ closed
    (``JobStatus``); ``visibility`` is public, invite_only or community (``Visibility``; a community
    job has ``community`` and is seen by its client and that community's active members, whom
    ``jobs.audience`` asks the communities app about). ``kind`` is fixed, milestones or hourly (``JobKind``); amounts are yen:
    ``budget_min``/``budget_max`` are the total, or the hourly rate for hourly jobs, which also
    have ``weekly_hours_cap``. ``budget_estimate`` is what budget filters and sorting compare.
    ``category`` (``Category``, with ``withholding_applies`` for 源泉徴収), ``skills``
    (profiles.Skill), ``deadline``, ``workers_wanted``, an optional paid trial
    (``trial_description`` + ``trial_fee``), ``attachments`` (``JobAttachment``, private storage).
    ``JobInvitation`` (job, worker, invited_at) — a worker invited to a job; invite-only jobs are
    visible to their client and invited workers only. Scouting builds on it.
    ``SavedSearch`` / ``SavedSearchHit`` — saved queries with e-mail alerts, each job sent once.
    ``JobSearchDocument`` / ``ProfileSearchDocument`` — search tokens (see ``search.py``).

Reads (``tsunagu.jobs.selectors``) — use these rather than querying Job directly:
    ``jobs_visible_to(viewer=)`` every job a person may open (anonymous allowed);
    ``job_get_for_viewer(pk=, viewer=)`` one job or Http404 (invite-only looks missing to others);
    ``job_for_client(pk=, client=)`` a job the caller posted, or Http404;
    ``jobs_of_client(client=)``; ``job_search_queryset(viewer=, params=SearchParams(...))`` open
    jobs matching words and filters in order; ``job_search(...)`` one page of it with badges;
    ``worker_search(query=, page_number=)``; ``saved_searches_of(user=)``.

Writes (``tsunagu.jobs.services``), each one transaction, decisions audited:
    ``job_draft_save``, ``job_publish``, ``job_update``, ``job_close``, ``job_reopen``,
    ``job_invite``, ``job_attachment_add``/``remove``, ``saved_search_create``/``delete``,
    ``saved_search_alert`` (periodic ``jobs.saved_search_alerts``), ``search_reindex``
    (``tsunagu search reindex``). Publishing rules are in ``rules.publish_errors``.

Search: ``tokenize`` (no Django) turns text into NFKC-lowercased Latin words plus CJK bigrams and
unigrams; ``search`` stores the same token string in SQLite FTS5 or a PostgreSQL tsvector with
GIN and matches with AND, ranked by bm25 / ts_rank_cd. A job's index entry also carries markers
(listed = open and public, category, type, id window), kept by the services, so the search page
by relevance is answered from the index: it lists the newest ``SEARCH_LIMIT`` (1,000) matches,
ranked, and says "1,000+" when more match (``JobPage.capped``, ``count_capped`` in the API).
Profiles are indexed by signal receivers when the profiles app saves them.
"""
