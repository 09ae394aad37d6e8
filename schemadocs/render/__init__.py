"""Model + graphs → Markdown pages and diagrams (the only code that knows about pages)."""
