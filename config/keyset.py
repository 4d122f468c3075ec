"""Keyset pagination: a page of a long listing costs the same wherever it is.

A listing is ordered by a few columns, all descending, ending with the primary key, and read
from an index in that order. "Next" and "Previous" carry the last (or first) row's key in the
URL (``?after=`` / ``?before=``) and the database seeks straight to it: no OFFSET, whatever the
depth. ``?page=N`` still works, for the page links people share and for "Last": when the total
is known (from a denormalised counter) it reads from whichever end of the index is nearer,
so the first and last pages cost the same and a middle page skips index entries only, never
rows. Only ids come back; the caller fetches the columns it prints for those ids.

It lives in ``config`` because every app pages this way (forum listings, notifications) and
the apps may not import one another freely (see the import-linter contracts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass
class KeysetPage:
    ids: list[int]
    number: int | None  # None when the page was reached by a cursor without a known number
    num_pages: int | None  # None when the total is not kept
    previous_query: str = ""
    next_query: str = ""
    first_query: str = ""
    last_query: str = ""

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous_query or self.next_query)


def _encode(values) -> str:
    parts = []
    for value in values:
        if isinstance(value, bool):
            parts.append("1" if value else "0")
        elif isinstance(value, datetime):
            parts.append(str((value - _EPOCH) // _MICROSECOND))
        else:
            parts.append(str(int(value)))
    return ".".join(parts)


def _decode(token: str, kinds: list[str]) -> list | None:
    parts = token.split(".")
    if len(parts) != len(kinds):
        return None
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return None
    values = []
    for number, kind in zip(numbers, kinds, strict=True):
        if kind == "bool":
            values.append(bool(number))
        elif kind == "time":
            try:
                values.append(_EPOCH + number * _MICROSECOND)
            except OverflowError:
                return None
        else:
            values.append(number)
    return values


def _kind(field) -> str:
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return "bool"
    if internal == "DateTimeField":
        return "time"
    return "int"


def _query(**params) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"?{urlencode(kept)}" if kept else "?"


def keyset_page(
    queryset: QuerySet,
    *,
    keys: list[str],
    per_page: int,
    params,
    total: int | None = None,
    extra: dict | None = None,
) -> KeysetPage:
    """One page of ``queryset`` ordered by ``keys`` (descending; the last must be "id").

    ``params`` is the request's GET; ``extra`` holds query parameters every link keeps (for
    example ``reveal``). ``total``, when known, gives page numbers and an exact last page.
    """
    model = queryset.model
    fields = [model._meta.get_field(key) for key in keys]
    kinds = [_kind(f) for f in fields]
    table = model._meta.db_table
    row = ", ".join(f'"{table}"."{f.column}"' for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    desc = [F(key).desc() for key in keys]
    asc = [F(key).asc() for key in keys]
    extra = extra or {}
    num_pages = max(1, math.ceil(total / per_page)) if total is not None else None

    def seek(op: str, cursor: list) -> QuerySet:
        # A row comparison, which the database answers as one seek into the ordered index; the
        # column names come from the model and the values travel as parameters.
        return queryset.filter(RawSQL(f"({row}) {op} ({marks})", cursor, output_field=BooleanField()))  # noqa: S611

    def fetch(qs: QuerySet, order, start: int, size: int) -> list[tuple]:
        return list(qs.order_by(*order).values_list(*keys)[start : start + size])

    number: int | None = None
    after = _decode(params.get("after", ""), kinds) if params.get("after") else None
    before = _decode(params.get("before", ""), kinds) if params.get("before") else None
    try:
        shown_number = int(params.get("n", ""))
    except ValueError:
        shown_number = None
    if after is not None:
        rows = fetch(seek("<", after), desc, 0, per_page + 1)
        has_next, rows, has_previous = len(rows) > per_page, rows[:per_page], True
        number = shown_number
    elif before is not None:
        rows = fetch(seek(">", before), asc, 0, per_page + 1)
        has_previous, rows, has_next = len(rows) > per_page, rows[:per_page][::-1], True
        number = shown_number
    else:
        wanted = params.get("page", "1")
        if wanted == "last":
            number = num_pages or 0
        else:
            try:
                number = int(wanted)
            except ValueError:
                number = 1
        if num_pages is not None:
            number = min(max(number, 1), num_pages)
        if number == 0:  # the last page, total unknown: the oldest rows
            rows = fetch(queryset, asc, 0, per_page)[::-1]
            has_previous, has_next, number = len(rows) == per_page, False, None
        elif total is not None and number > (num_pages + 1) // 2:
            # Nearer the end: read backwards from the end of the index.
            end_offset = max(0, total - number * per_page)
            size = total - (number - 1) * per_page - end_offset
            rows = fetch(queryset, asc, end_offset, size)[::-1]
            has_previous, has_next = number > 1, number < num_pages
        else:
            number = max(number, 1)
            rows = fetch(queryset, desc, (number - 1) * per_page, per_page + 1)
            has_next, rows, has_previous = len(rows) > per_page, rows[:per_page], number > 1
            if num_pages is not None:
                has_next = number < num_pages
    if number is not None and num_pages is not None:
        number = min(max(number, 1), num_pages)
    page = KeysetPage(ids=[r[-1] for r in rows], number=number, num_pages=num_pages)
    if rows and has_next:
        page.next_query = _query(after=_encode(rows[-1]), n=number + 1 if number else None, **extra)
    if rows and has_previous:
        page.previous_query = _query(before=_encode(rows[0]), n=number - 1 if number and number > 1 else None, **extra)
    if page.previous_query:
        page.first_query = _query(**extra)
    if has_next:
        page.last_query = _query(page=num_pages if num_pages else "last", **extra)
    return page
