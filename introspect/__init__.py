"""Catalog → model: read a live PostgreSQL catalog, read-only, in bulk queries."""
