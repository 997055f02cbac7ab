"""Test-session settings."""

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # scikit-learn brings it; without it, BLAS keeps its default threads
    pass
else:
    # NOTE: the suite multiplies small matrices; on a busy 2-core machine a second OpenBLAS
    # thread spins instead of helping (a 64x784x512 product measured 51 ms against 1.2 ms).
    threadpool_limits(limits=1, user_api="blas")
