# ruff: noqa: S106 (throwaway passwords of a rolled-back benchmark)
"""Time the searches community staff make, at city scale.

    DATABASE_URL=postgres://... .venv/bin/python bench/residents_search.py [--residents 300000]

Fills a scratch district (20 communities x 6 grids) with residents through bulk inserts of
fully prepared rows (encrypted, hashed, pinyin), runs ANALYZE, then times each kind of search
as a community staffer and as a district-wide user. Everything is rolled back at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from governance.accounts.models import User  # noqa: E402
from governance.accounts.roles import Role  # noqa: E402
from governance.accounts.services import role_assign  # noqa: E402
from grids.choices import AreaLevel  # noqa: E402
from grids.models import Area  # noqa: E402
from residents.identity import check_digit  # noqa: E402
from residents.models import Resident  # noqa: E402
from residents.selectors import residents_for  # noqa: E402
from residents.services.people import identity_lookup, pinyin_of  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆芳娜敏静丽艳娟霞秀英慧巧美玲"


class Rollback(Exception):
    pass


def fill(grids: list[Area], count: int, rng: random.Random) -> tuple[str, str, str]:
    """Insert ``count`` residents; return a (name, phone, ID number) that exists."""
    batch, sample = [], None
    for n in range(count):
        first17 = f"420502{1940 + n % 75}{n % 12 + 1:02d}{n % 28 + 1:02d}{n // 2100:03d}"
        number = first17 + check_digit(first17)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        phone = f"139{n:08d}"
        resident = Resident(grid=grids[n % len(grids)], name=name, ethnicity="01")
        resident.name_initials, resident.name_pinyin = pinyin_of(name)
        resident.protect("id_number", number, lookup=identity_lookup("id_card", number))
        resident.protect("phone", phone)
        batch.append(resident)
        if n == count // 2:
            sample = (name, phone, number)
        if len(batch) == 5000:
            Resident.objects.bulk_create(batch)
            batch = []
    Resident.objects.bulk_create(batch)
    return sample


def timed(label: str, user, query: str, repeat: int = 5) -> None:
    times, found = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        page = list(residents_for(user, query=query)[:30])
        found = residents_for(user, query=query).count()
        times.append((time.perf_counter() - started) * 1000)
        assert page or not found
    print(f"  {label:<44} {statistics.median(times):7.1f} ms  ({found} matches)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=300_000)
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"database: {connection.vendor}, residents: {args.residents:,}")
    try:
        with transaction.atomic():
            from grids.services import area_create

            root = User.objects.create_superuser("bench-root", "", "bench-pass-2026-x")
            district = area_create(actor=root, level=AreaLevel.DISTRICT, code="429902", name="区")
            grids, communities = [], []
            for s in range(1, 5):
                street = area_create(actor=root, level=AreaLevel.STREET, code=f"429902{s:03d}",
                                     name=f"街道{s}", parent=district)  # fmt: skip
                for c in range(1, 6):
                    community = area_create(
                        actor=root, level=AreaLevel.COMMUNITY, code=f"{street.code}{c:03d}",
                        name=f"社区{s}{c}", parent=street,
                    )  # fmt: skip
                    communities.append(community)
                    for g in range(1, 7):
                        grids.append(area_create(
                            actor=root, level=AreaLevel.GRID, code=f"{community.code}{g:03d}",
                            name=f"网格{s}{c}{g}", parent=community,
                        ))  # fmt: skip
            started = time.perf_counter()
            name, phone, number = fill(grids, args.residents, rng)
            print(f"filled in {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE residents_resident")
            staff = User.objects.create_user("bench-staff", password="bench-pass-2026-x")
            role_assign(actor=root, user=staff, role=Role.COMMUNITY_STAFF, area=communities[0])
            leader = User.objects.create_user("bench-leader", password="bench-pass-2026-x")
            role_assign(actor=root, user=leader, role=Role.LEADER, area=district)
            initials = pinyin_of(name)[0]
            for who, user in (("community staff", staff), ("district leader", leader)):
                print(f"as {who}:")
                timed(f"full name {name}", user, name)
                timed(f"given name only ({name[1:]})", user, name[1:])
                timed(f"surname only ({name[0]})", user, name[0])
                timed(f"pinyin initials {initials}", user, initials)
                timed(f"last 4 digits of a phone ({phone[-4:]})", user, phone[-4:])
                timed("full phone", user, phone)
                timed("full ID number (keyed hash)", user, number)
            raise Rollback
    except Rollback:
        print("rolled back: nothing was kept")


if __name__ == "__main__":
    main()
