"""Database extras the models cannot declare portably, and the initial special-care groups.

1. On PostgreSQL only: enable pg_trgm and index residents' names with a trigram GIN index, so
   ``name LIKE '%…%'`` stays fast at city scale (SQLite scans, which is fine for a laptop).
2. The access log refuses UPDATE (and, on PostgreSQL, DELETE) in the database itself, so not
   even a raw query edits it. (SQLite's test flush deletes rows, so DELETE stays allowed there.)
3. The nine special-care groups of the domain, their visit intervals per level, and which
   roles see them. Administrators change all three in the Django admin.
"""

from django.db import migrations

TRGM_INDEX = "residents_resident_name_trgm"

# code, name, (level-1, level-2, level-3 days between visits), roles that see the group.
STAFF_ROLES = (
    "grid_worker", "grid_leader", "community_staff", "street_dispatcher", "district_dispatcher",
    "leader",
)  # fmt: skip
GROUPS = [
    ("community_correction", "社区矫正对象", (7, 15, 30)),
    ("released_prisoner", "刑满释放安置帮教人员", (15, 30, 90)),
    ("drug_rehabilitation", "社区戒毒康复人员", (7, 15, 30)),
    ("severe_mental_illness", "严重精神障碍患者", (7, 14, 30)),
    ("key_youth", "重点青少年", (15, 30, 60)),
    ("empty_nest_elderly", "空巢老人", (7, 15, 30)),
    ("left_behind_child", "留守儿童", (15, 30, 60)),
    ("disabled", "残疾人", (15, 30, 90)),
    ("low_income", "低保对象", (30, 60, 90)),
]


def forwards_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON residents_resident "
        "USING gin (name gin_trgm_ops)"
    )


def backwards_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


def forwards_append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION residents_access_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'the access log is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        schema_editor.execute(
            "CREATE TRIGGER residents_access_log_append_only BEFORE UPDATE OR DELETE "
            "ON residents_accesslog FOR EACH ROW "
            "EXECUTE FUNCTION residents_access_log_append_only()"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER residents_access_log_no_update BEFORE UPDATE ON residents_accesslog "
            "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
        )


def backwards_append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS residents_access_log_append_only ON residents_accesslog"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS residents_access_log_append_only()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS residents_access_log_no_update")


def forwards_groups(apps, schema_editor):
    CareGroup = apps.get_model("residents", "CareGroup")
    CareInterval = apps.get_model("residents", "CareInterval")
    CareGroupAccess = apps.get_model("residents", "CareGroupAccess")
    for order, (code, name, days) in enumerate(GROUPS, start=1):
        group, _created = CareGroup.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        for level, interval in enumerate(days, start=1):
            CareInterval.objects.get_or_create(group=group, level=level, defaults={"days": interval})
        for role in STAFF_ROLES:
            CareGroupAccess.objects.get_or_create(group=group, role=role)


def backwards_groups(apps, schema_editor):
    apps.get_model("residents", "CareGroup").objects.filter(
        code__in=[code for code, _name, _days in GROUPS], memberships__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_registry")]

    operations = [
        migrations.RunPython(forwards_search, backwards_search, elidable=False),
        migrations.RunPython(forwards_append_only, backwards_append_only, elidable=False),
        migrations.RunPython(forwards_groups, backwards_groups),
    ]
