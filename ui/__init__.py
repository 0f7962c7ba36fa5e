"""The Streamlit page: the view's one owner (session), time controls, sidebar, map, panels,
upload and notices. app.py wires these together; the logic they call lives in kmap/events/geo.
"""
