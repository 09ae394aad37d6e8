"""schemadocs: a documentation and lineage site for a live PostgreSQL catalog."""
