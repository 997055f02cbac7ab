"""docs/mle.md's worked examples run and print what the page shows."""

import contextlib
import io
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "mle.md"


def _blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def _run_examples():
    code = _blocks("python")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile("".join(code), str(DOC), "exec"), {})
    return out.getvalue().splitlines()


def test_worked_examples_print_what_the_page_shows():
    printed = _run_examples()
    assert printed[0] == "[0.2 0.5 0.3]"
    assert printed[1] == "[0.12649111 0.15811388 0.14491377]"
    ce, entropy = map(float, printed[2].split())
    assert abs(ce - 1.02965301406457) < 1e-12 and abs(entropy - 1.02965301406457) < 1e-12
    p, bse = map(float, printed[3].split())
    assert abs(p - 0.625) < 1e-8 and abs(bse - 0.171163) < 1e-6
    table, gamma = (block.splitlines() for block in _blocks("text"))
    assert printed[4:] == table + gamma
