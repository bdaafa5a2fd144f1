from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "tsunagu.referrals"
    label = "referrals"
    verbose_name = _("referrals")

    def ready(self) -> None:
        # Introductions that led to a contract are local-trust edges of the network; a reward
        # promised by the client is paid when money of the resulting contract is released.
        from tsunagu.communities.selectors import fellow_member_ids
        from tsunagu.contracts.signals import milestone_paid
        from tsunagu.referrals import timers  # noqa: F401
        from tsunagu.referrals.peers import peer_source_register
        from tsunagu.referrals.rewards import on_milestone_paid
        from tsunagu.referrals.selectors import trust_edges
        from tsunagu.trust.sources import edge_source_register

        edge_source_register("referrals", trust_edges)
        # the members of one's communities are people one knows (introductions, trades)
        peer_source_register("communities", fellow_member_ids)
        milestone_paid.connect(
            on_milestone_paid, dispatch_uid="referrals.rewards.on_milestone_paid"
        )
