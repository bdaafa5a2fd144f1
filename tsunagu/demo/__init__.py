"""Demo data for ``tsunagu demo``: people, jobs and proposals to try the site with at once.

The data are TOML files under ``data/`` (shipped in the wheel, read with importlib.resources);
the modules beside them load each kind through the domain apps' own services. This app sits on
top of the others: it imports them, and none of them imports it.
"""
