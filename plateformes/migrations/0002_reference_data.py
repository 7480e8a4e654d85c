from django.db import migrations


def load(apps, schema_editor):
    from plateformes.data import load_network_reference_data

    load_network_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("plateformes", "0001_initial"), ("accompagnement", "0004_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
