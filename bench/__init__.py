"""Benchmarks and benchmark fixtures (not part of the test suite)."""
