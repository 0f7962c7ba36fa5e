"""The live map: the folium base map, the time layers' datasets and masks, assets, exports.

Modules, by job:

* :mod:`~kmap.map.builder`: the base map of a view (basemap, reference layers, labels, legend).
* :mod:`~kmap.map.elements`: our scripts in folium's page (`js_json`, `ScriptMacro`) and the
  dataset/state scripts of the time layers.
* :mod:`~kmap.map.datasets`: datasets published once under static/data, pruned, and their specs.
* :mod:`~kmap.map.features`: events as GeoJSON features (what a popup shows).
* :mod:`~kmap.map.eventcols`: the same events as compact columns (an upload's dataset; read
  back by kmap/js/kmap-events.js).
* :mod:`~kmap.map.masks`: the compact mask a slider move sends (and its inverse).
* :mod:`~kmap.map.memory`: garbage-collector handling around large uploads.
* :mod:`~kmap.map.assets`, :mod:`~kmap.map.basemap`: files served from the static folder.
* :mod:`~kmap.map.standalone`: the map as one offline HTML file.
* :mod:`~kmap.map.component`: the one module that knows streamlit-folium's internals.

Importing this package imports none of them (folium stays unloaded until a map is built).
"""
