"""Exports of a catalog for other tools: DBML, Mermaid, PlantUML, a CSV data dictionary and
Markdown files (`schemadocs export`). Each format is one module; `write.py` puts the result
in a file, on stdout or (Markdown) in a directory."""
