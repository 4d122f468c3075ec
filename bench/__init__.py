"""Benchmarks and measurement scripts (see docs/performance.md). Not imported by Hearth itself."""
