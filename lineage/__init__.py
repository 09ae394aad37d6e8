"""Model → networkx graphs: entity relationships and view lineage."""
