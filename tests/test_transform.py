"""Resource -> record: flattening, snake_case, conformance to the schema, and what gets reported."""

import pytest

from tap_kustomer.catalog import load_schema
from tap_kustomer.streams import STREAMS
from tap_kustomer.transform import RecordMaker, snake

SCHEMA = {
    "type": ["null", "object"],
    "properties": {
        "id": {"type": "string"},
        "type": {"type": ["null", "string"]},
        "updated_at": {"type": ["null", "string"], "format": "date-time"},
        "message_count_by_channel": {
            "type": ["null", "object"],
            "properties": {"email": {"type": ["null", "integer"]}},
        },
        "count": {"type": ["null", "integer"]},
        "score": {"type": ["null", "number"]},
        "flag": {"type": ["null", "boolean"]},
        "name": {"type": ["null", "string"]},
        "emails": {
            "type": ["null", "array"],
            "items": {"type": "object", "properties": {"email": {"type": ["null", "string"]}}},
        },
        "custom": {"type": ["null", "object"], "additionalProperties": True},
        "org": {
            "type": ["null", "object"],
            "properties": {"type": {"type": ["null", "string"]}, "id": {"type": ["null", "string"]}},
        },
        "assigned_users": {"type": ["null", "array"], "items": {}},
        "links": {"type": ["null", "object"], "additionalProperties": True},
    },
}


def resource(**attributes):
    return {
        "type": "customer",
        "id": "5822a4a5aa5f92110005d69a",
        "attributes": attributes,
        "relationships": {
            "org": {"links": {"self": "/v1/orgs/1"}, "data": {"type": "org", "id": "1"}},
            "messages": {"links": {"self": "/v1/customers/x/messages"}},
            "modifiedBy": {"links": {"self": "/v1/users/2"}, "data": None},
            "assignedUsers": {"data": [{"type": "user", "id": "u1"}, {"type": "user", "id": "u2"}]},
        },
        "links": {"self": "/v1/customers/5822a4a5aa5f92110005d69a"},
    }


@pytest.mark.parametrize(
    "camel, expected",
    [
        ("messageCountByChannel", "message_count_by_channel"),
        ("brandStr", "brand_str"),
        ("os00Str", "os00_str"),
        ("updatedAt", "updated_at"),
        ("already_snake", "already_snake"),
        ("HTTPCode", "http_code"),
        ("id", "id"),
    ],
)
def test_snake(camel, expected):
    assert snake(camel) == expected


def test_flattening_and_relationships():
    make = RecordMaker(SCHEMA)
    record = make(
        resource(
            name="Zoë 東京",
            updatedAt="2016-11-09T04:23:01.925Z",
            messageCountByChannel={"email": 3},
            custom={"brandStr": "x", "orderNum": 2},
        )
    )
    assert record == {
        "id": "5822a4a5aa5f92110005d69a",
        "type": "customer",
        "name": "Zoë 東京",
        "updated_at": "2016-11-09T04:23:01.925Z",
        "message_count_by_channel": {"email": 3},
        "custom": {"brand_str": "x", "order_num": 2},
        "org": {"type": "org", "id": "1"},
        "assigned_users": [{"type": "user", "id": "u1"}, {"type": "user", "id": "u2"}],
        "links": {"self": "/v1/customers/5822a4a5aa5f92110005d69a"},
    }
    assert make.report.summary() == ""


def test_values_conform_or_are_left_out_and_counted():
    make = RecordMaker(SCHEMA)
    record = make(
        resource(
            updatedAt="2016-11-06T13:54:29-05:00",
            count=3.0,
            score=2,
            flag="no",
            name={"a": 1},
            emails=[{"email": "a@b.c", "extra": 1}, "junk"],
            surprise=1,
        )
    )
    assert record["updated_at"] == "2016-11-06T18:54:29.000Z"  # offset -> UTC
    assert record["count"] == 3 and isinstance(record["count"], int)
    assert record["score"] == 2
    assert "flag" not in record and "name" not in record  # "no" is no boolean, a dict no string
    assert record["emails"] == [{"email": "a@b.c"}]
    summary = make.report.summary()
    assert "surprise x1" in summary and "emails[].extra x1" in summary
    assert "flag x1" in summary and "name x1" in summary and "emails[] x1" in summary


def test_fractional_integer_and_bad_dates_are_not_coerced():
    make = RecordMaker(SCHEMA)
    record = make(resource(count=1.9, updatedAt="yesterday"))
    assert "count" not in record and "updated_at" not in record
    assert make.report.invalid["count"] == 1 and make.report.invalid["updated_at"] == 1


def test_selection_drops_unselected_fields_silently():
    make = RecordMaker(SCHEMA, selected={"id", "updated_at", "name"})
    record = make(resource(name="n", count=1, updatedAt="2016-11-09T04:23:01.925Z"))
    assert record == {"id": "5822a4a5aa5f92110005d69a", "name": "n", "updated_at": "2016-11-09T04:23:01.925Z"}
    assert make.report.summary() == ""


