"""Shared machinery for the benchmarks: timing, peak memory, verification, JSON lines and the table.

A workload script builds one ``Impl`` per implementation (the hand-written NumPy floor first),
hands the list to ``run_workload``, and gets one result row per implementation. Every
implementation's first call is checked against the NumPy floor before anything is timed, so a
broken implementation cannot post a fast time.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib.metadata
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

# Where the implementations are run from ``python benchmarks/x.py``, the repository root is not on
# sys.path (the script's folder is); put it there so ``import minispore`` finds the package.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


def log(msg: str) -> None:
    """Progress and diagnostics go to stderr, so stdout stays pure JSON lines."""
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Versions of the implementations and of the environment.


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def numpy_version() -> str:
    """NumPy's version with its BLAS, which does the heavy lifting of every NumPy-based step."""
    try:
        blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
        return f"{np.__version__} ({blas['name']} {blas['version']})"
    except Exception:  # noqa: BLE001 - the config layout is not a stable API
        return np.__version__


@functools.cache
def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "commit": _git_commit(),
    }


def _git_commit() -> str | None:
    """The repository's HEAD, with ``+dirty`` when minispore/ has uncommitted changes."""
    try:
        run = functools.partial(
            subprocess.run, cwd=_ROOT, capture_output=True, text=True, timeout=10, check=False
        )
        head = run(["git", "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = run(["git", "status", "--porcelain", "--", "minispore"]).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if not head and not dirty:
        return None
    return (head or "no-commit") + ("+dirty" if dirty else "")


# --------------------------------------------------------------------------------------------
# Implementations and settings.


@dataclass
class Impl:
    """One implementation of a workload.

    ``call`` is the timed unit (one gradient call, one training step). ``first`` runs that unit
    once, on the shared initial state, and returns a dict of NumPy arrays to compare with the
    NumPy floor's (loss, gradients, parameters after the step). It is called exactly once, before
    any timing, and may simply call ``call`` and convert its result.
    """

    name: str
    version: str
    call: Callable[[], Any]
    first: Callable[[], dict[str, np.ndarray]]
    memory: bool = True  # are its allocations visible to tracemalloc?
    note: str = ""
    # Implementations sharing a thread pool (NumPy's BLAS) are interleaved with each other; a
    # different pool is timed in a block of its own (see ``time_interleaved``).
    pool: str = "numpy"


@dataclass
class Settings:
    warmup: int = 3
    repeat: int = 30  # timed samples, at most
    min_sample_s: float = 0.01  # each sample loops `call` until it lasts at least this long
    budget_s: float = 10.0  # stop sampling an implementation once this much time is spent
    min_repeat: int = 5
    quick: bool = False
    json_path: str | None = None
    impls: set[str] | None = None  # run only these (the NumPy floor always runs)
    memory: bool = True
    wait_quiet_s: float = 0.0  # wait up to this long for other processes to go quiet


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="short run: fewer, shorter samples")
    parser.add_argument("--json", metavar="FILE", help="append JSON lines to FILE, not stdout")
    parser.add_argument(
        "--impl",
        metavar="NAMES",
        help="comma-separated implementations to run (numpy always runs): "
        "minispore,minispore_jit,torch,autograd,jax",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip peak-memory measurement")
    parser.add_argument("--repeat", type=int, help="timed samples per implementation (at most)")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="S",
        help="before timing each workload, wait up to S seconds for other processes to go idle",
    )


def settings_from_args(args: argparse.Namespace, *, big: bool = False) -> Settings:
    if args.quick:
        s = Settings(warmup=1, repeat=5, min_sample_s=0.005, budget_s=2.0, min_repeat=3)
        if big:
            s.repeat = 3
    else:
        s = Settings()
        if big:
            s.warmup, s.repeat, s.budget_s, s.min_repeat = 2, 10, 30.0, 5
    if args.repeat:
        s.repeat = args.repeat
        s.min_repeat = min(s.min_repeat, args.repeat)
    s.quick = args.quick
    s.json_path = args.json
    s.impls = set(args.impl.split(",")) | {"numpy"} if args.impl else None
    s.memory = not args.no_memory
    s.wait_quiet_s = args.wait_quiet
    return s


def wanted(settings: Settings, name: str) -> bool:
    return settings.impls is None or name in settings.impls


def minispore_version(module: Any) -> str:
    return str(getattr(module, "__version__", None) or package_version("minispore") + "-dev")


def build_impls(
    make_numpy: Callable[[Any], Impl],
    peers: dict[str, Callable[[Any], Impl]],
    data: Any,
    settings: Settings,
) -> tuple[list[Impl], list[tuple[str, str]]]:
    """Build the NumPy floor and every wanted peer; a peer that cannot be built is skipped.

    Peers are verified and reported in the order given.
    """
    impls = [make_numpy(data)]
    skipped: list[tuple[str, str]] = []
    for name, make in peers.items():
        if not wanted(settings, name):
            continue
        try:
            impls.append(make(data))
        except ImportError as exc:
            skipped.append((name, f"not importable: {exc}"))
        except Exception as exc:  # noqa: BLE001 - e.g. a half-built minispore
            skipped.append((name, f"setup failed: {type(exc).__name__}: {exc}"))
    return impls, skipped


def minispore_training_step(
    mindspore: Any,
    net: Any,
    data: dict,
    names: tuple[str, ...],
    lr: float,
    momentum: float,
    jit: bool = False,
) -> Impl:
    """The minispore implementation of a training-step workload, written the MindSpore way: the
    network `net` gets `data["params"]`, then `value_and_grad` of `nn.CrossEntropyLoss` and an
    `nn.Momentum` call make one step; with `jit`, the step is one captured graph."""
    from minispore import Tensor, nn

    params = net.trainable_params()
    for p, value in zip(params, data["params"], strict=True):
        p.set_data(Tensor(value.copy(), mindspore.float32))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.Momentum(params, learning_rate=lr, momentum=momentum)
    x = Tensor(data["x"], mindspore.float32)
    labels = Tensor(data["labels"], mindspore.int32)

    def forward(x, labels):
        return loss_fn(net(x), labels)

    grad_fn = mindspore.value_and_grad(forward, None, optimizer.parameters)

    def train_step(x, labels):
        loss, grads = grad_fn(x, labels)
        optimizer(grads)
        return loss, grads

    if jit:  # forward, backward and update captured as one graph, compiled at the second call
        train_step = mindspore.jit(train_step)

    def step():
        return train_step(x, labels)

    def first():
        if jit:  # verify the compiled step, not the capture: capture, rewind the state, replay
            state = [*net.get_parameters(), *optimizer.get_parameters()]
            saved = [p.asnumpy().copy() for p in state]
            step()
            for p, v in zip(state, saved, strict=True):
                p._value[...] = v
        return first_training_step(step, names, lambda t: t.asnumpy(), lambda: params)

    name = "minispore_jit" if jit else "minispore"
    return Impl(name, minispore_version(mindspore), step, first)


def jax_training_step(
    jax: Any, loss_fn: Callable, data: dict, names: tuple[str, ...], lr: float, momentum: float
) -> Impl:
    """The JAX peer of a training-step workload: `loss_fn(params, x, labels)`'s value and gradient
    and the momentum update in one `jax.jit` step, parameters and accumulators donated."""
    jnp = jax.numpy
    state = {
        "params": [jnp.asarray(p) for p in data["params"]],
        "accums": [jnp.zeros_like(jnp.asarray(p)) for p in data["params"]],
    }
    x, labels = jnp.asarray(data["x"]), jnp.asarray(data["labels"])

    @functools.partial(jax.jit, donate_argnums=(0, 1))
    def train_step(params, accums, x, labels):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, labels)
        accums = [momentum * a + g for a, g in zip(accums, grads, strict=True)]
        params = [p - lr * a for p, a in zip(params, accums, strict=True)]
        return loss, grads, params, accums

    def step():
        loss, grads, state["params"], state["accums"] = jax.block_until_ready(
            train_step(state["params"], state["accums"], x, labels)
        )
        return loss, grads

    def first():
        return first_training_step(step, names, np.asarray, lambda: state["params"])

    return Impl("jax", jax.__version__, step, first, memory=False, pool="jax")


