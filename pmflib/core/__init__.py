"""The shared vocabulary: labels and thresholds, errors, periods, one messy cell."""
