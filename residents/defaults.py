"""The special-care groups every deployment starts with (the domain's nine), their visit
intervals per level and the roles that see them. Migration 0002 installs the same rows; this
function puts back any that are missing (after a test flush, or before seeding the demo)."""

from __future__ import annotations

from django.db import transaction

# Roles that see every group by default; a department handler sees a group only where a row
# names their department type.
STAFF_ROLES = (
    "grid_worker", "grid_leader", "community_staff", "street_dispatcher", "district_dispatcher",
    "leader",
)  # fmt: skip
# Department types whose handlers see a group (migration 0004 installs the same rows).
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
# code, name, days between visits at levels 1, 2, 3.
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


@transaction.atomic
def install_default_groups() -> None:
    """Create the default groups, intervals and visibility rows that do not exist yet; never
    changes what an administrator set."""
    from residents.models import CareGroup, CareGroupAccess, CareInterval

    if CareGroup.objects.filter(code__in=[code for code, _n, _d in GROUPS]).count() == len(GROUPS):
        return
    for order, (code, name, days) in enumerate(GROUPS, start=1):
        group, created = CareGroup.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        if not created:
            continue
        CareInterval.objects.bulk_create(
            CareInterval(group=group, level=level, days=interval)
            for level, interval in enumerate(days, start=1)
        )
        CareGroupAccess.objects.bulk_create(
            [CareGroupAccess(group=group, role=role) for role in STAFF_ROLES]
            + [
                CareGroupAccess(group=group, role="department_handler", department_type=kind)
                for kind in DEPARTMENT_ACCESS.get(code, ())
            ]
        )
