"""Build hook: the wheel carries the top-level templates/ and atlassian-connect.json inside the package.

Everything else about the package is in pyproject.toml. plugin/resources.py finds the copies under
plugin/_assets/ in an installed wheel, and the originals in a checkout.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ASSETS = ("templates", "atlassian-connect.json")


class BuildPyWithAssets(build_py):
    """build_py that also copies the top-level assets into plugin/_assets/."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "plugin" / "_assets"
        target.mkdir(parents=True, exist_ok=True)
        for name in ASSETS:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildPyWithAssets})
