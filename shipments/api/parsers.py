"""The API's JSON parser: strict about what a well-meaning client never sends.

On top of DRF's parser it refuses, with a 400 and a code of its own:

- a member named twice in one object (``duplicate_key``): JSON parsers
  disagree on which one wins, so a proxy and the API could read different
  bodies;
- a NUL character in a string or a member name (``null_character``): no
  field takes one, and PostgreSQL cannot store one;
- bytes that are not text in the declared charset (``invalid_encoding``);
- arrays and objects nested deeper than ``MAX_DEPTH`` (``too_deep``): a
  body of parcels is three levels deep, and a deep one would exhaust
  Python's recursion limit.
"""

import codecs

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

MAX_DEPTH = 10


class DuplicateKey(ValueError):
    def __init__(self, key):
        super().__init__(f"The member {key!r} appears twice in one object.")


def object_without_duplicates(pairs):
    """``object_pairs_hook`` that refuses a member named twice."""
    document = {}
    for key, value in pairs:
        if key in document:
            raise DuplicateKey(key)
        document[key] = value
    return document


def depth_of(value):
    """How many arrays and objects are nested in ``value``, at most."""
    deepest, level, pending = 0, 0, [(value, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        pending.extend((child, level + 1) for child in children)
    return deepest


def has_null_character(value):
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            if any("\x00" in key for key in value):
                return True
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing duplicate members, NULs and deep nesting."""

    too_deep_message = (
        f"The body nests arrays and objects more than {MAX_DEPTH} levels deep."
    )

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            document = json.load(
                codecs.getreader(encoding)(stream),
                object_pairs_hook=object_without_duplicates,
                parse_constant=json.strict_constant if self.strict else None,
            )
        except DuplicateKey as error:
            raise ParseError(str(error), code="duplicate_key") from error
        except UnicodeDecodeError as error:
            raise ParseError(
                f"The body is not valid {encoding}: {error.reason} at byte "
                f"{error.start}.",
                code="invalid_encoding",
            ) from error
        except RecursionError as error:
            raise ParseError(self.too_deep_message, code="too_deep") from error
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error

        if depth_of(document) > MAX_DEPTH:
            raise ParseError(self.too_deep_message, code="too_deep")
        if has_null_character(document):
            raise ParseError(
                "A string of the body contains a NUL character (\\u0000).",
                code="null_character",
            )
        return document
