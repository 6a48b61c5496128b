"""A shipment request's body and errors, arranged as rows to read.

The body is kept exactly as the caller sent it, so it may be one parcel, a
list of parcels, or something that was refused for not being either.
"""

from dataclasses import dataclass

KNOWN_PARCEL_KEYS = ["parcelNumber", "carrierName", "trackingUrl", "orderLineIds"]


@dataclass(frozen=True)
class BodyTable:
    """Columns and rows of cell text; ``unreadable`` holds a body that is
    neither a parcel nor a list of parcels, as the text it was received as."""

    columns: list[str]
    rows: list[list[str]]
    unreadable: str = ""


def request_body_table(body):
    """Return the parcels of ``body`` as a table, one parcel a row."""
    parcels = [body] if isinstance(body, dict) else body
    if not isinstance(parcels, list) or not all(
        isinstance(parcel, dict) for parcel in parcels
    ):
        return BodyTable(columns=[], rows=[], unreadable=repr(body))

    columns = [
        key for key in KNOWN_PARCEL_KEYS if any(key in parcel for parcel in parcels)
    ]
    for parcel in parcels:
        columns += [key for key in parcel if key not in columns]
    rows = [[cell_text(parcel.get(key)) for key in columns] for parcel in parcels]
    return BodyTable(columns=columns, rows=rows)


def cell_text(value):
    """Return a body value as text: lists joined by commas, none as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def errors_by_subject(errors):
    """Group a request's errors by the line or field they are about.

    Returns ``[(subject, [error, ...]), ...]`` in the order the errors were
    recorded; the subject is the order line id, or the field name.
    """
    groups = {}
    for error in errors:
        groups.setdefault(error.order_line_id or error.field, []).append(error)
    return list(groups.items())
