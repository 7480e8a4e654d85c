"""Seed data: the default retention rules and the processing activities of this application (read from
``cai.privacy.data`` so that the migration is easy to renumber)."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from cai.privacy.data import PROCESSING_ACTIVITIES, RETENTION_RULES, REVIEWED_ON, STAFF_SECURITY

    RetentionRule = apps.get_model("privacy", "RetentionRule")
    ProcessingActivity = apps.get_model("privacy", "ProcessingActivity")
    rules = {}
    for values in RETENTION_RULES:
        rule, _created = RetentionRule.objects.get_or_create(data_class=values["data_class"], defaults=values)
        rules[rule.data_class] = rule
    reviewed_on = dt.date.fromisoformat(REVIEWED_ON)
    for values in PROCESSING_ACTIVITIES:
        values = dict(values)
        rule = rules.get(values.pop("retention_rule", None))
        values.setdefault("security_measures", STAFF_SECURITY)
        ProcessingActivity.objects.get_or_create(
            name=values.pop("name"),
            defaults={**values, "retention_rule": rule, "last_reviewed_on": reviewed_on},
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_retention_register_breaches")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
