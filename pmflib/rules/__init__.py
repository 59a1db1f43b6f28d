"""The published rules (SPEC §5–§8, Making Data Count, benchmarking): pure functions over tables, no I/O."""
