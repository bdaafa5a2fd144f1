"""``tsunagu demo``: demo people, then their jobs, proposals on those jobs, and completed,
reviewed contracts between them.

Safe to run again: a second run creates nothing and changes nothing. The password of every demo
account is ``tsunagu-demo``; it is for trying the site on one's own machine only and must never
be used on a public server.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from tsunagu.demo.billing import demo_billing_load
from tsunagu.demo.communities import demo_communities_load
from tsunagu.demo.income import demo_income_load
from tsunagu.demo.jobs import demo_jobs_load
from tsunagu.demo.people import DEMO_PASSWORD, PEOPLE, demo_person_load
from tsunagu.demo.proposals import demo_proposals_load
from tsunagu.demo.qa import demo_questions_load
from tsunagu.demo.referrals import demo_referrals_load
from tsunagu.demo.work import demo_work_load
from tsunagu.profiles.services import skill_taxonomy_ensure


class Command(BaseCommand):
    help = "Load demo people, profiles and portfolios (safe to run again; demo use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, no_progress: bool = False, **options: Any) -> None:
        skill_taxonomy_ensure()
        staff = demo_person_load(PEOPLE[0])
        for person in tqdm(
            PEOPLE[1:],
            desc="demo",
            unit="person",
            disable=no_progress,
            file=sys.stderr,
            initial=1,
            total=len(PEOPLE),
        ):
            demo_person_load(person, reviewer=staff)
        demo_jobs_load()
        demo_proposals_load()
        demo_income_load()
        demo_work_load()
        demo_questions_load()
        demo_communities_load()
        demo_referrals_load()
        demo_billing_load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(PEOPLE)} people."))
        self.stdout.write(f"Log in with any of these (password: {DEMO_PASSWORD}, demo only):")
        for email, role in (
            ("staff@tsunagu.example", "staff (admin)"),
            ("client@tsunagu.example", "client"),
            ("worker@tsunagu.example", "worker (and client)"),
        ):
            self.stdout.write(f"  {email:<28} {role}")
