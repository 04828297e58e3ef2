# ruff: noqa: E501, S106 (a benchmark script: long data lines, throwaway passwords)
"""Time the residents Excel import at 10,000 rows (and a second import of the same file).

    DATABASE_URL=postgres://... .venv/bin/python bench/residents_import.py [--rows 10000]

Runs against a migrated database; everything it creates (a scratch district, an importer
account, the residents) is rolled back at the end, so it leaves nothing behind.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from governance.accounts.models import User  # noqa: E402
from governance.accounts.roles import Role  # noqa: E402
from governance.accounts.services import role_assign  # noqa: E402
from grids.choices import AreaLevel  # noqa: E402
from grids.services import area_create  # noqa: E402
from residents.identity import check_digit  # noqa: E402
from residents.models import Resident  # noqa: E402
from residents.services import HEADERS, residents_import_file  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆芳娜敏静丽艳娟霞秀英慧巧美玲桂兰萍红燕"


class Rollback(Exception):
    pass


def workbook(rows: int, grids: list[str], rng: random.Random) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    seen = set()
    for n in range(rows):
        while True:
            first17 = f"420502{rng.randint(1940, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
            if first17 not in seen:
                seen.add(first17)
                break
        household = n // 3
        sheet.append([
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), first17 + check_digit(first17),
            f"139{rng.randrange(10**8):08d}", "汉族", rng.choice(("户籍", "流动")),
            grids[household % len(grids)], f"{household // 40 + 1}栋", "1",
            f"{household % 40 // 4 + 1}{household % 4 + 1:02d}", "户主" if n % 3 == 0 else "子女", "",
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(2026)
    print(f"database: {connection.vendor}, rows: {args.rows}")
    try:
        with transaction.atomic():
            root = User.objects.create_superuser("bench-root", "", "bench-pass-2026-x")
            district = area_create(actor=root, level=AreaLevel.DISTRICT, code="429901", name="区")
            street = area_create(actor=root, level=AreaLevel.STREET, code="429901001",
                                 name="街道", parent=district)  # fmt: skip
            community = area_create(actor=root, level=AreaLevel.COMMUNITY, code="429901001001",
                                    name="社区", parent=street)  # fmt: skip
            grids = [
                area_create(actor=root, level=AreaLevel.GRID, code=f"429901001001{n:03d}",
                            name=f"第{n}网格", parent=community).code
                for n in range(1, 7)
            ]  # fmt: skip
            staff = User.objects.create_user("bench-staff", password="bench-pass-2026-x")
            role_assign(actor=root, user=staff, role=Role.COMMUNITY_STAFF, area=community)

            started = time.perf_counter()
            data = workbook(args.rows, grids, rng)
            made = time.perf_counter() - started
            print(f"workbook written: {len(data) / 1e6:.1f} MB in {made:.2f} s")

            for attempt in ("first import", "second import (same file)"):
                upload = SimpleUploadedFile("bench.xlsx", data)
                started = time.perf_counter()
                report = residents_import_file(actor=staff, upload=upload)
                took = time.perf_counter() - started
                print(
                    f"{attempt}: {took:.2f} s ({args.rows / took:,.0f} rows/s): "
                    f"{report.created} created, {len(report.unchanged)} already registered, "
                    f"{len(report.rejected_rows)} rejected"
                )
            print(f"residents in the scratch district: "
                  f"{Resident.objects.filter(grid__code__startswith='429901').count()}")  # fmt: skip
            raise Rollback
    except Rollback:
        print("rolled back: nothing was kept")


if __name__ == "__main__":
    main()
