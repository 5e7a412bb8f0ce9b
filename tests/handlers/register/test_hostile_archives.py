"""Given an archive an attacker (or a careless tool) crafted, registration refuses it in plain words,
registers nothing and leaves the upload as it was."""

from __future__ import annotations

import tarfile
from collections.abc import Callable, Iterator, Sequence

import pytest

from lambdas.register import archive
from tests.handlers.register import artifacts as a
from tests.handlers.register.cases import Case, Manifest, assert_rejected, combine, each_case, setter
from tests.handlers.register.conftest import Registry, registry_world

UNSAFE = "unsafe_member"
NO_MODEL = "no_model_file"


def framework(name: str, version: str) -> Callable[[Manifest], None]:
    return combine(setter("framework", name), setter("framework_version", version))


SKLEARN = combine()  # the valid manifest already names scikit-learn
XGBOOST = framework("xgboost", "1.7-1")
PYTORCH = framework("pytorch", "2.5")
TENSORFLOW = framework("tensorflow", "2.9")
HUGGINGFACE = framework("huggingface", "4.6")


def unsafe(case_id: str, extra: a.Member, *words: str) -> Case:
    """A loadable sklearn archive plus one hostile member."""
    return Case(case_id, {("artifact", UNSAFE)}, artifact=a.sklearn_model(extra), words=words)


def no_model(
    case_id: str, edit: Callable[[Manifest], None], members: Sequence[a.Member], *words: str
) -> Case:
    """An archive of these members, none of which the framework's serving container would load."""
    return Case(case_id, {("artifact", NO_MODEL)}, edit, artifact=a.tar_gz(*members), words=words)


CASES = [
    # --- decompression bombs under the size cap
    Case(
        "ratio-bomb-under-size-cap",
        {("artifact", "compression_ratio")},
        artifact=a.ratio_bomb(900 * 1024),
        words=("expands more than", "decompression bomb"),
    ),
    # --- path tricks beyond '..' and absolute paths
    unsafe("backslash-climb", a.file_member("..\\..\\evil.py", b"x"), "a backslash"),
    unsafe("drive-letter", a.file_member("C:/Windows/evil.dll", b"x"), "a drive letter"),
    unsafe("dot-slash-climb", a.file_member("./code/../../evil.py", b"x"), "a '..' path segment"),
    unsafe("nul-in-name", a.pax_named("code/ok.py", "code/ok.py\x00.txt"), "a control character"),
    unsafe("newline-in-name", a.file_member("code/evil\nname.py", b"x"), "a control character"),
    unsafe("empty-file-name", a.file_member("", b"x"), "an empty name"),
    unsafe("not-utf8-name", a.file_member("caf\udce9.bin", b"x"), "not UTF-8"),
    unsafe("pax-path-absolute", a.pax_named("harmless.bin", "/etc/cron.d/evil"), "an absolute path"),
    unsafe("overlong-name", a.file_member("d/" * 600 + "x", b"x"), "a name of 1201 characters"),
    unsafe("overlong-segment", a.file_member("code/" + "y" * 300, b"x"), "longer than 255 bytes"),
    # --- member types and modes
    unsafe("setuid-file", a.entry("code/run.sh", mode=0o4755), "setuid, setgid or sticky", "mode 4755"),
    unsafe("sticky-folder", a.entry("tmp", tarfile.DIRTYPE, mode=0o1777), "mode 1777"),
    unsafe("block-device", a.entry("dev/sda", tarfile.BLKTYPE), "a device file"),
    unsafe("symlink-inside", a.entry("alias", tarfile.SYMTYPE, linkname="model.joblib"), "a symbolic link"),
    unsafe("symlink-climb", a.entry("up", tarfile.SYMTYPE, linkname="../../etc"), "to '../../etc'"),
    unsafe("volume-header", a.entry("label", b"V"), "a special member (tar type b'V')"),
    unsafe("sparse-file", a.entry("holes.bin", tarfile.GNUTYPE_SPARSE), "a sparse file"),
    # --- duplicates and collisions
    unsafe("duplicate-member", a.file_member("model.joblib", b"swapped"), "a duplicate of an earlier member"),
    unsafe("case-collision", a.file_member("Model.joblib", b"x"), "the same file as the earlier member"),
    unsafe("dot-slash-collision", a.file_member("./code//inference.py", b"x"), "'code/inference.py'"),
    # --- nothing the framework's serving container would load
    no_model(
        "sklearn-without-entry-point",
        SKLEARN,
        a.files("model.joblib"),
        "no code/inference.py",
        "loads: code/inference.py defining model_fn",
    ),
    no_model(
        "sklearn-code-only",
        SKLEARN,
        a.files("code/inference.py", ".DS_Store"),
        "no model file outside code/",
    ),
    no_model(
        "folders-only",
        SKLEARN,
        (a.entry("code", tarfile.DIRTYPE), a.entry("model", tarfile.DIRTYPE)),
        "what the SageMaker scikit-learn container loads",
    ),
    no_model(
        "xgboost-model-in-a-folder",
        XGBOOST,
        a.files("output/xgboost-model"),
        "no file at the top level",
        "exactly one top-level model file",
    ),
    no_model(
        "xgboost-two-top-level-files",
        XGBOOST,
        a.files("xgboost-model", "README.txt"),
        "2 files at the top level",
        "whichever it lists first",
    ),
    no_model(
        "xgboost-unrecognised-file",
        XGBOOST,
        a.files("weights.txt"),
        "'weights.txt', which is not named like an XGBoost model",
    ),
    no_model("xgboost-only-a-hidden-file", XGBOOST, a.files("._xgboost-model"), "no file at the top level"),
    no_model(
        "pytorch-without-weights",
        PYTORCH,
        a.files("weights.bin", "code/requirements.txt"),
        "neither code/inference.py nor a top-level .pt/.pth file",
    ),
    no_model(
        "pytorch-two-weight-files",
        PYTORCH,
        a.files("a.pth", "b.pt"),
        "2 top-level .pt/.pth files",
        "no model.pt",
    ),
    no_model(
        "tensorflow-unversioned-savedmodel",
        TENSORFLOW,
        a.files("export/saved_model.pb", "export/variables/variables.index"),
        "no saved_model.pb inside a numbered version folder",
    ),
    no_model(
        "huggingface-without-config",
        HUGGINGFACE,
        a.files("model.safetensors", "tokenizer.json"),
        "neither a top-level config.json nor code/inference.py",
    ),
]


@pytest.fixture(scope="module")
def hostile_world() -> Iterator[Registry]:
    """One world for the module, with the bomb floor lowered to fit the tests' 1 MiB size cap."""
    with pytest.MonkeyPatch.context() as patch, registry_world() as world:
        patch.setattr(archive, "RATIO_FLOOR_BYTES", 128 * 1024)
        yield world


@each_case(CASES, "archive")
def test_hostile_archive_is_refused_in_plain_words(hostile_world: Registry, model: str, case: Case) -> None:
    problems = assert_rejected(hostile_world, case, model)
    if case.expected == {("artifact", UNSAFE)}:
        assert len(problems) == 1 and problems[0]["found"].startswith("member ")


def test_every_case_is_distinct_and_says_why() -> None:
    assert len({c.id for c in CASES}) == len(CASES) >= 30
    assert all(c.words for c in CASES)
