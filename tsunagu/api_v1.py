"""The REST API served at /api/v1: the API app's frame with each app's router mounted.

It lives at the project's level, beside urls.py, because it depends on every app; the apps
themselves only use the API app's shared pieces (auth, errors, schemas). Endpoints open to
anyone say ``auth=None`` themselves.
"""

from __future__ import annotations

from tsunagu.analytics.api import router as analytics_router
from tsunagu.api.account import router as account_router
from tsunagu.api.me import router as me_router
from tsunagu.api.ninja import api_create
from tsunagu.billing.api import router as billing_router
from tsunagu.communities.api import router as communities_router
from tsunagu.contracts.api import router as contracts_router
from tsunagu.income.api import router as income_router
from tsunagu.jobs.api import router as jobs_router
from tsunagu.messaging.api import router as messaging_router
from tsunagu.notifications.api import router as notifications_router
from tsunagu.payments.api import router as payments_router
from tsunagu.profiles.api import router as profiles_router
from tsunagu.proposals.api import router as proposals_router
from tsunagu.qa.api import router as qa_router
from tsunagu.referrals.api import router as referrals_router
from tsunagu.trust.api import router as trust_router
from tsunagu.trust.cards_api import router as cards_router
from tsunagu.trust.scores_api import router as trust_scores_router

api = api_create()
api.add_router("/me", me_router)
api.add_router("/account", account_router)
api.add_router("/profiles", profiles_router)
api.add_router("/jobs", jobs_router)
api.add_router("/proposals", proposals_router)
api.add_router("/wallet", payments_router)
api.add_router("/notifications", notifications_router)
api.add_router("/contracts", contracts_router)
api.add_router("/analytics", analytics_router)
api.add_router("/reviews", trust_router)
api.add_router("/trust", trust_scores_router)
api.add_router("/cards", cards_router)
api.add_router("/income", income_router)
api.add_router("/questions", qa_router)
api.add_router("/communities", communities_router)
api.add_router("/referrals", referrals_router)
api.add_router("/billing", billing_router)
api.add_router("", messaging_router)  # /rooms…, /tasks…, /me/tasks
