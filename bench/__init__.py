"""Benchmarks: reproducible measurements whose results are committed under docs/."""
