"""Drop the two indexes on transfers that no query of the ledger uses (checked with EXPLAIN on
PostgreSQL): the plain index on ``pending_id``, which the partial unique index
``ledger_pending_resolved_once`` on the same column serves for every lookup (``pending_id = x``
implies it is not null), and the ``varchar_pattern_ops`` index that ``unique=True`` adds for LIKE
on ``key``, which is only ever looked up by equality. Each insert then maintains nine indexes
instead of eleven.

The index on ``pending_id`` is dropped by name: an AlterField of the foreign key would drop every
index on the column, the partial unique one with it.
"""

import django.db.models.deletion
from django.db import migrations, models

PENDING_INDEX = "ledger_transfer_pending_id_d4b0cd6d"


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.UniqueConstraint(fields=("key",), name="ledger_transfer_key_unique"),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="key",
            field=models.CharField(max_length=120, verbose_name="id"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="transfer",
                    name="pending",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="resolutions",
                        to="ledger.transfer",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {PENDING_INDEX}",
                    reverse_sql=f"CREATE INDEX {PENDING_INDEX} ON ledger_transfer (pending_id)",
                ),
            ],
        ),
    ]
