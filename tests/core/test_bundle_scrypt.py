"""A passphrase-sealed bundle cannot make this laptop run scrypt at an absurd work factor."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from functools import cache

import pytest
from pyrage import passphrase as age_passphrase

from fieldwork.core.errors import BundleError
from fieldwork.core.sync import crypto


@cache
def _sealed() -> bytes:
    return age_passphrase.encrypt(b"bundle bytes", "a long one-time passphrase")


def _with_work_factor(log_n: int) -> bytes:
    head, rest = _sealed().split(b"\n---", 1)
    lines = head.split(b"\n")
    i = next(n for n, line in enumerate(lines) if line.startswith(b"-> scrypt "))
    parts = lines[i].split(b" ")
    assert parts[3].isdigit()  # age writes 18; pyrage calibrates, 19-20 here
    lines[i] = b" ".join([*parts[:3], str(log_n).encode()])
    return b"\n".join(lines) + b"\n---" + rest


def test_the_work_factor_is_read_from_the_header() -> None:
    assert crypto.scrypt_log_n(_with_work_factor(18)) == 18
    assert crypto.scrypt_log_n(_with_work_factor(21)) == 21
    assert crypto.scrypt_log_n(_with_work_factor(24)) == 24
    assert crypto.scrypt_log_n(b"age-encryption.org/v1\n-> X25519 abc\nxyz\n--- mac\n") is None


def test_a_work_factor_of_2_24_is_refused_in_one_line_before_scrypt_runs() -> None:
    # In a child process capped at 2 GiB of address space: scrypt at 2^24 needs 16 GiB,
    # so running it would abort the child rather than the test run.
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from fieldwork.core.errors import BundleError
        from fieldwork.core.sync import crypto
        try:
            crypto.decrypt({_with_work_factor(24)!r}, [], lambda: "a long one-time passphrase")
        except BundleError as exc:
            print(exc)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.count("\n") == 1 and "2^24" in result.stdout


def test_age_s_own_work_factor_still_opens() -> None:
    assert crypto.decrypt(_sealed(), [], lambda: "a long one-time passphrase") == b"bundle bytes"
    with pytest.raises(BundleError, match="malformed"):
        crypto.scrypt_log_n(_with_work_factor(18).replace(b" 18\n", b" 018\n"))
