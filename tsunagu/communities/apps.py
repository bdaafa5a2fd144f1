from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "tsunagu.communities"
    label = "communities"
    verbose_name = _("communities")

    def ready(self) -> None:
        # jobs learns who is in which community, and trust learns endorsements and
        # participation, through registries in those lower apps.
        from tsunagu.communities import selectors
        from tsunagu.jobs import audience
        from tsunagu.trust import sources

        audience.audience_register(selectors.community_ids_for_user)
        sources.edge_source_register("communities", selectors.trust_edges)
        sources.contribution_source_register("communities", selectors.trust_contributions)
