from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    name = "tsunagu.qa"
    label = "qa"
    verbose_name = _("ask an expert")

    def ready(self) -> None:
        # Answers and best answers count a little toward trust; the trust app caps them.
        from tsunagu.qa.audience import audience_rule_register
        from tsunagu.qa.membership import members_only
        from tsunagu.qa.selectors import contributions
        from tsunagu.trust.sources import contribution_source_register

        contribution_source_register("qa", contributions)
        # A community question is seen by that community's active members (and staff) only.
        audience_rule_register("communities", members_only)
