"""The Jinja templates that render page contexts into Markdown (data only, no code)."""
