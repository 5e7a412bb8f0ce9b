"""The Git pipelines' build steps: validate a pull request's manifests, publish a merge with its author."""

import hashlib
import io
import json
import subprocess
import tarfile
from xml.etree import ElementTree

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws

from mlops_cli.git_changes import changed_manifests
from mlops_cli.git_cmd import git_group
from tests.manifest_samples import minimal_manifest

FILTERS = "models/**/manifest.json,images/**"
ARTIFACT = b"not really a model, but bytes with a digest"
BUCKET = "registry"


def sh(repo, *args, email="carol@example.com"):
    identity = ["-c", "user.name=Carol", "-c", f"user.email={email}"]
    return subprocess.run(
        ["git", "-C", str(repo), *identity, *args], check=True, capture_output=True, text=True
    )


def write(repo, path, content):
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())


def commit(repo, message, email="carol@example.com"):
    sh(repo, "add", "-A")
    sh(repo, "commit", "-q", "-m", message, email=email)
    return sh(repo, "rev-parse", "HEAD").stdout.strip()


def manifest(model="churn", version="v1", **overrides):
    sha = hashlib.sha256(ARTIFACT).hexdigest()
    return minimal_manifest(model_name=model, version=version, artifact={"sha256": sha}, **overrides)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository whose main branch holds one model version; the build runs in its checkout."""
    monkeypatch.chdir(tmp_path)
    for name in ("AWS_PROFILE", "MLOPS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    sh(tmp_path, "init", "-q", "-b", "main")
    write(tmp_path, "models/churn/v1/manifest.json", manifest())
    write(tmp_path, "README.md", b"models")
    commit(tmp_path, "first model")
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(git_group, [*args, "--path-filters", FILTERS])


def test_a_pull_request_is_checked_on_the_manifests_it_changes_only(repo):
    sh(repo, "checkout", "-q", "-b", "feature")
    write(repo, "models/churn/v2/manifest.json", manifest(version="v2"))
    write(repo, "README.md", b"more models")
    commit(repo, "second version")

    assert changed_manifests(repo, "main", FILTERS.split(",")) == ["models/churn/v2/manifest.json"]
    assert changed_manifests(repo, "main", ["models/other/**"]) == []


def test_an_unknown_base_checks_every_manifest_rather_than_none(repo):
    assert changed_manifests(repo, "origin/missing", FILTERS.split(",")) == ["models/churn/v1/manifest.json"]


def test_a_bad_manifest_fails_the_check_with_a_junit_report_naming_the_field(repo):
    sh(repo, "checkout", "-q", "-b", "feature")
    write(repo, "models/churn/v2/manifest.json", manifest(version="v2", framework="cobol"))
    commit(repo, "bad version")

    result = invoke("validate", "--base", "main", "--report", "report.xml")

    assert result.exit_code == 1
    assert "models/churn/v2/manifest.json: 1 problem(s)" in result.output
    suite = ElementTree.parse(repo / "report.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("1", "1")
    (failure,) = suite.iter("failure")
    assert failure.get("message", "").startswith("framework: found")


def test_a_good_change_passes_the_check(repo):
    sh(repo, "checkout", "-q", "-b", "feature")
    write(repo, "models/churn/v2/manifest.json", manifest(version="v2"))
    commit(repo, "good version")

    result = invoke("validate", "--base", "main", "--report", "report.xml")

    assert result.exit_code == 0, result.output
    suite = ElementTree.parse(repo / "report.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def publish():
    return CliRunner().invoke(git_group, ["publish", "--bucket", BUCKET, "--path-filters", FILTERS])


def test_a_merge_pushes_the_artifact_and_the_manifest_with_its_author_as_uploader(repo, s3):
    first = sh(repo, "rev-parse", "HEAD").stdout.strip()  # carol wrote the manifest
    write(repo, "models/churn/v1/model.tar.gz", ARTIFACT)
    commit(repo, "artifact", email="dave@example.com")

    result = publish()

    assert result.exit_code == 0, result.output
    head = s3.head_object(Bucket=BUCKET, Key="models/churn/v1/manifest.json")
    assert head["Metadata"] == {"requested-by": "carol@example.com", "git-commit": first}
    artifact = s3.get_object(Bucket=BUCKET, Key="models/churn/v1/model.tar.gz")
    assert artifact["Body"].read() == ARTIFACT


def test_the_uploader_is_whoever_last_changed_the_manifest(repo, s3):
    write(repo, "models/churn/v1/model.tar.gz", ARTIFACT)
    commit(repo, "artifact", email="dave@example.com")
    write(repo, "models/churn/v1/manifest.json", manifest(description="retrained"))
    sha = commit(repo, "describe", email="erin@example.com")

    assert publish().exit_code == 0

    head = s3.head_object(Bucket=BUCKET, Key="models/churn/v1/manifest.json")
    assert head["Metadata"] == {"requested-by": "erin@example.com", "git-commit": sha}


def test_a_version_already_published_is_left_alone_and_an_edited_one_refused(repo, s3):
    write(repo, "models/churn/v1/model.tar.gz", ARTIFACT)
    commit(repo, "artifact")
    assert publish().exit_code == 0
    first = s3.head_object(Bucket=BUCKET, Key="models/churn/v1/manifest.json")["ETag"]

    assert "unchanged in the registry" in publish().output
    write(repo, "models/churn/v1/manifest.json", manifest(description="edited in place"))
    commit(repo, "edit a published version")
    result = publish()

    assert result.exit_code == 1
    assert "versions are immutable" in result.output
    assert s3.head_object(Bucket=BUCKET, Key="models/churn/v1/manifest.json")["ETag"] == first


def test_an_artifact_missing_everywhere_is_refused_and_one_in_the_registry_is_used(repo, s3):
    result = publish()

    assert result.exit_code == 1
    assert "neither beside it in the repository nor in s3://registry/models/churn/v1/model.tar.gz" in (
        result.output
    )
    s3.put_object(Bucket=BUCKET, Key="models/churn/v1/model.tar.gz", Body=ARTIFACT)
    assert publish().exit_code == 0
    assert s3.head_object(Bucket=BUCKET, Key="models/churn/v1/manifest.json")["Metadata"]["requested-by"] == (
        "carol@example.com"
    )


def test_an_artifact_with_another_digest_is_refused(repo, s3):
    write(repo, "models/churn/v1/model.tar.gz", b"other bytes")
    commit(repo, "wrong artifact")

    result = publish()

    assert result.exit_code == 1
    assert "but the manifest declares" in result.output
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_an_image_folder_becomes_one_build_context_upload(repo, s3):
    write(repo, "models/churn/v1/model.tar.gz", ARTIFACT)
    write(repo, "images/churn-serve/1.0/Dockerfile", b"FROM scratch\n")
    write(repo, "images/churn-serve/1.0/serve.py", b"print('hi')\n")
    write(repo, "images/Bad_Name/1/Dockerfile", b"FROM scratch\n")
    commit(repo, "image")

    result = publish()

    assert result.exit_code == 1
    assert "images/Bad_Name/1: image folders are images/<name>/<tag>" in result.output
    body = s3.get_object(Bucket=BUCKET, Key="images/churn-serve/1.0/context.tar.gz")["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        assert sorted(archive.getnames()) == ["Dockerfile", "serve.py"]
    assert "already built or building" in publish().output


SECRET = {"model_name": "AKIAEXAMPLESECRET", "token": "build-machine-secret"}


@pytest.fixture
def host_file(tmp_path_factory):
    """A file of the build machine outside the checkout, which a committed link could point at."""
    path = tmp_path_factory.mktemp("host") / "credentials.json"
    path.write_text(json.dumps(SECRET))
    return path


def test_a_linked_manifest_is_refused_without_reading_the_file_it_points_at(repo, host_file):
    sh(repo, "checkout", "-q", "-b", "feature")
    (repo / "models/churn/v2").mkdir(parents=True)
    (repo / "models/churn/v2/manifest.json").symlink_to(host_file)
    commit(repo, "linked manifest")

    result = invoke("validate", "--base", "main", "--report", "report.xml")

    assert result.exit_code == 1
    report = (repo / "report.xml").read_text()
    assert "is a symbolic link" in report and "symbolic link" in result.output
    assert "AKIAEXAMPLESECRET" not in report + result.output


def test_a_linked_artifact_or_image_folder_is_not_published(repo, s3, host_file):
    (repo / "models/churn/v1/model.tar.gz").symlink_to(host_file)
    (repo / "images/churn-serve").mkdir(parents=True)
    (repo / "images/churn-serve/1.0").symlink_to(host_file.parent, target_is_directory=True)
    commit(repo, "links")

    result = publish()

    assert result.exit_code == 1
    assert "models/churn/v1/model.tar.gz: it is a symbolic link" in result.output
    # Git keeps the linked folder as one link, not a folder with a Dockerfile: no image is built from it.
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_a_link_inside_an_image_folder_is_not_archived(repo, s3, host_file):
    write(repo, "models/churn/v1/model.tar.gz", ARTIFACT)
    write(repo, "images/churn-serve/1.0/Dockerfile", b"FROM scratch\nCOPY creds.json /\n")
    (repo / "images/churn-serve/1.0/creds.json").symlink_to(host_file)
    commit(repo, "image with a link")

    result = publish()

    assert result.exit_code == 1 and "images/churn-serve/1.0: its folder" not in result.output
    assert "images/churn-serve/1.0/creds.json: it is a symbolic link" in result.output
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert not any(key.startswith("images/") for key in keys)
