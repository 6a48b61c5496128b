"""Order imports from marketplace exports (JSON, JSON Lines, CSV).

``OrderImport`` runs an import and returns an ``ImportReport``; the
``import_orders`` management command and the demo set-up use it.
"""

from orders.importing.importer import Conflict, ImportReport, OrderImport, Tally
from orders.importing.readers import FORMATS
from orders.importing.records import Rejection, SourceRecord

__all__ = [
    "FORMATS",
    "Conflict",
    "ImportReport",
    "OrderImport",
    "Rejection",
    "SourceRecord",
    "Tally",
]
