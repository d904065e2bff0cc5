"""The district's public dashboard: /dashboard/, /dashboard.json and /dashboard.csv (docs/dashboard.md).

``params`` reads the street, community and period of the URL; ``figures`` computes every figure
in SQL (the domains' shared reads, the programmes' figures functions, ``sql``) and caches them by
the map version and the data version (``cache``); ``charts`` turns them into accessible SVG;
``views`` serves the page, the JSON and the CSV.
"""
