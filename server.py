"""The app as served: Streamlit's ASGI App running app.py, plus the route that serves each
session's uploaded events to that session only (kmap.sessiondata). `scripts/run-app.sh` runs
`streamlit run server.py`; `streamlit run app.py` also works, with uploads sent inline."""

from streamlit.starlette import App

from ui.sessiondata import routes

app = App("app.py", routes=routes())
