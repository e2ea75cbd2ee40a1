from django.db import migrations

from conversations import reference_data


def seed(apps, schema_editor):
    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
