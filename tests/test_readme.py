"""The README's seed example runs and prints what the README says it prints."""

import contextlib
import io
import pathlib

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _blocks(text, lang):
    """The fenced code blocks of `text` whose info string is `lang` ("" for plain fences)."""
    blocks, current, info = [], None, None
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == lang:
                    blocks.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_readme_seed_example_prints_what_the_readme_shows():
    text = README.read_text(encoding="utf-8")
    code = next(b for b in _blocks(text, "python") if "mindspore.grad(function, (2, 3))" in b)
    shown = next(b for b in _blocks(text, "") if b.startswith("(Tensor(shape=[5, 3]"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    # The README elides the middle rows with "..."; every line it shows must be printed.
    for line in shown.splitlines():
        if line.strip() != "...":
            assert line in printed, f"README line not printed: {line!r}"


def test_readme_set_up_commands_are_the_ci_commands():
    text = README.read_text(encoding="utf-8")
    bash = _blocks(text, "bash")
    assert 'pip install ".[examples]" && minispore-digits' in bash[0]
    test_cmd = 'pip install -e ".[test]" && python -m pytest -q'
    assert test_cmd in bash[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci  # CI runs exactly the README's test command
