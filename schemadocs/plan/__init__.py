"""Migration plans: what a migration will lock, rewrite and scan, observed on a throwaway copy.

split (files -> statements) -> observe (a copy of the database) -> judge (risk, estimates,
advice, the transaction as a whole) -> format (text, markdown, json). See `model.py`.
"""
