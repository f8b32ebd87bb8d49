"""How stored events become bytes: the library's JSON transcoding, written by orjson.

Serialising every event is the workers' largest single cost after the simulation itself; orjson writes
the same JSON (compact, UTF-8, keys in order, the library's `{"_type_": ..., "_data_": ...}` wrappers for
datetimes) in about half the time. Reading stays with the library's decoder (it needs the object hook
that turns those wrappers back into values). A value orjson would write differently from the library
(a UUID, which orjson writes as a bare string) sends the event down the library's own path. The
mapper (`EventMapper`) takes a docket entry to the library's bytes without calling back into Python.

>>> from eventsourcing.persistence import DatetimeAsISO
>>> import datetime as dt
>>> t = OrjsonTranscoder(); t.register(DatetimeAsISO())
>>> data = {"date": "2016-07-14", "timestamp": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
>>> t.encode(data)
b'{"date":"2016-07-14","timestamp":{"_type_":"datetime_iso","_data_":"2026-01-01T00:00:00+00:00"}}'
>>> t.decode(t.encode(data)) == data
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, Mapper, StoredEvent, Transcoding
from eventsourcing.utils import get_topic

from sim.domain.matter import Matter

Record = tuple[UUID, int, str, bytes]  # a stored event's fields, in `StoredEvent`'s order

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


class OrjsonTranscoder(JSONTranscoder):
    """The library's JSON transcoder, encoding with orjson."""

    _utc_as_iso = False  # datetimes registered as the library's DatetimeAsISO

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._utc_as_iso = isinstance(self.types.get(datetime), DatetimeAsISO)

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        # Every event's timestamp (UTC) comes here: orjson writes it as `isoformat` does, five times faster
        if type(o) is datetime and o.tzinfo is UTC and self._utc_as_iso:
            return {"_type_": DatetimeAsISO.name, "_data_": orjson.dumps(o)[1:-1].decode()}
        return super()._encode_obj(o)

    def encode(self, obj: Any) -> bytes:
        if isinstance(obj, dict) and UUID not in map(type, obj.values()):
            try:
                # orjson's bytes keep the buffer it wrote into (8 KiB or more, whatever their length): an exact
                # copy, or a stored event costs its writer and an in-memory store twelve times its size
                return bytes(memoryview(orjson.dumps(obj, default=self._encode_obj, option=_OPTIONS)))
            except TypeError:
                pass  # e.g. an integer beyond 64 bits: the library's encoder takes it
        return super().encode(obj)


class EventMapper(Mapper[UUID]):
    """The library's mapper, with a shorter way to the same bytes for an event whose class has no
    schema version and whose timestamp is a datetime (every docket entry): the timestamp wrapped as
    the library's DatetimeAsISO wraps it, so orjson writes the state without a callback into Python
    (any other datetime still takes the transcoder's); the record made in one step. Anything else (a
    compressor, a cipher, a versioned class) goes the library's way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        transcoder = self.transcoder
        self._quick = isinstance(transcoder, OrjsonTranscoder) and transcoder._utc_as_iso \
            and not self.compressor and not self.cipher
        self._topics: dict[type, str | None] = {}  # class -> its topic (None: the library's way)
        self._typed: dict[type, bool] = {}  # class -> whether its declared fields rule out a UUID (`_without_uuids`)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        originator_id, version, topic, state = self.to_record(domain_event)
        record = object.__new__(StoredEvent)  # a frozen dataclass: its fields set as its __init__ would
        object.__setattr__(record, "__dict__", {"originator_id": originator_id, "originator_version": version,
                                                "topic": topic, "state": state})
        return record

    def to_record(self, domain_event: Any) -> Record:
        """The stored event as a plain tuple, (originator_id, originator_version, topic, state): what a worker
        sends the writer and `DocketStore.append` stores (a tenth of a `StoredEvent`'s pickling and unpickling
        cost: no object a row)."""
        cls = type(domain_event)
        topic = self._topics.get(cls, "")
        if topic == "":
            plain = self._quick and getattr(cls, "class_version", 1) == 1
            topic = self._topics[cls] = get_topic(cls) if plain else None
            self._typed[cls] = _without_uuids(cls)
        stamp = domain_event.__dict__.get("timestamp")
        if topic is None or type(stamp) is not datetime:
            r = super().to_stored_event(domain_event)
            return r.originator_id, r.originator_version, r.topic, r.state
        state = dict(domain_event.__dict__)
        originator_id, version = state.pop("originator_id"), state.pop("originator_version")
        encoded = _quick_state(state, stamp, self.transcoder._encode_obj, self._typed[cls]) \
            if stamp.tzinfo is UTC else None
        if encoded is None:
            state["timestamp"] = {"_type_": DatetimeAsISO.name, "_data_": stamp.isoformat()}
            encoded = self.transcoder.encode(state)
        return originator_id, version, topic, encoded


_STAMP = b',"timestamp":{"_type_":"' + DatetimeAsISO.name.encode() + b'","_data_":'


def _without_uuids(cls: type) -> bool:
    """True for a docket entry's class (`Matter.Entry`), whose fields are declared as text, numbers, flags,
    lists and plain dicts, none a UUID but the originator's id (not part of the state): its state need not
    be searched for one (about 2 us an event)."""
    if not (isinstance(cls, type) and issubclass(cls, Matter.Entry)) or not dataclasses.is_dataclass(cls):
        return False
    return not any("UUID" in str(f.type) for f in dataclasses.fields(cls) if f.name != "originator_id")


def _quick_state(state: dict[str, Any], stamp: datetime, default: Callable[[Any], Any],
                 typed: bool = False) -> bytes | None:
    """The bytes `OrjsonTranscoder.encode` writes for `state` whose last field is the UTC `timestamp`,
    made without a call back into Python: orjson writes the other fields, then the timestamp is appended
    wrapped as DatetimeAsISO wraps it (orjson writes a UTC datetime as `isoformat` does, in a fraction of
    its time). None when the state is not of that form (the transcoder's way then)."""
    if len(state) < 2 or next(reversed(state)) != "timestamp" or (not typed and UUID in map(type, state.values())):
        return None
    del state["timestamp"]
    try:
        body = orjson.dumps(state, default=default, option=_OPTIONS)
    except TypeError:  # a value only the library's encoder writes
        state["timestamp"] = stamp
        return None
    return b"".join((body[:-1], _STAMP, orjson.dumps(stamp), b"}}"))