def first_training_step(
    step: Callable[[], Any],
    names: tuple[str, ...],
    to_numpy: Callable[[Any], np.ndarray],
    params_now: Callable[[], Any],
) -> dict[str, np.ndarray]:
    """Run one training step; return its loss, gradients and the parameters after the update,
    keyed by parameter name, for ``Impl.first``."""
    loss, grads = step()
    out = {"loss": to_numpy(loss)}
    for name, g in zip(names, grads, strict=True):
        out[f"grad {name}"] = to_numpy(g)
    for name, p in zip(names, params_now(), strict=True):
        out[f"updated {name}"] = to_numpy(p).copy()
    return out


# --------------------------------------------------------------------------------------------
# Timing and memory.


# Pause between blocks of implementations with different thread pools: OpenBLAS workers spin for
# up to about 0.1 s after a product before they sleep, OpenMP workers for a while too.
POOL_PAUSE_S = 0.5

# Above this share of the CPU used by other processes while timing, a workload's rows are noisy.
NOISY_SHARE = 0.1


def time_interleaved(
    impls: list[Impl], settings: Settings
) -> dict[str, dict[str, Any] | Exception]:
    """Time every implementation's ``call``: interleaved within a thread pool, pools in blocks.

    Each implementation is warmed up, then its ``number`` (back-to-back calls per sample) is set
    so that a sample lasts at least ``min_sample_s``. Implementations that share a thread pool
    (everything on NumPy) are sampled in rounds, one sample of each per round, until ``repeat``
    samples are taken or the time budget is spent (after ``min_repeat``): load from other
    processes, frequency changes and drift then fall on all of them alike, so their ratios stay
    meaningful on a shared machine. ``paired_ratio`` is the median over rounds of the per-round
    ratio to ``impls[0]``, for the implementations in its pool.

    A different pool (PyTorch's OpenMP workers) is timed in a block of its own, after a pause:
    interleaved, each library's spinning workers would take a core from the other's on a small
    machine, and both would look slower than they are.

    The garbage collector stays on: collecting a tape's cycles is part of a step's cost in a
    Python framework, and it is what users get.

    Returns, per implementation name, the timing in microseconds (median, IQR, quartiles, min,
    n, number) or the exception it raised.
    """
    out: dict[str, dict[str, Any] | Exception] = {}
    pools: dict[str, list[Impl]] = {}
    for impl in impls:
        pools.setdefault(impl.pool, []).append(impl)
    for k, group in enumerate(pools.values()):
        if k:
            time.sleep(POOL_PAUSE_S)
        out.update(_time_rounds(group, settings, impls[0].name))
    return out


