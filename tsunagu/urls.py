from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tsunagu.api import views as api_views
from tsunagu.api_v1 import api
from tsunagu.core import views as core_views
from tsunagu.web import views as web_views

admin.site.site_header = "Tsunagu staff"
admin.site.site_title = "Tsunagu staff"

urlpatterns = [
    path("", include("tsunagu.web.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("tsunagu.accounts.urls")),
    path("profiles/", include("tsunagu.profiles.urls")),
    path("settings/api-tokens/", include("tsunagu.api.urls")),
    path("payments/", include("tsunagu.payments.urls")),
    path("contracts/", include("tsunagu.contracts.urls")),
    path("messages/", include("tsunagu.messaging.urls")),
    path("notifications/", include("tsunagu.notifications.urls")),
    path("analytics/", include("tsunagu.analytics.urls")),
    path("income/", include("tsunagu.income.urls")),
    path("jobs/", include("tsunagu.jobs.urls")),
    path("proposals/", include("tsunagu.proposals.urls")),
    path("reviews/", include("tsunagu.trust.urls")),
    path("cards/", include("tsunagu.trust.card_urls")),
    path("questions/", include("tsunagu.qa.urls")),
    path("communities/", include("tsunagu.communities.urls")),
    path("referrals/", include("tsunagu.referrals.urls")),
    path("billing/", include("tsunagu.billing.urls")),
    path("staff/backups/", include("tsunagu.backups.urls")),
    path("account/data-export/", include("tsunagu.backups.export_urls")),
    path("api/v1/", api.urls),
    path("api/docs", api_views.api_docs, {"api": api}, name="api_docs"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", web_views.set_language, name="set_language"),
    path("bench/ok", core_views.bench_ok, name="bench_ok"),
]

handler403 = "tsunagu.web.views.permission_denied"
handler404 = "tsunagu.web.views.page_not_found"
handler500 = "tsunagu.web.views.server_error"

if settings.DEBUG:  # pragma: no cover
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
