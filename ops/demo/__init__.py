"""Builders of the Liwan demo district (``manage.py load_demo``) and of synthetic assets at scale
(``manage.py generate_synthetic``). Names in code are English; Chinese appears only in data."""
