"""The app as served: Streamlit's ASGI App running app.py, plus
- the route that serves each session's uploaded events to that session only (ui.sessiondata);
- the app's static files (vendored Leaflet, our JS/CSS, basemap layers, datasets) at
  /app/static/ from kmap.config.static_dir(): ./static, or $KARABAKH_MAP_STATIC_DIR (the tests
  use a scratch folder, so nothing is written into the checkout). Streamlit puts these routes
  before its own, so this mount answers even where Streamlit's static serving would.

- a warm-up before the server listens (ui.warmup): modules imported, catalogue and collections
  built, so the first visit after a start is as quick as the next ones.

`scripts/run-app.sh` runs `streamlit run server.py`; `streamlit run app.py` also works, with
uploads sent inline and ./static served by Streamlit itself."""

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from streamlit.starlette import App

from kmap.config import STATIC_URL, static_dir
from ui.sessiondata import routes
from ui.warmup import warm_up

warm_up()  # the first visitor after a start does not wait for imports and data (ui.warmup)

app = App(
    "app.py",
    routes=[
        *routes(),
        Mount(
            STATIC_URL.rstrip("/"),
            app=StaticFiles(directory=static_dir(), check_dir=False),
            name="kmap-static",
        ),
    ],
)
