"""What a project adds to a catalog: which part to document (`selection.py`)."""