def _time_rounds(
    impls: list[Impl], settings: Settings, ref_name: str
) -> dict[str, dict[str, Any] | Exception]:
    numbers: dict[str, int] = {}
    samples: dict[str, list[float]] = {}
    failed: dict[str, Exception] = {}
    for impl in impls:
        try:
            for _ in range(settings.warmup):
                impl.call()
            numbers[impl.name] = _autorange(impl.call, settings.min_sample_s)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            failed[impl.name] = exc
            continue
        samples[impl.name] = []
    live = [impl for impl in impls if impl.name in numbers]
    budget = settings.budget_s * max(1, len(live))
    start = time.perf_counter()
    rounds = 0
    while live and rounds < settings.repeat:
        for impl in list(live):
            number = numbers[impl.name]
            call = impl.call
            try:
                t0 = time.perf_counter()
                for _ in range(number):
                    call()
                samples[impl.name].append((time.perf_counter() - t0) / number)
            except Exception as exc:  # noqa: BLE001
                failed[impl.name] = exc
                live.remove(impl)
        rounds += 1
        if rounds >= settings.min_repeat and time.perf_counter() - start > budget:
            break
    out: dict[str, dict[str, Any] | Exception] = dict(failed)
    ref = samples.get(ref_name) if ref_name not in failed else None
    for name, xs in samples.items():
        if name in failed:
            continue
        q1, median, q3 = _quartiles(xs)
        timing: dict[str, Any] = {
            "median_us": median * 1e6,
            "iqr_us": (q3 - q1) * 1e6,
            "q1_us": q1 * 1e6,
            "q3_us": q3 * 1e6,
            "min_us": min(xs) * 1e6,
            "n": len(xs),
            "number": numbers[name],
        }
        if ref:
            timing["paired_ratio"] = statistics.median(a / b for a, b in zip(xs, ref, strict=False))
        out[name] = timing
    return out


