"""The CLI's console: warnings grouped by kind, the report summarised,
plain progress lines for logs (a fake clock), markup never read from specs."""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner

from mockc.compiler.cli import main
from mockc.compiler.console import Console, group_diagnostics, message_shape
from mockc.compiler.errors import Diagnostic
from mockc.compiler.merge import Entry, Kind, MergeReport
from tests.support.corpus import CORPUS


def _warning(message: str, code: str | None = None, line: int = 1) -> Diagnostic:
    return Diagnostic(file="api.yaml", line=line, level="warning", message=message, code=code)


def _console(**options: object) -> tuple[Console, io.StringIO]:
    stream = io.StringIO()
    return Console(file=stream, **options), stream  # type: ignore[arg-type]


def test_message_shapes_leave_particulars_out() -> None:
    assert message_shape("parameter 'limit' has an invalid 'in' 'body'; skipped") == (
        "parameter … has an invalid … …; skipped"
    )
    assert message_shape("'7xx' is not a status code (at line 12)") == "… is not a status code …"


def test_many_warnings_are_grouped_counted_and_the_first_few_shown() -> None:
    warnings = [
        _warning(f"op{i}: example 'x' does not match", "example-mismatch", i) for i in range(9)
    ]
    warnings += [_warning(f"invalid minimum {i!r}; ignored", line=100 + i) for i in range(4)]
    assert [(kind, len(group)) for kind, group in group_diagnostics(warnings)] == [
        ("example-mismatch", 9),
        ("invalid minimum N; ignored", 4),
    ]
    console, stream = _console()
    console.diagnostics(warnings)
    lines = stream.getvalue().splitlines()
    assert lines[0] == (
        "mockc: 13 warnings about the specs, 2 kind(s); the first 3 of each "
        "(--verbose shows every one):"
    )
    assert lines[1] == "  9 × example-mismatch"
    assert lines[2] == "    api.yaml:0: warning: op0: example 'x' does not match"
    assert lines[5] == "    … and 6 more"
    assert lines[6] == "  4 × invalid minimum N; ignored"
    assert lines[-1] == "    … and 1 more"
    assert len(lines) == 11


def test_verbose_few_or_quiet() -> None:
    warnings = [_warning(f"invalid minimum {i}; ignored", line=i + 1) for i in range(12)]
    console, stream = _console(verbose=True)
    console.diagnostics(warnings)
    assert len(stream.getvalue().splitlines()) == 12
    console, stream = _console()
    console.diagnostics(warnings[:10])
    assert stream.getvalue().splitlines()[0] == "api.yaml:1: warning: invalid minimum 0; ignored"
    console, stream = _console(quiet=True)
    console.diagnostics(warnings)
    assert stream.getvalue() == ""


def test_spec_text_is_never_markup_and_no_escape_reaches_a_pipe() -> None:
    console, stream = _console()
    console.diagnostics([_warning("[bold red]x[/] :smile: [link=http://a]y[/link]")])
    console.report_lines([(Kind.CONFLICT, "conflict        mocks/[x].yaml [body]: d")])
    assert stream.getvalue() == (
        "api.yaml:1: warning: [bold red]x[/] :smile: [link=http://a]y[/link]\n"
        "  conflict        mocks/[x].yaml [body]: d\n"
    )
    assert "\x1b" not in stream.getvalue()


def test_the_report_lists_every_conflict_and_counts_the_rest() -> None:
    report = MergeReport(out="out")
    for number in range(20):
        report.add(Entry(file=f"mocks/op{number:02}.yaml", kind=Kind.ADDED, detail="mock"))
        report.add(Entry(file=f"gen{number}.py", kind=Kind.ADDED, detail="g", generated=True))
    for number in range(12):
        report.add(
            Entry(file=f"mocks/op{number:02}.yaml", kind=Kind.CONFLICT, field="x", detail="both")
        )
    assert report.summary() == "added 40, conflict 12"
    lines = report.render()
    assert [line.split()[0] for line in lines[:12]] == ["conflict"] * 12
    assert lines[12] == "added           mocks/op00.yaml: mock"
    assert lines[20] == "added           … and 12 more (--verbose lists all)"
    assert lines[21].startswith("added           20 generated files: gen0.py, gen1.py")
    assert len(lines) == 22
    assert len(report.render(verbose=True)) == 52


def test_plain_progress_says_nothing_for_quick_work_then_a_line_now_and_then() -> None:
    now = [0.0]
    console, stream = _console(plain_after=2.0, plain_every=10.0, clock=lambda: now[0])
    with console.progress("github (out/github)") as progress:
        progress.phase("reading specs")
        now[0] = 1.0
        progress.phase("generating mocks", total=1223)
        for _ in range(100):
            progress.advance()
        now[0] = 2.5
        progress.advance()
        now[0] = 5.0
        progress.advance()
        now[0] = 12.6
        progress.phase("merging with your files")
    assert stream.getvalue().splitlines() == [
        "mockc: github (out/github): generating mocks 101/1223",
        "mockc: github (out/github): merging with your files…",
    ]
    console, stream = _console(quiet=True, plain_after=0.0, clock=lambda: now[0])
    with console.progress("x") as progress:
        progress.phase("reading specs")
    assert stream.getvalue() == ""


def test_a_real_spec_with_many_warnings_through_the_cli(tmp_path: Path) -> None:
    spec = CORPUS / "openapi" / "slack-web-api-v2" / "slack_web_openapi_v2.json"
    runner = CliRunner()
    grouped = runner.invoke(main, ["generate", str(spec), "-o", str(tmp_path / "a")])
    assert grouped.exit_code == 0, grouped.stderr
    header = re.search(r"mockc: (\d+) warnings about the specs, (\d+) kind\(s\)", grouped.stderr)
    assert header is not None, grouped.stderr
    total, kinds = int(header[1]), int(header[2])
    assert "× example-mismatch" in grouped.stderr
    shown = grouped.stderr.count(": warning: ")
    assert shown <= 3 * kinds < total
    assert "added           … and" in grouped.stderr  # 174 mocks, counted
    every = runner.invoke(main, ["generate", str(spec), "-o", str(tmp_path / "b"), "-v"])
    assert every.exit_code == 0, every.stderr
    assert every.stderr.count(": warning: ") == total
    assert every.stderr.count("\n  added           mocks/") == 174


def test_check_lists_the_first_files_that_would_change_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    spec = Path(__file__).resolve().parents[2] / "examples" / "petstore" / "openapi.yaml"
    runner = CliRunner()
    short = runner.invoke(main, ["generate", str(spec), "-o", str(tmp_path), "--check"])
    assert short.exit_code == 1
    listed = [line for line in short.stderr.splitlines() if line.startswith("  ")]
    assert len(listed) == 10  # eight files, the count of the rest, the merge state
    assert re.fullmatch(r"  … and \d+ more \(--verbose lists all\)", listed[8])
    every = runner.invoke(main, ["generate", str(spec), "-o", str(tmp_path), "--check", "-v"])
    assert every.exit_code == 1
    assert len([line for line in every.stderr.splitlines() if line.startswith("  ")]) > 90
