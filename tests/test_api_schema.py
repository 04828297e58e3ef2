"""The committed OpenAPI schema does not depend on the database it was generated against."""

from governance.api import drop_backend_integer_bounds


def test_bounds_that_only_reflect_the_database_backend_are_dropped():
    schema = {
        "components": {
            "schemas": {
                "Event": {
                    "properties": {
                        "reopen_count": {"type": "integer", "minimum": 0,
                                         "maximum": 9223372036854775807, "format": "int64"},
                        "small": {"type": "integer", "maximum": 32767},
                        "level": {"allOf": [{"$ref": "#/x"}], "minimum": 0, "maximum": 2147483647},
                        "interval_days": {"type": "integer", "minimum": 1, "maximum": 366},
                    }
                }
            }
        }
    }  # fmt: skip

    properties = drop_backend_integer_bounds(schema, None, None, True)["components"]["schemas"][
        "Event"
    ]["properties"]

    assert properties["reopen_count"] == {"type": "integer", "minimum": 0}
    assert properties["small"] == {"type": "integer"}
    assert properties["level"] == {"allOf": [{"$ref": "#/x"}], "minimum": 0}
    assert properties["interval_days"] == {"type": "integer", "minimum": 1, "maximum": 366}
