"""Tests of the primitives (layer 2): rules, values and the sample table."""