def test_attribute_wins_over_relationship_of_the_same_name():
    make = RecordMaker(SCHEMA)
    res = resource()
    res["attributes"]["org"] = {"type": "org", "id": "from-attributes"}
    assert make(res)["org"]["id"] == "from-attributes"


def test_every_stream_schema_compiles_and_kobjects_get_klass_name():
    for name, stream in STREAMS.items():
        make = RecordMaker(load_schema(name), derive=stream.derive)
        head, *tail = (stream.replication_key or "updated_at").split("_")
        record = make(
            {
                "type": "kobject.order" if name == "kobjects" else name[:-1],
                "id": "x" * 24,
                "attributes": {head + "".join(t.title() for t in tail): "2024-01-01T00:00:00.000Z"},
            }
        )
        if stream.replication_key:
            assert record[stream.replication_key] == "2024-01-01T00:00:00.000Z"
        if name == "kobjects":
            assert record["klass_name"] == "order"


def test_a_null_structured_object_is_left_out_and_a_null_open_one_kept():
    make = RecordMaker(SCHEMA)
    record = make(resource(messageCountByChannel=None, custom=None, name=None))
    assert "message_count_by_channel" not in record  # singer-check-tap crashes on null objects with subfields
    assert record["custom"] is None and record["name"] is None
    assert make.report.summary() == ""


def test_a_day_past_its_months_end_is_left_out_not_passed_through():
    make = RecordMaker(SCHEMA)
    for stamp in ("2024-02-30T00:00:00Z", "2023-02-29T10:00:00.000Z", "2024-11-31T08:00:00.000Z"):
        record = make(resource(updatedAt=stamp))
        assert "updated_at" not in record, stamp
    assert make.report.invalid["updated_at"] == 3
    assert make(resource(updatedAt="2024-02-29T10:00:00.000Z"))["updated_at"] == "2024-02-29T10:00:00.000Z"


def test_a_date_time_with_fields_out_of_range_is_left_out():
    make = RecordMaker(SCHEMA)
    record = make(resource(updatedAt="2024-13-45T99:99:99.000Z"))
    assert "updated_at" not in record and make.report.invalid["updated_at"] == 1


@pytest.mark.parametrize(
    "stream, other, name, column",
    [
        ("kobjects", "reopenFromDoneCount", "reopenDoneCount", "reopen_done_count"),
        ("klasses", "displayname", "displayName", "display_name"),
        ("satisfaction_surveys", "modified", "modifiedAt", "modified_at"),
        ("companies", "extenalId", "externalId", "external_id"),
    ],
)
def test_a_name_kustomer_spells_two_ways_lands_in_one_column(stream, other, name, column):
    """The description's schema and its own examples spell these differently: either spelling is
    written to the schema's column, and when a record has both, the schema's own spelling wins."""
    declared = STREAMS[stream]
    make = RecordMaker(load_schema(stream), derive=declared.derive, aliases=declared.aliases)
    value, better = {
        "reopen_done_count": (3, 4),
        "modified_at": ("2024-01-01T00:00:00.000Z", "2024-02-02T00:00:00.000Z"),
    }.get(column, ("Order", "Orders"))
    one = make({"type": stream, "id": "x" * 24, "attributes": {other: value}})
    assert one[column] == value and snake(other) not in one
    both = {"type": stream, "id": "x" * 24, "attributes": {other: value, name: better}}
    assert make(both)[column] == better
    assert make({"type": stream, "id": "x" * 24, "attributes": {other: value, name: None}})[column] == value
    assert make.report.summary() == ""  # nothing dropped: the other spelling is not an unknown field


def test_sla_metrics_keep_every_key_the_policy_has():
    """sla.metrics is a map: its keys vary by SLA policy, and an unknown one is kept like the rest,
    snake_cased, its dates conformed, whatever else it carries kept too."""
    make = RecordMaker(load_schema("conversations"))
    metrics = {
        "firstResponse": {"breachAt": "2025-01-02T03:04:05.678Z", "satisfiedAt": None},
        "followUpAfterHoursV2": {"breachAt": "2025-01-02T03:04:05+01:00", "satisfiedAt": "nonsense", "paused": True},
        "brokenMetric": "not an object",
    }
    record = make({"type": "conversation", "id": "c1", "attributes": {"sla": {"metrics": metrics, "breached": False}}})
    assert record["sla"]["metrics"] == {
        "first_response": {"breach_at": "2025-01-02T03:04:05.678Z", "satisfied_at": None},
        "follow_up_after_hours_v2": {"breach_at": "2025-01-02T02:04:05.000Z", "paused": True},
    }
    assert make.report.invalid == {"sla.metrics.*": 1, "sla.metrics.*.satisfied_at": 1}
    assert not make.report.unknown
