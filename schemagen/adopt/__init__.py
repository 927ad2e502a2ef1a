"""`schemagen import`: a live database read back into schema.yaml (adopting schemagen on a
database that already exists). catalog -> build -> yaml_text; what the format cannot hold is
listed, never dropped in silence."""
