"""The Processing-job entry point: N shards profiled separately and merged equal one pass, exactly."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_drift import DatasetProfile, NumericProfile, batch_from_arrays, parse_capture, profile
from mlops_drift.processing_job import (
    PartialProfile,
    empty_partial,
    host_name,
    main,
    merge_partials,
    profile_directory,
    run,
)

ROWS = 900


def _line(i: int, x: float, y: str) -> str:
    inp = {"observedContentType": "text/csv", "mode": "INPUT", "data": f"{x!r},{y}", "encoding": "CSV"}
    out = {"observedContentType": "text/csv", "mode": "OUTPUT", "data": "0.5", "encoding": "CSV"}
    meta = {"eventId": f"e{i}", "inferenceTime": "2026-01-01T00:00:00Z"}
    return json.dumps(
        {
            "captureData": {"endpointInput": inp, "endpointOutput": out},
            "eventMetadata": meta,
            "eventVersion": "0",
        }
    )


def _dataset(seed: int) -> tuple[list[str], DatasetProfile]:
    rng = np.random.default_rng(seed)
    xs = np.round(rng.normal(3.0, 2.0, ROWS), 4)
    ys = rng.choice(["a", "b", "c", "d"], ROWS)
    baseline = profile(
        batch_from_arrays({"x": rng.normal(3.0, 2.0, 500)}, {"y": list(rng.choice(["a", "b", "c"], 500))})
    )
    lines = [_line(i, float(x), str(y)) for i, (x, y) in enumerate(zip(xs, ys, strict=True))]
    lines[17] = "{broken"
    return lines, baseline


def _write_shards(tmp: Path, lines: list[str], cuts: list[int], shards: int) -> list[Path]:
    """Split lines into files at `cuts`, then deal the files round-robin to `shards` directories."""
    bounds = [0, *sorted(set(cuts)), len(lines)]
    dirs = [tmp / f"shard{s}" for s in range(shards)]
    for d in dirs:
        d.mkdir()
    for n, (a, b) in enumerate(itertools.pairwise(bounds)):
        folder = dirs[n % shards] / "2026" / "01" / f"{n:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "capture.jsonl").write_text("\n".join(lines[a:b]) + "\n")
    return dirs


@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(1, ROWS - 1), max_size=8), shards=st.integers(1, 4), seed=st.integers(0, 5))
def test_sharded_partials_merge_to_the_single_pass_profile(tmp_path_factory, cuts, shards, seed) -> None:
    tmp = tmp_path_factory.mktemp("job")
    lines, baseline = _dataset(seed)
    (tmp / "baseline.json").write_text(json.dumps(baseline.to_dict()))
    outputs = [
        run(d, tmp / "baseline.json", tmp / "out", f"algo-{i}")
        for i, d in enumerate(_write_shards(tmp, lines, cuts, shards))
    ]
    parts = [PartialProfile.from_dict(json.loads(p.read_text())) for p in outputs]
    merged = merge_partials(baseline.spec, parts)
    parsed = parse_capture(lines, baseline.spec)
    single = profile(parsed.features, baseline.spec)
    assert merged.lines_read == len(lines) and merged.malformed_lines == parsed.malformed_lines == 1
    assert merged.profile.record_count == single.record_count == ROWS - 1
    (mx, my), (sx, sy) = merged.profile.features, single.features
    assert isinstance(mx, NumericProfile) and isinstance(sx, NumericProfile)
    assert (mx.count, mx.missing, mx.present, mx.histogram) == (
        sx.count,
        sx.missing,
        sx.present,
        sx.histogram,
    )
    assert (mx.minimum, mx.maximum) == (sx.minimum, sx.maximum)
    assert math.isclose(mx.mean, sx.mean, rel_tol=1e-12) and math.isclose(mx.std, sx.std, rel_tol=1e-9)
    assert my == sy  # categorical: counts, other and unseen examples identical


def test_main_writes_one_partial_named_after_the_host(tmp_path: Path) -> None:
    lines, baseline = _dataset(1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("\n".join(lines[:100]))
    (tmp_path / "b.json").write_text(json.dumps(baseline.to_dict()))
    (tmp_path / "rc.json").write_text('{"current_host": "algo-3", "hosts": ["algo-1", "algo-2", "algo-3"]}')
    main(
        [
            "--capture",
            str(tmp_path / "in"),
            "--baseline",
            str(tmp_path / "b.json"),
            "--output",
            str(tmp_path / "o"),
            "--name",
            "algo-3",
        ]
    )
    (written,) = (tmp_path / "o").iterdir()
    partial = PartialProfile.from_dict(json.loads(written.read_text()))
    assert written.name == f"partial-{host_name(tmp_path / 'rc.json')}.json" == "partial-algo-3.json"
    assert (partial.files, partial.lines_read, partial.malformed_lines, partial.profile.record_count) == (
        1,
        100,
        1,
        99,
    )
    assert partial.issues[0].file == "a.jsonl" and partial.issues[0].line == 18


def test_an_empty_shard_is_the_identity_of_merge(tmp_path: Path) -> None:
    lines, baseline = _dataset(2)
    one = run(
        _write_shards(tmp_path, lines, [], 1)[0], _baseline_file(tmp_path, baseline), tmp_path / "o", "a"
    )
    part = PartialProfile.from_dict(json.loads(one.read_text()))
    empty = empty_partial(baseline.spec)
    assert empty.profile.record_count == 0 and empty.files == 0
    assert merge_partials(baseline.spec, [empty, part]).profile.features[1] == part.profile.features[1]


def _baseline_file(tmp: Path, baseline: DatasetProfile) -> Path:
    path = tmp / "baseline.json"
    path.write_text(json.dumps(baseline.to_dict()))
    return path


def test_workers_give_the_same_partial_as_one_process(tmp_path: Path) -> None:
    lines, baseline = _dataset(3)
    shard = _write_shards(tmp_path, lines, [100, 300, 450, 700], 1)[0]
    one = profile_directory(shard, baseline.spec)
    assert profile_directory(shard, baseline.spec, workers=2).to_dict() == one.to_dict()
    assert one.files == 5 and one.malformed_lines == 1


def test_a_file_too_large_to_read_is_skipped_and_reported_on_the_processing_path(
    tmp_path: Path, monkeypatch
) -> None:
    import mlops_drift.partial as partial

    lines, baseline = _dataset(4)
    shard = _write_shards(tmp_path, lines, [], 1)[0]
    limit = max(path.stat().st_size for path in shard.rglob("*.jsonl"))  # the capture file is read
    (shard / "huge.jsonl").write_bytes(b"x" * (limit + 1))
    monkeypatch.setattr(partial, "MAX_FILE_BYTES", limit)
    result = profile_directory(shard, baseline.spec)
    assert (result.files, result.unreadable_files, result.profile.record_count) == (2, 1, len(lines) - 1)
    assert [(issue.file, issue.line) for issue in result.issues] == [
        ("2026/01/000/capture.jsonl", 18),
        ("huge.jsonl", 0),
    ]


def test_a_job_out_of_time_reports_the_lines_it_did_not_read_and_still_writes_its_partial(
    tmp_path: Path,
) -> None:
    # Given a shard of two files and a job left no time to read them (--seconds 0)
    lines, baseline = _dataset(5)
    shard = _write_shards(tmp_path, lines, [400], 1)[0]
    base = _baseline_file(tmp_path, baseline)
    main(
        [
            "--capture",
            str(shard),
            "--baseline",
            str(base),
            "--output",
            str(tmp_path / "o"),
            "--name",
            "a",
            "--seconds",
            "0",
        ]
    )
    # Then its partial is written, every line is counted, and each file names the lines it did not read
    partial = PartialProfile.from_dict(json.loads((tmp_path / "o" / "partial-a.json").read_text()))
    assert partial.profile.record_count == 0
    assert (partial.files, partial.lines_read, partial.malformed_lines) == (2, len(lines), len(lines))
    assert [(issue.line, issue.reason.split(":")[1]) for issue in partial.issues] == [
        (1, " the check's time ran out"),
        (1, " the check's time ran out"),
    ]
