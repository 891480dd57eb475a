"""What ``generate_mock_server`` answers of a large generation: the first files
and report entries, and how many were left out (all with ``full_report``)."""

from __future__ import annotations

from mockc.compiler.assistant.generation import LISTED, _shortened


def test_long_lists_are_cut_and_counted() -> None:
    entries = [{"file": f"mocks/op{n}.yaml", "kind": "added"} for n in range(LISTED + 5)]
    answer = {
        "files_written": [entry["file"] for entry in entries],
        "merge_report": {"changed": True, "entries": entries},
        "conflicts_open": [{"file": "mocks/op1.yaml"}],
    }
    short = _shortened(answer)
    assert len(short["files_written"]) == LISTED and short["files_written_left_out"] == 5
    assert short["merge_report"]["entries"] == entries[:LISTED]
    assert short["merge_report"]["entries_left_out"] == 5
    assert short["conflicts_open"] == answer["conflicts_open"]
    assert len(answer["merge_report"]["entries"]) == LISTED + 5  # the answer itself is kept
    assert len(answer["files_written"]) == LISTED + 5


def test_short_lists_are_kept_whole() -> None:
    answer = {"files_written": ["a"], "merge_report": {"entries": [{"file": "a"}]}}
    assert _shortened(answer) == answer
