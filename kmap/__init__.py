"""Map layer: composes geo/ and events/ into a folium map (offline assets, layers, legend)."""
