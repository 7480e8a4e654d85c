from django.db import migrations


def load(apps, schema_editor):
    from parcours.data import load_path_reference_data

    load_path_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("parcours", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
