"""Which department types see which special-care groups by default, and a per-character name
index for one- and two-character searches.

1. Department handlers see a group only where a row names their department type: severe
   mental illness for health and police, community correction and resettlement for the
   judicial office (resettlement and drug rehabilitation also for police), the welfare groups
   for civil affairs. Administrators change these rows in the Django admin.
2. On PostgreSQL only: a GIN index on the characters of residents' names
   (``string_to_array(name, NULL)``), so a search for one character anywhere in a name (or
   two) is an index lookup, not a scan. The trigram index needs three characters to help.
"""

from django.db import migrations

NAME_CHARS_INDEX = "residents_resident_name_chars"

DEPARTMENT_ACCESS = {
    "severe_mental_illness": ("health", "police"),
    "community_correction": ("justice",),
    "released_prisoner": ("justice", "police"),
    "drug_rehabilitation": ("police", "health"),
    "empty_nest_elderly": ("civil_affairs",),
    "left_behind_child": ("civil_affairs",),
    "disabled": ("civil_affairs",),
    "low_income": ("civil_affairs",),
}


def forwards_access(apps, schema_editor):
    CareGroup = apps.get_model("residents", "CareGroup")
    CareGroupAccess = apps.get_model("residents", "CareGroupAccess")
    for group in CareGroup.objects.filter(code__in=DEPARTMENT_ACCESS):
        for department_type in DEPARTMENT_ACCESS[group.code]:
            CareGroupAccess.objects.get_or_create(
                group=group, role="department_handler", department_type=department_type
            )


def backwards_access(apps, schema_editor):
    apps.get_model("residents", "CareGroupAccess").objects.filter(
        role="department_handler", group__code__in=DEPARTMENT_ACCESS
    ).exclude(department_type="").delete()


def forwards_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME_CHARS_INDEX} ON residents_resident "
        "USING gin (string_to_array(name, NULL))"
    )


def backwards_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_CHARS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("residents", "0003_care_history_households_moves")]

    operations = [
        migrations.RunPython(forwards_access, backwards_access),
        migrations.RunPython(forwards_index, backwards_index, elidable=False),
    ]
