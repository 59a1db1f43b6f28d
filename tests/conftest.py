"""Shared test fixtures. Each test module keeps its own small fixtures beside it."""
