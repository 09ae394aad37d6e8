"""What a project adds to a catalog: which part to document (`selection.py`), and the project
file, `schemadocs.yml`, with line numbers in its errors (`file.py`)."""
