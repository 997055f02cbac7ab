"""Each dataset test starts from the pipeline seed state it found (set_seed is global)."""

import pytest

from minispore.dataset import config


@pytest.fixture(autouse=True)
def _restore_pipeline_seed():
    saved = dict(config._state)
    yield
    config._state.update(saved)
