from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0009_display_name_read_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="ownerprofile",
            name="hidden_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
