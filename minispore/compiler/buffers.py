"""Buffers of a compiled graph: which arrays may alias which, when each dies, and which dead
buffer an equation can write its result into (compiler).

Every value refers to one or more *storages* (blocks of memory). Inputs and constants have
storages that are never written. A primitive declared `fresh` (every ufunc, `np.matmul` too)
returns a fresh storage that this function owns; any other primitive may return a view of its
operands (reshape, transpose, a cast to the same dtype, ...), so its result counts as referring
to all of its operands' storages. An owned storage is dead once every value referring to it has
been read for the last time and none is an output; it then joins a pool, and a later
elementwise equation with the same result shape and dtype writes into it with `out=`. Since
every call allocates afresh what it returns, outputs stay valid after later calls, and input
arrays are never written (except those the caller donates, see `plan`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from minispore.compiler.fusion import inplace_operand, is_elementwise
from minispore.core.graph import Graph, Var

# Dead values at least this large are deleted from the generated function's locals right away,
# so memory is returned as early as a hand-written step would return it.
DEL_MIN_BYTES = 1 << 16
# Buffers at least this large that never reach an output are allocated once, with the compiled
# function, instead of at every call: a fresh large array costs page faults whenever the
# allocator has given its memory back to the system (and it often has, between two steps).
SCRATCH_MIN_BYTES = 1 << 16


@dataclass
class Step:
    """How one equation runs: `target` is the value whose buffer takes the result (`out=`),
    `kind` says why ("fuse": a dying operand, "reuse": a dead buffer from the pool, "donate":
    a donated input's array, "scratch": a buffer kept by the compiled function, "" none);
    `drop` the values whose names are deleted after it; `fresh` the storage this equation
    allocates, if any."""

    target: Var | None = None
    kind: str = ""
    drop: list[Var] = field(default_factory=list)
    fresh: int | None = None


class Storages:
    """The storages each value may refer to, their owner flag and the value holding each whole."""

    def __init__(self):
        self.refs: dict[Var, tuple[int, ...]] = {}
        self.owned: set[int] = set()
        self.root: dict[int, Var] = {}
        self.holders: dict[int, set[Var]] = {}
        self._count = 0

    def of(self, v: Var) -> tuple[int, ...]:
        return self.refs.get(v, ())

    def new(self, v: Var, owned: bool, also: tuple[int, ...] = ()) -> int:
        self._count += 1
        s = self._count
        if owned:
            self.owned.add(s)
            self.root[s] = v
        self.bind(v, (s,) + also)
        return s

    def bind(self, v: Var, refs: tuple[int, ...]) -> None:
        self.refs[v] = refs
        for s in refs:
            self.holders.setdefault(s, set()).add(v)


def plan(
    graph: Graph, fuse: bool = True, reuse: bool = True, donate: bool = True, scratch: bool = True
) -> list[Step]:
    """One `Step` per equation of `graph`.

    With `scratch`, an elementwise equation or matrix product whose fresh buffer never reaches
    an output (however it is handed on by fusion and reuse) writes into a buffer that the
    compiled function keeps from call to call (`kind == "scratch"`), when that is large.

    With `donate`, `graph.meta["donate"]` (`{output index: input index}`) names inputs whose
    arrays the caller gives up: the chain of elementwise equations computing such an output may
    write into that input's array once nothing reads the input any more, and the output is then
    that very array. A donated array is written with nothing but its output's value.
    """
    eqns = graph.eqns
    end = len(eqns)
    last: dict[Var, int] = {}
    for i, eq in enumerate(eqns):
        for a in eq.inputs:
            if type(a) is Var:
                last[a] = i
    for o in graph.outputs:
        if type(o) is Var:
            last[o] = end  # outputs live past the last equation
    st = Storages()
    inputs = set(graph.inputs)
    for v in graph.inputs:
        st.new(v, owned=False)
    chain = donated_chains(graph) if donate else {}
    reserved: set[int] = set()  # donated buffers: they hold their output's chain and nothing else

    def dies_at(s: int, i: int) -> bool:
        return all(last.get(v, -1) <= i for v in st.holders.get(s, ()))

    pool: dict[tuple, list[int]] = {}
    waiting: dict[int, tuple[int, Var]] = {}  # pooled storage -> (step, value holding it)
    freed: set[int] = set()  # owned storages that died (and were pooled or dropped)
    dropped: set[Var] = set()
    steps = []

    def drop(step: Step, v: Var) -> None:
        if v not in dropped and v not in inputs:
            if _nbytes(v) >= DEL_MIN_BYTES:
                step.drop.append(v)
            dropped.add(v)

    for i, eq in enumerate(eqns):
        out = eq.out
        step = Step()
        if is_elementwise(eq):
            s = None
            j = chain.get(i)
            if j is not None and st.of(j)[0] not in reserved and _can_take(eq, j, i, st, dies_at):
                (s,) = st.of(j)
                st.owned.add(s)
                reserved.add(s)
                step.target, step.kind = j, "donate"
            else:
                first = reserved if j is not None else ()
                a = inplace_operand(eq, i, st, dies_at, first) if fuse else None
                if a is not None and (j is not None or st.of(a)[0] not in reserved):
                    (s,) = st.of(a)
                    step.target, step.kind = a, "fuse"
                elif reuse and pool.get((out.shape, out.dtype)):
                    s = pool[(out.shape, out.dtype)].pop()
                    step.target, step.kind = st.root[s], "reuse"
                    waiting.pop(s)
                    freed.discard(s)
                    drop(step, step.target)  # its name goes: the result now holds the buffer
            if s is None:
                step.fresh = st.new(out, owned=True)
            else:  # the buffer changes hands: its earlier holders are all dead
                freed.discard(s)
                st.root[s] = out
                st.holders[s] = set()
                st.bind(out, (s,))
        elif out.shape != () and eq.prim.fresh:
            s = st.new(out, owned=True)
            if eq.prim.impl is np.matmul and not eq.params:
                step.fresh = s  # np.matmul takes `out=` too
        else:
            also = tuple(sorted({s for a in eq.inputs if type(a) is Var for s in st.of(a)}))
            st.new(out, owned=False, also=also)
        # After the equation: pool the owned buffers that died here, drop dead large values.
        # The value holding a whole owned buffer (its root) names it for a later `out=`: it
        # stays bound while views of the buffer live on, and goes when the buffer dies unused.
        dying = {a for a in eq.inputs if type(a) is Var and last.get(a) == i}
        if last.get(out, -1) < i:
            dying.add(out)  # a result nobody reads (an impure equation kept for its effect)
        for v in sorted(dying, key=id):
            for s in st.of(v):
                if s not in st.owned or s in freed or not dies_at(s, i):
                    continue
                root = st.root[s]
                if root is out or s in st.of(out):
                    continue
                freed.add(s)
                if reuse and s not in reserved and root.shape != ():
                    pool.setdefault((root.shape, root.dtype), []).append(s)
                    waiting[s] = (i, root)
                else:
                    drop(step, root)
            if not any(st.root.get(s) is v for s in st.of(v)):
                drop(step, v)
        steps.append(step)
    # A pooled buffer that no later equation took is deleted where it died, like any other.
    for i, root in waiting.values():
        drop(steps[i], root)
    if scratch:
        escaping = {s for o in graph.outputs if type(o) is Var for s in st.of(o)}
        for step, eq in zip(steps, eqns, strict=True):
            if (
                step.fresh is not None
                and step.fresh not in escaping
                and _nbytes(eq.out) >= SCRATCH_MIN_BYTES
            ):
                step.kind = "scratch"
    return steps


# Primitives (other than ufuncs) whose implementation always returns a new, writeable array,
# never an operand or a view of one. Any other primitive may (reshape, transpose, broadcast_to,
# cast, getitem, flip, stop_gradient do): its result counts as a view of all its operands.
# tests/compiler/test_buffers.py checks every name here on every sample of the registry.
def donated_chains(graph: Graph) -> dict[int, Var]:
    """`{equation index: donated input}` for the elementwise equations that compute a donated
    output: the one producing it, and back through operands read by nothing else."""
    donate = graph.meta.get("donate") or {}
    producer = {eq.out: k for k, eq in enumerate(graph.eqns)}
    uses: dict[Var, int] = {}
    for eq in graph.eqns:
        for a in eq.inputs:
            if type(a) is Var:
                uses[a] = uses.get(a, 0) + 1
    for o in graph.outputs:
        if type(o) is Var:
            uses[o] = uses.get(o, 0) + 1
    chain: dict[int, Var] = {}
    taken: set[Var] = set()
    for o, j in donate.items():
        if not (0 <= o < len(graph.outputs) and 0 <= j < len(graph.inputs)):
            continue
        out, inp = graph.outputs[o], graph.inputs[j]
        if type(out) is not Var or out not in producer or inp in taken:
            continue
        if out.shape != inp.shape or out.dtype != inp.dtype or graph.outputs.count(out) != 1:
            continue  # NOTE: an output listed twice must not share its array with a Parameter
        taken.add(inp)
        k = producer[out]
        while is_elementwise(graph.eqns[k]) and k not in chain:
            chain[k] = inp
            eq = graph.eqns[k]
            prev = [
                a
                for a in eq.inputs
                if type(a) is Var
                and a in producer
                and uses[a] == 1
                and a.shape == eq.out.shape
                and a.dtype == eq.out.dtype
            ]
            if not prev:
                break
            k = producer[prev[0]]
    return chain


def _can_take(eq, j: Var, i: int, st: Storages, dies_at) -> bool:
    """May equation `i` write into the array of donated input `j`?"""
    (s,) = st.of(j)
    if not dies_at(s, i):
        return False
    # Read here as an operand: only as the whole array itself, never through a view.
    return not any(type(b) is Var and b is not j and s in st.of(b) for b in eq.inputs)


def _nbytes(v: Var) -> int:
    n = v.dtype.itemsize
    for d in v.shape:
        n *= d
    return n
