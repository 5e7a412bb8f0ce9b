"""Hash a 1 GB object streamed from a moto S3 server; report throughput and peak memory growth.

The moto server runs in its own process so only the hashing client's memory is measured.
Usage: .venv/bin/python bench/hash_bench.py [size_mib]
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUCKET, KEY = "bench-bucket", "models/bench/v1/model.tar.gz"
PART = 16 * 1024 * 1024
TARGET_MIB = 64


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def upload(endpoint: str, size: int) -> str:
    """Multipart-upload `size` bytes built from one reused 16 MiB buffer; return the expected sha256."""
    s3, block, expected = _client(endpoint), bytearray(os.urandom(PART)), hashlib.sha256()
    s3.create_bucket(Bucket=BUCKET)
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key=KEY)["UploadId"]
    parts = []
    for number in range(1, size // PART + 1):
        block[:4] = number.to_bytes(4, "big")
        expected.update(block)
        etag = s3.upload_part(
            Bucket=BUCKET, Key=KEY, UploadId=upload_id, PartNumber=number, Body=bytes(block)
        )["ETag"]
        parts.append({"PartNumber": number, "ETag": etag})
    s3.complete_multipart_upload(Bucket=BUCKET, Key=KEY, UploadId=upload_id, MultipartUpload={"Parts": parts})
    return expected.hexdigest()


def measure(endpoint: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a fresh process: hash the object and report digest, seconds and memory growth."""
    sys.path.insert(0, str(ROOT))
    from lambdas.register.digest import stream_sha256

    s3 = _client(endpoint)
    s3.head_object(Bucket=BUCKET, Key=KEY)  # warm the client before the baseline
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    digest, size = stream_sha256(s3, BUCKET, KEY)
    seconds = time.perf_counter() - start
    _, traced_peak = tracemalloc.get_traced_memory()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    queue.put((digest, size, seconds, traced_peak / 2**20, rss_growth / 1024))


def main() -> None:
    """Start moto, upload, hash in a child process, print figures; exit 1 when a target is missed."""
    size = (int(sys.argv[1]) if len(sys.argv) > 1 else 1024) * 2**20
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        time.sleep(2)
        expected = upload(endpoint, size)
        queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()  # type: ignore[type-arg]
        child = multiprocessing.get_context("spawn").Process(target=measure, args=(endpoint, queue))
        child.start()
        digest, hashed, seconds, traced_mib, rss_mib = queue.get(timeout=900)
        child.join()
    finally:
        server.terminate()
        server.wait()
    print(
        f"hashed {hashed / 2**20:.0f} MiB in {seconds:.1f} s ({hashed / 2**20 / seconds:.0f} MiB/s); "
        f"digest {'matches' if digest == expected else 'MISMATCH'}"
    )
    print(
        f"peak memory growth: tracemalloc {traced_mib:.1f} MiB, ru_maxrss {rss_mib:.1f} MiB "
        f"(target <= {TARGET_MIB})"
    )
    sys.exit(0 if digest == expected and max(traced_mib, rss_mib) <= TARGET_MIB else 1)


if __name__ == "__main__":
    main()
