"""`minispore.dataset`: MindSpore's data pipelines on NumPy (layer 5).

Sources (`GeneratorDataset`, `NumpySlicesDataset`, `MnistDataset`, the bundled
`DigitsDataset`), pipeline steps (`map`, `batch`, `shuffle`, ...), iterators, samplers, and
the `vision` and `transforms` operations. See `docs/dataset.md`.
"""

from minispore.dataset import config, samplers, transforms, vision
from minispore.dataset.digits import DigitsDataset, load_digits_arrays
from minispore.dataset.engine import BatchInfo, Dataset
from minispore.dataset.iterators import DictIterator, TupleIterator
from minispore.dataset.mnist import MnistDataset
from minispore.dataset.samplers import (
    DistributedSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    SubsetSampler,
)
from minispore.dataset.sources import GeneratorDataset, MappableSource, NumpySlicesDataset

__all__ = [
    "BatchInfo",
    "Dataset",
    "DictIterator",
    "DigitsDataset",
    "DistributedSampler",
    "GeneratorDataset",
    "MappableSource",
    "MnistDataset",
    "NumpySlicesDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "SubsetSampler",
    "TupleIterator",
    "config",
    "load_digits_arrays",
    "samplers",
    "transforms",
    "vision",
]
