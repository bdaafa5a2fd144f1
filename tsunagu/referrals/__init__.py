"""Referrals (紹介): mutual connections, introductions of a worker to a client or of a job to a
peer, their outcomes (computed from proposals and contracts), an optional reward paid through
the ledger, "who can introduce me" and cross-trade suggestions."""
