"""Reading export files into one ``SourceRecord`` per order.

JSON Lines and CSV files are streamed: one line or one order's rows at a time
are in memory, whatever the size of the file. A JSON file is parsed whole by
``json.load``, so it costs memory in proportion to its size (several times
the file's size in Python objects); large exports should use JSON Lines.
"""

import csv
import json
from pathlib import Path

from orders.importing.records import (
    CSV_COLUMNS,
    CSV_HEADER_COLUMNS,
    CSV_OPTIONAL_COLUMNS,
    ArrayIndex,
    CsvRows,
    FileLine,
    Problem,
    SourceRecord,
)

FORMATS = ("json", "jsonl", "csv")
UTF_16_MARKS = (b"\xff\xfe", b"\xfe\xff")
TOO_DEEP = "nests arrays and objects too deeply to be an export"
FORMAT_BY_SUFFIX = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}


class UnreadableFile(Exception):
    """A whole file could not be read; ``location`` and ``field`` say where."""

    code = "unreadable_file"

    def __init__(self, reason, *, location="", field=""):
        super().__init__(reason)
        self.reason = reason
        self.location = location
        self.field = field


class UnknownFormat(UnreadableFile):
    code = "unknown_format"


def format_of(path, requested=None):
    """The format to read ``path`` in: the requested one, or by extension."""
    if requested:
        return requested
    try:
        return FORMAT_BY_SUFFIX[Path(path).suffix.lower()]
    except KeyError:
        raise UnknownFormat(
            f"cannot tell the format from the extension {Path(path).suffix!r}; "
            f"name the file .json, .jsonl or .csv, or pass --format"
        ) from None


def read_records(path, file_format):
    """Yield the ``SourceRecord`` of every order in the file.

    Raises ``UnreadableFile`` when the file as a whole cannot be read (it
    does not exist, is empty or UTF-16, is not a JSON array of orders, or has
    an unknown or missing CSV column); records already yielded stay valid.

    Bytes that are not UTF-8 are read as lone surrogates (``surrogateescape``)
    so that validation rejects the one record and field that holds them, and
    names it, instead of the whole file.
    """
    reader = {"json": _read_json, "jsonl": _read_json_lines, "csv": _read_csv}[
        file_format
    ]
    name = str(path)
    try:
        with open(path, "rb") as binary:
            start = binary.read(2)
        if not start:
            raise UnreadableFile("is empty")
        if start in UTF_16_MARKS:
            raise UnreadableFile("is UTF-16 text; save it as UTF-8", location="line 1")
        with open(
            path, encoding="utf-8-sig", errors="surrogateescape", newline=""
        ) as stream:
            yield from reader(stream, name)
    except OSError as error:
        raise UnreadableFile(f"cannot be read: {error.strerror}") from error


def _read_json(stream, name):
    try:
        document = json.load(stream)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"is not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})"
        ) from error
    except RecursionError as error:
        raise UnreadableFile(TOO_DEEP) from error
    orders = document.get("orders") if isinstance(document, dict) else document
    if not isinstance(orders, list):
        raise UnreadableFile(
            'must hold an array of orders, or an object with an "orders" array'
        )
    # Each order is dropped from the list once read, so the parsed document
    # shrinks while the import proceeds.
    for index in range(len(orders)):
        data, orders[index] = orders[index], None
        yield SourceRecord(name, ArrayIndex(index), data, line_count=_count_lines(data))


def _read_json_lines(stream, name):
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield SourceRecord(
                name,
                FileLine(number),
                None,
                [
                    Problem(
                        (), f"is not valid JSON: {error.msg} (column {error.pos + 1})"
                    )
                ],
            )
            continue
        except RecursionError:
            yield SourceRecord(name, FileLine(number), None, [Problem((), TOO_DEEP)])
            continue
        yield SourceRecord(name, FileLine(number), data, line_count=_count_lines(data))


def _count_lines(data):
    lines = data.get("lines") if isinstance(data, dict) else None
    return len(lines) if isinstance(lines, list) else 0


def _read_csv(stream, name):
    """Group consecutive rows of one order (same sellerId and orderId).

    Rows of one order must follow each other; an order whose rows are split
    by another order's is read as two exports of it, the second of which is
    then compared with the first.
    """
    reader = csv.reader(stream)
    columns = next(reader, None)
    if columns is None:
        return
    unknown = [column for column in columns if column not in CSV_COLUMNS]
    if unknown:
        # A misspelt optional column would otherwise be dropped in silence.
        raise UnreadableFile(
            "unknown column"
            + ("s" if len(unknown) > 1 else "")
            + f"; the columns are {', '.join(CSV_COLUMNS)}",
            location="row 1",
            field=", ".join(unknown),
        )
    missing = [
        column
        for column in CSV_COLUMNS
        if column not in columns and column not in CSV_OPTIONAL_COLUMNS
    ]
    if missing:
        raise UnreadableFile(
            "missing column" + ("s" if len(missing) > 1 else ""),
            location="row 1",
            field=", ".join(missing),
        )
    index_of = {
        column: columns.index(column) for column in CSV_COLUMNS if column in columns
    }

    group_key = None
    group_rows = []
    for row_number, values in enumerate(reader, start=2):
        if not values:
            continue
        row = _row_values(values, index_of)
        key = (row.get("sellerId"), row.get("orderId"))
        if group_rows and key != group_key:
            yield _csv_record(name, group_rows)
            group_rows = []
        group_key = key
        group_rows.append((row_number, row, len(values), len(columns)))
    if group_rows:
        yield _csv_record(name, group_rows)


def _row_values(values, index_of):
    return {
        column: values[index] if index < len(values) else None
        for column, index in index_of.items()
    }


def _csv_record(name, group_rows):
    first_row = group_rows[0][1]
    problems = []
    header = {
        key: first_row[column]
        for key, column in CSV_HEADER_COLUMNS.items()
        if first_row.get(column) is not None
    }
    lines = []
    for index, (_, row, width, expected_width) in enumerate(group_rows):
        if width != expected_width:
            problems.append(
                Problem(
                    ("lines", index, "fields"),
                    f"the row has {width} fields; the header has {expected_width}",
                )
            )
        for key, column in CSV_HEADER_COLUMNS.items():
            if index and row[column] is not None and row[column] != first_row[column]:
                problems.append(
                    Problem(
                        ("lines", index, "header", key),
                        f"{row[column]!r} disagrees with {first_row[column]!r} "
                        f"on row {group_rows[0][0]} of the same order",
                    )
                )
        line = {
            "orderLineId": row["orderLineId"],
            "sellerProductId": row["sellerProductId"],
            "productTitle": row.get("productTitle") or "",
            "quantity": row["quantity"],
            "unitPrice": row["unitPrice"],
            "status": row["lineStatus"],
        }
        cancellation = {
            "initiator": row.get("cancellationInitiator") or "",
            "reason": row.get("cancellationReason") or "",
            "requestedAt": row.get("cancellationRequestedAt") or "",
        }
        if any(cancellation.values()):
            line["cancellationRequest"] = cancellation
        lines.append(line)
    header["lines"] = lines
    return SourceRecord(
        name,
        CsvRows(tuple(row_number for row_number, *_ in group_rows)),
        header,
        problems,
        line_count=len(lines),
        text_values=True,
    )
