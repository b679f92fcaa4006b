"""Versions the updater tests publish: N-1, N and a broken N+1."""

PREVIOUS, CURRENT, BROKEN = "1.0.0", "1.1.0", "1.2.0"
