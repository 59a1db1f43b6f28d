"""What readers get: report notebooks (package data), presentation, charts, narrative, export, dashboard, open data."""
