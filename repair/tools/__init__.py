"""Offline tools as plain functions: alignment, evaluation, learning, tracing, the tortured-phrase catalogue."""
