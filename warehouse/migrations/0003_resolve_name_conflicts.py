"""Rename or soft-delete the live views and tables whose names clash case-insensitively (before 0004's indexes).

The rules are warehouse/name_conflicts.py's: a table named like a core table, and the older of same-named
tables, are soft-deleted (the engine held one table for them, the newest); a clashing view is renamed
`<name>_<n>`. Names are compared with lower(), as 0004's unique indexes compare them. Runs in its own
migration (own transaction) so that PostgreSQL builds the indexes after these updates have committed.
"""

from django.db import migrations


def resolve(apps, schema_editor):
    from warehouse.name_conflicts import resolve_name_conflicts

    resolve_name_conflicts(
        apps.get_model("warehouse", "SavedQuery"), apps.get_model("warehouse", "WarehouseTable"), key=str.lower
    )


class Migration(migrations.Migration):
    dependencies = [("warehouse", "0002_materialization_and_loading")]

    operations = [migrations.RunPython(resolve, migrations.RunPython.noop)]
