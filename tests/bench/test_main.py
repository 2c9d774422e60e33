"""`python -m bench` with a suite it does not have says which suites there are, and measures nothing."""
import subprocess
import sys


def test_an_unknown_suite_is_named_with_the_suites_there_are_and_nothing_runs(tmp_path):
    ran = subprocess.run([sys.executable, "-m", "bench", "engine", "nosuch"], capture_output=True, text=True,
                         timeout=60)
    assert ran.returncode == 1
    assert "no suite named nosuch; the suites are connect, simulator, overview, engine, scaling, forge" in ran.stderr
    assert "== engine" not in ran.stdout  # nothing was measured before the refusal
