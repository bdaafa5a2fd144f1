"""Put the worker profiles that existed before search into the index (same text as
tsunagu.jobs.services.profile_index)."""

from django.db import migrations

from tsunagu.jobs.tokenize import token_string


def index(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    Document = apps.get_model("jobs", "ProfileSearchDocument")
    vendor = schema_editor.connection.vendor
    profiles = Profile.objects.filter(is_worker=True, user__is_active=True).prefetch_related(
        "skills"
    )
    for profile in profiles.iterator(chunk_size=500):
        parts = [profile.display_name, profile.display_name, profile.headline, profile.bio]
        for skill in profile.skills.all():
            parts += [skill.name_ja, skill.name_en]
        parts += [str(tag) for tag in (profile.tags or [])]
        tokens = token_string("\n".join(parts))
        Document.objects.update_or_create(profile_id=profile.pk, defaults={"tokens": tokens})
        if vendor == "sqlite":
            schema_editor.execute(
                "INSERT INTO jobs_profile_fts(rowid, tokens) VALUES (%s, %s)", [profile.pk, tokens]
            )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_seed_categories"), ("profiles", "0003_portfolio_original_name")]

    operations = [migrations.RunPython(index, migrations.RunPython.noop)]
