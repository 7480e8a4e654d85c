from django.db import migrations


def load(apps, schema_editor):
    from accompagnement.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0003_search_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