def _autorange(call: Callable[[], Any], min_sample_s: float) -> int:
    """The number of back-to-back calls that lasts at least ``min_sample_s`` (as timeit's)."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            call()
        elapsed = time.perf_counter() - t0
        if elapsed >= min_sample_s:
            return number
        # Aim a little past the mark from this estimate, at least doubling.
        number = max(2 * number, math.ceil(1.2 * number * min_sample_s / max(elapsed, 1e-9)))


def _quartiles(xs: list[float]) -> tuple[float, float, float]:
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[1], q[2]


def peak_memory(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated during one call of ``fn``, above what was allocated before it.

    NumPy reports its data buffers to tracemalloc, so this counts arrays as well as Python
    objects (tape nodes, tracers). Libraries with their own allocator (PyTorch) are invisible.
    """
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return peak - base


# --------------------------------------------------------------------------------------------
# Verification.


def compare(
    name: str, got: dict[str, np.ndarray], ref: dict[str, np.ndarray], rtol: float
) -> list[str]:
    """Compare every entry of ``ref`` with ``got``; return the problems, one line each.

    Tolerance is relative to the largest magnitude of the reference entry, which suits float32
    sums of thousands of terms: ``max|got - ref| <= rtol * max|ref| + 1e-7``.
    """
    problems = []
    for key, want in ref.items():
        if key not in got:
            problems.append(f"{name}: no value for {key!r}")
            continue
        have = np.asarray(got[key])
        want = np.asarray(want)
        if have.shape != want.shape:
            problems.append(f"{name}: {key} has shape {have.shape}, expected {want.shape}")
            continue
        if not np.all(np.isfinite(have)):
            problems.append(f"{name}: {key} has non-finite values")
            continue
        err = float(np.max(np.abs(have.astype(np.float64) - want.astype(np.float64)), initial=0))
        scale = float(np.max(np.abs(want.astype(np.float64)), initial=0))
        if err > rtol * scale + 1e-7:
            problems.append(
                f"{name}: {key} differs from the NumPy floor: max abs error {err:.3g}, "
                f"max |ref| {scale:.3g} (rtol {rtol:g})"
            )
    return problems


# --------------------------------------------------------------------------------------------
# Running a workload.


