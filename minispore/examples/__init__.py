"""Runnable examples: `python -m minispore.examples.seed`."""
