"""Reading and writing event files: ACLED, UCDP GED, our own CSV/GeoJSON in; CSV/GeoJSON/KML out.

Every importer returns an :class:`ImportResult`: the rows that became events (as
:class:`~events.schema.ResolvedEvent`, located by their own lon/lat) and one
:class:`Rejection` per row that did not, naming the file, row, field and reason. A valid row
is never dropped; a bad row never stops the rest. File-level problems that leave nothing to
import (required columns missing, an unknown layout, invalid JSON, a zip that is not a
workbook) raise :class:`ImportFormatError`; an empty file gives an empty result with a warning.

Each table is read in two passes: first its date column(s) and points are scanned
(:class:`~events.io.dates.DateReader` decides day-first vs month-first from the file's own
rows; :class:`~events.io.coords.PointContext` holds every row's point for the
swapped-coordinates rule), then every row is judged against that context by the one row
loop, :func:`events.io.rows.import_rows`.

Modules: ``result`` (ImportResult, Rejection, errors), ``reading`` (bytes and encodings,
CSV/TSV/.xlsx tables), ``dates``, ``coords``, ``rows`` (the row loop), ``acled``, ``ucdp``,
``native`` (our CSV/GeoJSON), ``detect`` (format detection, :func:`import_file`) and
``export`` (CSV, GeoJSON, KML, the terminal table).
"""

from events.io.acled import ACLED_COLUMNS, ACLED_COLUMNS_OLD, acled_event_type, import_acled
from events.io.dates import DateReader
from events.io.detect import IMPORTERS, UPLOAD_EXTENSIONS, detect_format, import_file
from events.io.export import event_record, export, kml_color, to_csv, to_geojson, to_kml
from events.io.native import (
    CSV_COLUMNS,
    CSV_TEXT_COLUMNS,
    csv_guard,
    csv_unguard,
    import_csv,
    import_geojson,
)
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
    "Rejection",
    "acled_event_type",
    "csv_guard",
    "csv_unguard",
    "detect_format",
    "event_record",
    "export",
    "import_acled",
    "import_csv",
    "import_file",
    "import_geojson",
    "import_ucdp_ged",
    "kml_color",
    "to_csv",
    "to_geojson",
    "to_kml",
]