def run_workload(
    workload: str,
    description: str,
    impls: list[Impl],
    settings: Settings,
    *,
    target: dict[str, Any] | None = None,
    rtol: float = 1e-3,
    skipped: list[tuple[str, str]] | None = None,
    targets: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Verify, time and measure every implementation; emit and return one row each.

    ``impls[0]`` must be the NumPy floor: it is the reference for verification and ratios.
    ``target`` may hold ``time_ratio`` (max median time / NumPy's), ``time_us`` (max median
    time) and ``mem_ratio`` (max peak memory / NumPy's); they apply to minispore. ``targets``
    gives other implementations theirs, by name (``{"minispore_jit": {...}}``).
    ``skipped`` lists ``(name, reason)`` for implementations that could not be built.
    """
    targets = {**(targets or {}), "minispore": target or {}}
    assert impls and impls[0].name == "numpy", "the NumPy floor comes first"
    log(f"== {workload}: {description}")
    rows: list[dict[str, Any]] = []
    for name, reason in skipped or []:
        log(f"   {name}: skipped ({reason})")
        rows.append(_row(workload, name, "", settings, status="skipped", note=reason))

    # Verify every implementation's first call before timing any of them.
    ref = impls[0].first()
    verified: list[Impl] = [impls[0]]
    for impl in impls[1:]:
        try:
            got = impl.first()
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            reason = f"first call failed: {type(exc).__name__}: {exc}"
            log(f"   {impl.name}: skipped ({reason})")
            rows.append(_row(workload, impl.name, impl.version, settings, "failed", reason))
            continue
        problems = compare(impl.name, got, ref, rtol)
        if problems:
            log(f"   {impl.name}: NOT timed, it disagrees with the NumPy floor:")
            for p in problems:
                log(f"     {p}")
            rows.append(
                _row(workload, impl.name, impl.version, settings, "wrong", "; ".join(problems))
            )
            continue
        verified.append(impl)
    loss = float(np.asarray(ref["loss"])) if "loss" in ref else None

    if settings.wait_quiet_s > 0:
        wait_quiet(settings.wait_quiet_s)
    monitor = CpuMonitor()
    timings = time_interleaved(verified, settings)
    others, steal = monitor.shares()
    noisy = others is not None and others + (steal or 0) > NOISY_SHARE
    floor: dict[str, Any] = {}
    for impl in verified:
        timing = timings[impl.name]
        mem = None
        if not isinstance(timing, Exception) and settings.memory and impl.memory:
            try:
                mem = peak_memory(impl.call)
            except Exception as exc:  # noqa: BLE001
                timing = exc
        if isinstance(timing, Exception):
            reason = f"failed while timing: {type(timing).__name__}: {timing}"
            log(f"   {impl.name}: {reason}")
            rows.append(_row(workload, impl.name, impl.version, settings, "failed", reason))
            continue
        row = _row(workload, impl.name, impl.version, settings, "ok", impl.note)
        paired = timing.pop("paired_ratio", None)
        row.update(timing)
        row["peak_mem_bytes"] = mem
        row["first_loss"] = loss
        row["others_cpu"] = others
        row["steal_cpu"] = steal
        row["noisy"] = noisy
        if impl.name == "numpy":
            floor = row
        if floor:
            row["ratio_vs_numpy"] = row["median_us"] / floor["median_us"]
            if paired is not None:
                row["paired_ratio_vs_numpy"] = paired
            if mem is not None and floor.get("peak_mem_bytes"):
                row["mem_ratio_vs_numpy"] = mem / floor["peak_mem_bytes"]
        if targets.get(impl.name):
            row["target"] = targets[impl.name]
            row["meets_target"] = _meets(row, targets[impl.name])
        log(
            f"   {impl.name:<10} median {_fmt_us(row['median_us'])} "
            f"(IQR {_fmt_us(row['iqr_us'])}, n={row['n']}x{row['number']})"
            + (f", peak {_fmt_bytes(mem)}" if mem is not None else "")
            + (f", {row['ratio_vs_numpy']:.2f}x numpy" if "ratio_vs_numpy" in row else "")
        )
        rows.append(row)
    if noisy:
        log(
            f"   WARNING: other processes used {others:.0%} of the machine's CPU time and the "
            f"hypervisor took {steal or 0:.0%} while this workload was timed; its numbers are noisy"
        )
    rank = {"numpy": 0, "minispore": 1, "minispore_jit": 2}
    rows.sort(key=lambda r: rank.get(r["impl"], 2))  # stable: peers keep their order
    emit(rows, settings)
    return rows


class CpuMonitor:
    """How much of the machine went elsewhere over an interval (Linux ``/proc/stat``).

    ``shares()`` returns ``(others, steal)``: the CPU time used by every process but this one,
    and the time the hypervisor gave this virtual machine's cores to someone else, each as a
    fraction of all cores over the interval (0 on a quiet machine, 0.5 when another process
    keeps one of two cores busy). ``(None, None)`` where ``/proc/stat`` is not available.
    """

    def __init__(self) -> None:
        self._start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float, float] | None:
        try:
            with open("/proc/stat", encoding="ascii") as f:
                # user nice system idle iowait irq softirq steal (guest time is inside user)
                fields = [int(v) for v in f.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        fields += [0] * (8 - len(fields))
        tick = os.sysconf("SC_CLK_TCK")
        total = sum(fields) / tick
        steal = fields[7] / tick
        busy = total - (fields[3] + fields[4]) / tick - steal
        t = os.times()
        return busy, total, steal, t.user + t.system

    def shares(self) -> tuple[float | None, float | None]:
        end = self._sample()
        if self._start is None or end is None:
            return None, None
        busy, total, steal, own = (e - s for e, s in zip(end, self._start, strict=True))
        if total <= 0:
            return None, None

        def share(x: float) -> float:
            return round(min(1.0, max(0.0, x / total)), 3)

        return share(busy - own), share(steal)


def wait_quiet(limit_s: float, window_s: float = 2.0, threshold: float = 0.05) -> bool:
    """Wait until others (processes and hypervisor) take under ``threshold`` over ``window_s``."""
    deadline = time.monotonic() + limit_s
    while True:
        monitor = CpuMonitor()
        time.sleep(window_s)
        others, steal = monitor.shares()
        if others is None or others + (steal or 0) < threshold:
            return True
        if time.monotonic() > deadline:
            log(
                f"   machine still busy after {limit_s:g} s ({others:.0%} used by others, "
                f"{steal or 0:.0%} stolen); timing anyway"
            )
            return False


def _meets(row: dict[str, Any], target: dict[str, Any]) -> bool:
    ok = True
    if "time_us" in target:
        ok &= row["median_us"] <= target["time_us"]
    if "time_ratio" in target:
        ok &= row.get("ratio_vs_numpy", math.inf) <= target["time_ratio"]
    if "mem_ratio" in target:
        ok &= row.get("mem_ratio_vs_numpy", math.inf) <= target["mem_ratio"]
    return bool(ok)


def _row(
    workload: str, impl: str, version: str, settings: Settings, status: str, note: str = ""
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "workload": workload,
        "impl": impl,
        "version": version,
        "status": status,
        "quick": settings.quick,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    row.update(environment())
    if note:
        row["note"] = note
    return row


def emit(rows: list[dict[str, Any]], settings: Settings) -> None:
    lines = "".join(json.dumps(r, sort_keys=False) + "\n" for r in rows)
    if settings.json_path:
        with open(settings.json_path, "a", encoding="utf-8") as f:
            f.write(lines)
    else:
        sys.stdout.write(lines)
        sys.stdout.flush()


# --------------------------------------------------------------------------------------------
# The table.


def _fmt_us(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f} s"
    if us >= 1e3:
        return f"{us / 1e3:.3f} ms"
    return f"{us:.1f} us"


def _fmt_bytes(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.2f} MiB"
    return f"{n / 2**10:.1f} KiB"


def format_table(rows: list[dict[str, Any]]) -> str:
    header = [
        "workload",
        "impl",
        "version",
        "median",
        "IQR",
        "n",
        "vs numpy",
        "peak mem",
        "mem vs np",
        "target",
    ]
    lines = [header]
    for r in rows:
        if r.get("status") != "ok":
            lines.append(
                [
                    r["workload"],
                    r["impl"],
                    r.get("version", ""),
                    r["status"].upper(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    _short(r.get("note", "")),
                ]
            )
            continue
        mem = r.get("peak_mem_bytes")
        tgt = ""
        if "meets_target" in r:
            tgt = "met" if r["meets_target"] else "MISSED"
            tgt += ("* (" if r.get("noisy") else " (") + _fmt_target(r["target"]) + ")"
        lines.append(
            [
                r["workload"],
                r["impl"],
                r["version"],
                _fmt_us(r["median_us"]),
                _fmt_us(r["iqr_us"]),
                f"{r['n']}x{r['number']}",
                f"{r['ratio_vs_numpy']:.2f}x" if "ratio_vs_numpy" in r else "",
                _fmt_bytes(mem) if mem is not None else "n/a",
                f"{r['mem_ratio_vs_numpy']:.2f}x" if "mem_ratio_vs_numpy" in r else "",
                tgt,
            ]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _fmt_target(t: dict[str, Any]) -> str:
    parts = []
    if "time_us" in t:
        parts.append(f"<= {t['time_us']:g} us")
    if "time_ratio" in t:
        parts.append(f"<= {t['time_ratio']:g}x time")
    if "mem_ratio" in t:
        parts.append(f"<= {t['mem_ratio']:g}x mem")
    return ", ".join(parts)


def _short(s: str, n: int = 70) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


def print_table(rows: list[dict[str, Any]], settings: Settings) -> None:
    """The readable table goes to stdout when JSON goes to a file, to stderr otherwise."""
    stream = sys.stdout if settings.json_path else sys.stderr
    print("\n" + format_table(rows), file=stream, flush=True)
    if any(r.get("noisy") for r in rows):
        print(
            "* other processes used the CPU while this workload was timed: the numbers are noisy.",
            file=stream,
            flush=True,
        )
    if any(r["impl"] in ("torch", "jax") and r.get("status") == "ok" for r in rows):
        print(
            "(PyTorch and JAX allocate outside tracemalloc: their peak memory is not measured.)",
            file=stream,
            flush=True,
        )
