"""Parameter groups of the optimizers: the checks and parsing of MindSpore's group dicts (layer 5)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from minispore.parameter import Parameter

_GROUP_KEYS = ("params", "lr", "weight_decay", "order_params", "grad_centralization")


class _ParameterGroups:
    """The part of `Optimizer` that reads parameter groups: dicts with the keys `'params'`,
    `'lr'`, `'weight_decay'`, `'grad_centralization'`, or a lone `'order_params'`.

    A mixin of `Optimizer`: it calls the optimizer's `_parameters_base_check`,
    `_preprocess_single_lr`, `_build_single_lr` and `_preprocess_weight_decay`.
    """

    def _check_group_params(self, parameters):
        owner = type(self).__name__
        for group in parameters:
            bad = [k for k in group if k not in _GROUP_KEYS]
            if bad:
                raise KeyError(
                    f"For '{owner}', the keys of a parameter group must be among "
                    f"{list(_GROUP_KEYS)}, but got {bad}"
                )
            if "order_params" in group:
                if len(group) > 1:
                    raise ValueError(
                        f"For '{owner}', an 'order_params' group must hold only that key, but got "
                        f"{list(group)}"
                    )
                if not isinstance(group["order_params"], Iterable):
                    raise TypeError(
                        f"For '{owner}', 'order_params' must be iterable, but got "
                        f"{type(group['order_params']).__name__}"
                    )
                continue
            if "params" not in group:
                raise KeyError(f"For '{owner}', every parameter group needs a 'params' key")
            params = self._parameters_base_check(group["params"], "group 'params'")
            for i, p in enumerate(params):
                if not isinstance(p, Parameter):
                    raise TypeError(
                        f"For '{owner}', group 'params' must hold Parameters, but got "
                        f"{type(p).__name__} at index {i}"
                    )

    def _init_group_params(self, parameters, learning_rate, weight_decay):
        """Fill `group_params`, `group_lr`, `group_weight_decay` and `group_grad_centralization`
        (one entry per parameter, in `order_params` order when given) from the group dicts."""
        owner = type(self).__name__
        self._check_group_params(parameters)
        self.is_group = True
        self.group_params = []
        self.group_lr = []
        self.group_weight_decay = []
        self.group_grad_centralization = []
        steps = learning_rate.size if isinstance(learning_rate, np.ndarray) else 0
        for group in parameters:
            if "order_params" in group:
                self.is_group_params_ordered = True
            elif "lr" in group:
                self.is_group_lr = True
                lr = self._preprocess_single_lr(group["lr"])
                if isinstance(lr, np.ndarray):
                    if steps and lr.size != steps:
                        raise ValueError(
                            f"For '{owner}', per-step learning-rate lists of all groups must have "
                            f"the same length, but got {steps} and {lr.size}"
                        )
                    steps = lr.size
        default_lr = self._build_single_lr(learning_rate, "learning_rate")
        seen = set()
        ordered = []
        for num, group in enumerate(parameters):
            if "order_params" in group:
                ordered = list(group["order_params"])
                continue
            params = list(group["params"])
            if "lr" in group:
                lr = self._build_single_lr(
                    self._preprocess_single_lr(group["lr"]), f"learning_rate_group_{num}"
                )
            else:
                lr = default_lr
            wd = self._preprocess_weight_decay(group.get("weight_decay", weight_decay))
            gc = group.get("grad_centralization", False)
            if not isinstance(gc, bool):
                raise TypeError(
                    f"For '{owner}', 'grad_centralization' must be a bool, but got "
                    f"{type(gc).__name__}"
                )
            for p in params:
                if p.name in seen:
                    raise RuntimeError(
                        f"For '{owner}', parameter '{p.name}' appears in more than one group"
                    )
                seen.add(p.name)
                self.group_params.append(p)
                self.group_lr.append(lr)
                self.group_weight_decay.append(wd)
                self.group_grad_centralization.append(gc)
        if self.is_group_params_ordered and ordered:
            self._order_group_params(ordered)

    def _order_group_params(self, ordered):
        owner = type(self).__name__
        if len(ordered) != len(self.group_params):
            raise ValueError(
                f"For '{owner}', 'order_params' must list every grouped parameter: it has "
                f"{len(ordered)} parameters, the groups have {len(self.group_params)}"
            )
        names = [p.name for p in ordered]
        index = []
        for p in self.group_params:
            if p.name not in names:
                raise ValueError(
                    f"For '{owner}', parameter '{p.name}' is missing from 'order_params'"
                )
            index.append(names.index(p.name))
        if len(set(index)) != len(index):
            raise ValueError(f"For '{owner}', 'order_params' lists a parameter twice: {names}")
        for attr in ("group_params", "group_lr", "group_weight_decay", "group_grad_centralization"):
            old = getattr(self, attr)
            new = [None] * len(old)
            for i, v in zip(index, old):
                new[i] = v
            setattr(self, attr, new)
