"""The training data local mode's training specs read (config/local-training/): the demo dataset in S3.

What a data team would keep in its own bucket: the training channel, the held-out file the evaluation
scores on, and the training code archive. Written into the local S3 only.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from typing import Any

import numpy as np

from mlops_local.demo_model import TARGET, demo_data

DATA_BUCKET = "mlops-local-training-data"
# The script SageMaker would run; locally scikit-learn stands in for it (mlops_local.training).
_SCRIPT = b"# trains the demo classifier; in local mode mlops_local.training stands in for this script\n"


def _csv(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> bytes:
    """Header row, the features, the target last (the layout the specs name)."""
    rows = [",".join([*demo_data().feature_names, TARGET])]
    rows += [",".join([*map(repr, r.tolist()), str(int(t))]) for r, t in zip(x, y, strict=True)]
    return ("\n".join(rows) + "\n").encode()


def _source_archive() -> bytes:
    """A gzipped tar holding train.py, byte-for-byte the same every time (its digest is run identity)."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w") as tar,
    ):
        info = tarfile.TarInfo("train.py")
        info.size, info.mode, info.mtime = len(_SCRIPT), 0o644, 0
        tar.addfile(info, io.BytesIO(_SCRIPT))
    return buffer.getvalue()


def stage_training_data(s3: Any, model_name: str, *, rows: int | None = None, flipped: float = 0.0) -> None:
    """Write the model's train channel (the first `rows` training rows, a share of labels `flipped` to
    make a worse model), its held-out file and its code archive; creates the bucket on first use."""
    if DATA_BUCKET not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=DATA_BUCKET)
        # As a data team would: objects created here reach EventBridge, where a spec's new-data rule waits.
        s3.put_bucket_notification_configuration(
            Bucket=DATA_BUCKET, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
    data = demo_data()
    x, y = data.train_x[:rows], data.train_y[:rows].copy()
    y[: int(len(y) * flipped)] = 1 - y[: int(len(y) * flipped)]
    s3.put_object(Bucket=DATA_BUCKET, Key=f"{model_name}/train/part-0.csv", Body=_csv(x, y))
    s3.put_object(
        Bucket=DATA_BUCKET, Key=f"{model_name}/held-out.csv", Body=_csv(data.held_out_x, data.held_out_y)
    )
    s3.put_object(Bucket=DATA_BUCKET, Key=f"code/{model_name}/source.tar.gz", Body=_source_archive())
