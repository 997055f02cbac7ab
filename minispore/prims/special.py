"""Special functions (log-gamma, digamma, ...) as primitives (layer 2)."""
