"""Golden values recorded from MindSpore 2.10 for the nn layers (see make_golden.py)."""
