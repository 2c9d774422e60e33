"""The repository stands alone: no file names a place outside it."""
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Assembled from parts so that this file does not match itself.
OUTSIDE = re.compile("|".join([
    re.escape("..") + "/" + "shared",                  # the workplace folder beside a checkout
    "(?<![A-Za-z0-9_.-])/" + "(?:work|root|home|Users)/",  # somebody's machine
]))


def _tracked_text_files():
    names = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        path = REPO / name
        if path.is_file() and b"\0" not in path.read_bytes()[:4096]:
            yield name, path


def test_no_file_names_a_path_outside_the_repository():
    offenders = []
    for name, path in _tracked_text_files():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if OUTSIDE.search(line):
                offenders.append(f"{name}:{number}: {line.strip()[:100]}")
    assert offenders == [], "\n".join(offenders)
