"""Importing boundaries from a GeoJSON FeatureCollection: all or nothing, with a clear report."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from grids.models import Area
from tests.factories import box


def feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def write(tmp_path, data) -> str:
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("import_boundaries", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), exc.returncode
    return out.getvalue(), 0


A_WEST_HALF = box(111.20, 30.60, 111.21, 30.64)
A2_WIDER = box(111.21, 30.60, 111.24, 30.64)  # takes the strip A gives up


def test_a_clean_file_updates_every_matched_area_in_one_go(world, tmp_path):
    path = write(
        tmp_path,
        collection(
            feature({"code": world.grid_a.code}, A_WEST_HALF),
            feature({"name": "四方堰第二网格"}, A2_WIDER),  # matched by its unique name
        ),
    )

    output, code = run(path)

    assert code == 0
    assert "2 features: 2 updated, 0 unchanged, 0 not matched, 0 rejected." in output
    world.grid_a.refresh_from_db()
    world.grid_a2.refresh_from_db()
    assert world.grid_a.boundary == A_WEST_HALF
    assert world.grid_a2.boundary == A2_WIDER  # checked against A's new boundary, not its old


def test_unmatched_features_are_reported_and_nothing_is_saved(world, tmp_path):
    before = world.grid_a.boundary
    path = write(
        tmp_path,
        collection(
            feature({"code": world.grid_a.code}, A_WEST_HALF),
            feature({"code": "420502009009009"}, box(0, 0, 1, 1)),
            feature({"name": "不存在的网格"}, box(0, 0, 1, 1)),
            feature({"other": "x"}, box(0, 0, 1, 1)),
        ),
    )

    output, code = run(path)

    assert code == 1
    assert "4 features: 0 updated, 0 unchanged, 3 not matched, 0 rejected." in output
    assert "#2 420502009009009: No area has the code 420502009009009." in output
    assert "#3 不存在的网格: No area is named 不存在的网格." in output
    assert '#4 —: The feature has neither a "code" nor a "name" property.' in output
    assert "Nothing saved." in output
    world.grid_a.refresh_from_db()
    assert world.grid_a.boundary == before


def test_skip_invalid_saves_the_good_features_and_still_reports_the_rest(world, tmp_path):
    path = write(
        tmp_path,
        collection(
            feature({"code": world.grid_a.code}, A_WEST_HALF),
            feature({"code": world.grid_b.code}, box(111.10, 30.60, 111.12, 30.64)),  # outside
        ),
    )

    output, code = run(path, "--skip-invalid")

    assert code == 1
    assert "1 updated" in output
    assert "1 rejected" in output
    assert "#2 420502002001001: The boundary extends" in output
    assert "Saved." in output
    world.grid_a.refresh_from_db()
    assert world.grid_a.boundary == A_WEST_HALF


def test_a_dry_run_reports_without_saving(world, tmp_path):
    path = write(tmp_path, collection(feature({"code": world.grid_a.code}, A_WEST_HALF)))
    output, code = run(path, "--dry-run")
    assert code == 0
    assert "Nothing saved." in output
    world.grid_a.refresh_from_db()
    assert world.grid_a.boundary != A_WEST_HALF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "The file is not valid JSON."),
        ('{"type": "Feature"}', "The file must hold a GeoJSON FeatureCollection."),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(world, tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    output, code = run(str(path))
    assert code == 1
    assert message in output


def test_an_unreadable_path_is_reported(world, tmp_path):
    output, code = run(str(tmp_path / "missing.geojson"))
    assert code == 1
    assert "Cannot read" in output


def test_the_import_page_shows_the_same_report(world, client_for):
    data = collection(
        feature({"code": world.grid_a.code}, A_WEST_HALF),
        feature({"code": "420502009009009"}, box(0, 0, 1, 1)),
    )
    upload = SimpleUploadedFile(
        "boundaries.geojson", json.dumps(data).encode(), content_type="application/geo+json"
    )
    response = client_for("admin").post(
        "/territory/import/",
        {"file": upload, "code_property": "code", "name_property": "name"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No area has the code 420502009009009." in html
    assert "Nothing saved" in html
    assert Area.objects.get(pk=world.grid_a.pk).boundary != A_WEST_HALF
