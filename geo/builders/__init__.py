"""Builders of geo/data (run by hand from the repository root; never by the app or CI).

- ``python -m geo.builders.data``: boundaries and water from Natural Earth packages
  (:mod:`geo.builders.data`, units in :mod:`geo.builders.units`), then
  ``python -m geo.builders.fix_boundaries`` (corrections round named places, the NKAO outline);
- ``python -m geo.builders.gazetteer``: gazetteer.csv from GeoNames packages plus the hand-sourced
  places (:mod:`geo.builders.gazetteer`, curated toponyms in :mod:`geo.builders.curated`).

They need the ``build`` extra (see pyproject.toml); geo/data/README.md documents each file.
"""
