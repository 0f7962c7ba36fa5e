"""Facade: the importers now live in :mod:`events.io` (acled, ucdp, native, detect).

Kept so that callers importing from here keep working while they move to ``events.io``;
new code imports from ``events.io``.
"""

from events.io.acled import ACLED_COLUMNS, ACLED_COLUMNS_OLD, acled_event_type, import_acled
from events.io.dates import DateReader
from events.io.detect import IMPORTERS, UPLOAD_EXTENSIONS, detect_format, import_file
from events.io.native import (
    CSV_COLUMNS,
    CSV_TEXT_COLUMNS,
    csv_guard,
    csv_unguard,
    import_csv,
    import_geojson,
)
from events.io.reading import PathOrFile
from events.io.result import ImportFormatError, ImportResult, Rejection
from events.io.ucdp import UCDP_GED_COLUMNS, import_ucdp_ged

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_COLUMNS_OLD",
    "CSV_COLUMNS",
    "CSV_TEXT_COLUMNS",
    "IMPORTERS",
    "UCDP_GED_COLUMNS",
    "UPLOAD_EXTENSIONS",
    "DateReader",
    "ImportFormatError",
    "ImportResult",
    "PathOrFile",
    "Rejection",
    "acled_event_type",
    "csv_guard",
    "csv_unguard",
    "detect_format",
    "import_acled",
    "import_csv",
    "import_file",
    "import_geojson",
    "import_ucdp_ged",
]
