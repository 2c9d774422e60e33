"""`pip install .` gives a working app: the wheel carries the templates, static files and descriptor template, and
not the simulator (its own distribution)."""
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Runs inside the fresh venv, from an empty folder: only the installed wheel provides `plugin`.
CHECK = textwrap.dedent('''
    import sys, time, jwt, pathlib
    import plugin
    from plugin.app import create_app
    from plugin.connect.qsh import qsh
    from plugin.connect.secretbox import SecretBox
    from plugin.db import migrate
    from plugin.models import Tenant
    from plugin.settings import Settings

    folder = pathlib.Path(sys.argv[1])
    assert str(pathlib.Path(plugin.__file__).resolve()).startswith(sys.prefix), plugin.__file__
    settings = Settings(base_url="https://work-sync.example.com", instance_path=folder, secret_key="k" * 40,
                        database_url=f"sqlite:///{folder / 'db.sqlite'}")
    migrate(settings.database_url)
    app = create_app(settings)
    client = app.test_client()
    descriptor = client.get("/atlassian-connect.json").get_json()
    assert descriptor["baseUrl"] == "https://work-sync.example.com", descriptor
    runtime = app.extensions["work_sync"]
    with runtime.sessions() as session, session.begin():
        session.add(Tenant(client_key="site-1", base_url="https://acme.atlassian.net",
                           shared_secret_encrypted=SecretBox("k" * 40).encrypt("s" * 32)))
    now = int(time.time())
    token = jwt.encode({"iss": "site-1", "iat": now, "exp": now + 60, "sub": "user-1",
                        "qsh": qsh("GET", "/pages/admin")}, "s" * 32, algorithm="HS256")
    page = client.get(f"/pages/admin?jwt={token}")
    assert page.status_code == 200 and "Work Sync" in page.get_data(as_text=True), page.status_code
    for static in ("pages.js", "overview.js", "configure.js", "vendor/aui/aui-prototyping.js",
                   "vendor/aui/fonts/atlassian-icons.woff", "vendor/jquery/jquery.min.js"):
        assert client.get(f"/static/{static}").status_code == 200, static
    print("wheel ok", pathlib.Path(plugin.__file__).parent)
''')


def _source_copy(target: Path) -> Path:
    """The repository's files (tracked or new, never ignored ones such as build/ or .venv/) copied to `target`."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_the_built_wheel_serves_the_descriptor_pages_and_static_files_from_a_fresh_venv(tmp_path):
    dist = tmp_path / "dist"
    source = _source_copy(tmp_path / "source")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--verbose", "-w", str(dist),
                            str(source)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    assert "deprecat" not in (build.stdout + build.stderr).lower(), "the build warns about a deprecated setting"
    wheel = next(dist.glob("*.whl"))
    carried = zipfile.ZipFile(wheel).namelist()
    assert not [name for name in carried if name.startswith("jirasim/")], "the app's wheel carries the simulator"
    assert not [name for name in carried if name.startswith("demo/")], "the app's wheel carries the demo launcher"
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target,
                              str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    # The dependencies come from the test environment, after the wheel on sys.path (never its editable checkout).
    (Path(target) / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run([str(python), "-c", CHECK, str(work)], cwd=work, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert str(Path(target) / "plugin") in result.stdout
