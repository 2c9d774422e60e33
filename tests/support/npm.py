"""Atlassian's `@forge/manifest` at a pinned version, fetched from the npm registry into a cache outside the repository.

Its licence (Atlassian's developer terms) forbids vendoring it. Without npm the tests that need it skip, unless
`WORK_SYNC_REQUIRE_NPM=1` (CI) makes that a failure; with npm, a failing fetch is a failure.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

VERSION = "13.7.0"
PACKAGE = f"@forge/manifest@{VERSION}"
REQUIRE_NPM = os.environ.get("WORK_SYNC_REQUIRE_NPM") == "1"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "work-sync" / f"forge-manifest-{VERSION}"


def package_dir() -> Path:
    """The unpacked package (its directory with `package.json`), fetched with `npm pack` once and cached."""
    unpacked = CACHE / "package"
    if (unpacked / "package.json").is_file():
        return unpacked
    if shutil.which("npm") is None:
        if REQUIRE_NPM:
            pytest.fail(f"npm is required (WORK_SYNC_REQUIRE_NPM=1) to fetch {PACKAGE}")
        pytest.skip(f"npm is not installed here; CI sets WORK_SYNC_REQUIRE_NPM=1 and always fetches {PACKAGE}")
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "pack", PACKAGE, "--silent", "--pack-destination", str(CACHE)], cwd=CACHE,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"npm pack {PACKAGE} failed: {done.stderr[-2000:]}"
    archive = CACHE / done.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE, filter="data")
    return unpacked


VALIDATOR = CACHE.parent / f"forge-manifest-validate-{VERSION}"


def validator_dir() -> Path:
    """A folder where `require("@forge/manifest")` works: the pinned package and tslib, installed without scripts."""
    if (VALIDATOR / "node_modules" / "@forge" / "manifest" / "package.json").is_file() and \
            (VALIDATOR / "node_modules" / "tslib").is_dir():
        return VALIDATOR
    if shutil.which("npm") is None or shutil.which("node") is None:
        if REQUIRE_NPM:
            pytest.fail(f"npm and node are required (WORK_SYNC_REQUIRE_NPM=1) to run {PACKAGE}'s validate()")
        pytest.skip(f"npm is not installed here; CI sets WORK_SYNC_REQUIRE_NPM=1 and runs {PACKAGE}'s validate()")
    VALIDATOR.mkdir(parents=True, exist_ok=True)
    (VALIDATOR / "package.json").write_text('{"private": true}\n')
    command = ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--silent", PACKAGE, "tslib"]
    done = subprocess.run(command, cwd=VALIDATOR, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"npm install {PACKAGE} tslib failed: {done.stderr[-2000:]}"
    return VALIDATOR
