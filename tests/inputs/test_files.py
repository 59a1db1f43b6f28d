"""The one file stamp and the one atomic write every layer shares."""

from __future__ import annotations

import os
import stat

import pytest

from pmflib.inputs.files import LastRead, atomic_write, file_stamp


def test_a_file_that_cannot_be_seen_has_no_stamp(tmp_path):
    assert file_stamp(tmp_path / "missing.xlsx") is None


def test_the_stamp_changes_when_the_file_is_saved_again(tmp_path):
    register = tmp_path / "register.xlsx"
    register.write_bytes(b"first")
    before = file_stamp(register)
    assert before == (str(register.resolve()), register.stat().st_mtime_ns, 5)
    register.write_bytes(b"second save")
    os.utime(register, ns=(before[1] + 1_000_000_000, before[1] + 1_000_000_000))
    after = file_stamp(register)
    assert after != before and after[2] == len(b"second save")


def test_an_atomic_write_replaces_the_whole_file_with_the_asked_mode(tmp_path):
    page = tmp_path / "site" / "index.html"
    atomic_write(page, b"<p>old</p>")
    assert stat.S_IMODE(page.stat().st_mode) == 0o644
    atomic_write(page, b"<p>new</p>", mode=0o600, durable=True)
    assert page.read_bytes() == b"<p>new</p>"
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert [p.name for p in page.parent.iterdir()] == ["index.html"], "no temporary file is left behind"


def test_a_failed_write_keeps_the_published_file_and_leaves_no_temporary(tmp_path):
    page = tmp_path / "index.html"
    page.write_bytes(b"published")
    with pytest.raises(TypeError):
        atomic_write(page, "not bytes")  # type: ignore[arg-type]
    assert page.read_bytes() == b"published"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_what_was_read_is_given_out_again_only_while_the_files_are_unchanged(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("one", encoding="utf-8")
    reads = []

    def read(how=""):
        reads.append(path.read_text(encoding="utf-8") if path.exists() else None)
        return f"{reads[-1]}{how}"

    last = LastRead()
    assert last.get([path], read) == "one" and last.get([path], read) == "one"
    assert len(reads) == 1
    assert last.get([path], lambda: read("!"), how=("other",)) == "one!"  # asked for another way: read again
    path.write_text("two!", encoding="utf-8")
    stat_ = path.stat()
    os.utime(path, ns=(stat_.st_atime_ns, stat_.st_mtime_ns + 10**9))
    assert last.get([path], read) == "two!"  # saved again: read again
    path.unlink()
    last.get([path], read)
    last.get([path], read)
    assert reads[-2:] == [None, None]  # a file that cannot be seen is read every time, for its reader to name
