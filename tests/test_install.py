"""The locks (requirements/*.txt, made by `make lock`) against pyproject.toml, and two real installs.

The first tests are fast and offline: every dependency pyproject.toml declares (the test extra and
the build backend too) is in the lock, pinned at a version its range allows, on every Python and
platform the locks cover; every locked package has hashes; the test lock repeats the runtime lock.
They fail when someone changes pyproject.toml and forgets `make lock`.

The install tests (marked `install`) need PyPI and a few minutes, so they run only with
KG_INSTALL_TESTS=1 (.ci/run sets it): each makes a fresh venv with the pip that `python3 -m venv`
brings (no upgrade), one installing from the lock as `make demo` does, one `pip install`ing kg
without the lock (the newest versions its ranges allow), and each then ingests and queries the
sample articles.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
TEST_LOCK = ROOT / "requirements" / "lock-test.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# what hatchling asks for to build an editable install (its get_requires_for_build_editable)
EDITABLE_BUILD = [Requirement("editables")]
REFRESH = "pyproject.toml and the locks disagree: run `make lock` (see the Makefile)"


@dataclass(frozen=True)
class Pin:
    name: str  # canonical
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]
    line: str

    def applies(self, env: dict[str, str]) -> bool:
        return self.marker is None or self.marker.evaluate(env)


@dataclass
class Lock:
    pins: list[Pin]
    via: dict[str, set[str]]  # canonical name -> what the "# via" annotations name

    def for_name(self, name: str) -> list[Pin]:
        return [p for p in self.pins if p.name == canonicalize_name(name)]


def read_lock(path: Path) -> Lock:
    """A requirements file as uv writes it: `name==version ; marker \\` then `--hash=...` lines,
    then `# via` comments (one name, or one per line below `# via`)."""
    pins: list[Pin] = []
    via: dict[str, set[str]] = {}
    logical: list[str] = []
    current = None
    in_via = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if stripped.startswith("#"):
            text = stripped[1:].strip()
            if current is not None and text.startswith("via"):
                rest = text[3:].strip()
                via.setdefault(current, set()).update([rest] if rest else [])
                in_via = not rest
            elif current is not None and in_via and raw.startswith("    #   "):
                via[current].add(text)
            continue
        in_via = False
        if not stripped:
            continue
        logical.append(stripped.rstrip("\\").strip())
        if not stripped.endswith("\\"):
            pin = _pin(" ".join(logical), path)
            pins.append(pin)
            current = pin.name
            logical = []
    assert not logical, f"{path.name}: a line ends with a backslash and nothing follows"
    return Lock(pins, via)


def _pin(line: str, path: Path) -> Pin:
    assert not line.startswith("-"), f"{path.name}: an option, not a pinned package: {line}"
    spec, *hashes = re.split(r"\s+--hash=", line)
    requirement = Requirement(spec)
    specifiers = list(requirement.specifier)
    assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{path.name}: not pinned with ==: {spec}"
    assert requirement.url is None, f"{path.name}: a URL, not a package from the index: {spec}"
    return Pin(
        canonicalize_name(requirement.name),
        Version(specifiers[0].version),
        requirement.marker,
        tuple(hashes),
        spec,
    )


def environments() -> list[dict[str, str]]:
    """The Pythons (from requires-python's 3.10 up) and platforms the universal locks cover."""
    envs = []
    platforms = [("linux", "Linux", "posix"), ("darwin", "Darwin", "posix"), ("win32", "Windows", "nt")]
    for minor in range(10, 15):
        for sys_platform, system, os_name in platforms:
            env = dict(default_environment())
            env.update(
                python_version=f"3.{minor}",
                python_full_version=f"3.{minor}.0",
                sys_platform=sys_platform,
                platform_system=system,
                os_name=os_name,
                implementation_name="cpython",
                platform_python_implementation="CPython",
                platform_machine="x86_64",
            )
            envs.append(env)
    return envs


def runtime_requirements() -> list[Requirement]:
    return [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]


def extra_test_requirements() -> list[Requirement]:
    return [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]]


def build_requirements() -> list[Requirement]:
    return [Requirement(r) for r in PYPROJECT["build-system"]["requires"]] + EDITABLE_BUILD


@pytest.fixture(scope="module")
def lock() -> Lock:
    return read_lock(LOCK)


@pytest.fixture(scope="module")
def full_lock() -> Lock:
    return read_lock(TEST_LOCK)


def check_covers(lock: Lock, requirements: list[Requirement], path: Path) -> list[str]:
    """Each requirement, wherever its marker applies: exactly one pin, in its range."""
    problems: dict[str, list[str]] = {}
    for requirement in requirements:
        for env in environments():
            if requirement.marker is not None and not requirement.marker.evaluate(env):
                continue
            pins = [p for p in lock.for_name(requirement.name) if p.applies(env)]
            if not pins:
                problem = f"{requirement} is not locked"
            elif len(pins) > 1:
                problem = f"{requirement.name} is locked twice"
            elif not requirement.specifier.contains(pins[0].version, prereleases=True):
                problem = f"{pins[0].line} is outside pyproject's {requirement}"
            else:
                continue
            problems.setdefault(problem, []).append(f"{env['python_version']}/{env['sys_platform']}")
    return [f"{path.name}: {problem} (Python {', '.join(where)})" for problem, where in problems.items()]


def test_lock_covers_the_dependencies(lock: Lock) -> None:
    problems = check_covers(lock, runtime_requirements() + build_requirements(), LOCK)
    assert not problems, REFRESH + "\n" + "\n".join(problems)


def test_test_lock_covers_the_dependencies_and_the_test_extra(full_lock: Lock) -> None:
    requirements = runtime_requirements() + extra_test_requirements() + build_requirements()
    problems = check_covers(full_lock, requirements, TEST_LOCK)
    assert not problems, REFRESH + "\n" + "\n".join(problems)


def test_locks_name_no_direct_dependency_that_pyproject_dropped(lock: Lock, full_lock: Lock) -> None:
    """A package the lock says kg asks for ('# via kg (pyproject.toml)') that pyproject no longer has."""
    for the_lock, declared, path in [
        (lock, runtime_requirements(), LOCK),
        (full_lock, runtime_requirements() + extra_test_requirements(), TEST_LOCK),
    ]:
        names = {canonicalize_name(r.name) for r in declared}
        stale = sorted(n for n, via in the_lock.via.items() if "kg (pyproject.toml)" in via and n not in names)
        assert not stale, f"{REFRESH}\n{path.name} locks {stale} for kg, which pyproject.toml does not declare"


@pytest.mark.parametrize("path", [LOCK, TEST_LOCK], ids=lambda p: p.name)
def test_every_locked_package_is_hashed_and_locked_once(path: Path) -> None:
    the_lock = read_lock(path)
    assert len(the_lock.pins) > 50, f"{path.name} looks truncated"
    unhashed = [p.line for p in the_lock.pins if not p.hashes or not all(h.startswith("sha256:") for h in p.hashes)]
    assert not unhashed, f"{path.name}: without sha256 hashes: {unhashed}"
    for env in environments():
        names = [p.name for p in the_lock.pins if p.applies(env)]
        twice = sorted({n for n in names if names.count(n) > 1})
        assert not twice, f"{path.name}: locked twice for Python {env['python_version']} on {env['sys_platform']}: {twice}"


def test_no_torch_in_the_locks(full_lock: Lock) -> None:
    heavy = [p.line for p in full_lock.pins if re.match(r"(torch|nvidia-|triton)", p.name)]
    assert not heavy, f"spaCy's small model needs no torch, yet the lock has {heavy}"


def test_test_lock_repeats_the_runtime_lock(lock: Lock, full_lock: Lock) -> None:
    """`make test` installs what `make demo` does, at the same versions, plus the test extra."""
    test_pins = {(p.name, p.version, str(p.marker), p.hashes) for p in full_lock.pins}
    differ = [p.line for p in lock.pins if (p.name, p.version, str(p.marker), p.hashes) not in test_pins]
    assert not differ, f"{REFRESH}\n{TEST_LOCK.name} lacks or differs on: {differ}"


# ---------------------------------------------------------------------------------------------
# Two real installs into fresh venvs (network, minutes): KG_INSTALL_TESTS=1

install_test = pytest.mark.skipif(
    os.environ.get("KG_INSTALL_TESTS") != "1",
    reason="installs from PyPI into fresh venvs (minutes): set KG_INSTALL_TESTS=1",
)
IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "*-store", "__pycache__", ".hypothesis", ".pytest_cache", "build", "dist",
    "*.egg-info", "graph.html", "requirements",  # requirements/: copied on its own below
)
ENV_OF = (
    "import json, os, platform, sys; print(json.dumps(dict("
    "python_version='.'.join(platform.python_version_tuple()[:2]),"
    " python_full_version=platform.python_version(), sys_platform=sys.platform,"
    " platform_system=platform.system(), os_name=os.name, platform_machine=platform.machine(),"
    " platform_release=platform.release(), platform_version=platform.version(),"
    " implementation_name=sys.implementation.name,"
    " platform_python_implementation=platform.python_implementation())))"
)
INSTALLED = (
    "import importlib.metadata as m, json;"
    " print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A copy of the checkout, so that the installs write nothing into it (graph.html, stores)."""
    copy = tmp_path / "kg"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    shutil.copytree(ROOT / "requirements", copy / "requirements")
    return copy


def run(args: list[str], cwd: Path, timeout: float = 1200) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env.pop("KG_STORE", None)
    done = subprocess.run(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=timeout,
    )
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout[-6000:]}"
    return done.stdout


def python3() -> str:
    """The interpreter the Makefile uses (its PYTHON, python3 unless said)."""
    return os.environ.get("PYTHON", "python3")


def check_kg_works(kg: Path, cwd: Path, store: Path) -> None:
    out = run([str(kg), "ingest", "data/articles", "--store", str(store)], cwd)
    assert "articles: 5 added" in out, out
    out = run([str(kg), "query", "who-enacted", "--store", str(store)], cwd)
    assert "Kay Ivey" in out and "Alabama Human Life Protection Act" in out, out


@pytest.mark.install
@install_test
def test_make_demo_in_a_fresh_venv_installs_exactly_the_lock(source: Path, tmp_path: Path) -> None:
    """The README's first command, as written, with a fresh venv's own pip (23.2.1 on CI)."""
    venv = tmp_path / "venv-locked"
    out = run(["make", "demo", f"VENV={venv}", f"STORE={tmp_path / 'store-demo'}", f"PYTHON={python3()}"], source)
    assert "Kay Ivey" in out, out  # make demo's `kg query who-enacted`
    python = venv / "bin" / "python"
    pip = run([str(python), "-m", "pip", "--version"], source)
    run([str(python), "-m", "pip", "check"], source)

    env = json.loads(run([str(python), "-c", ENV_OF], source))
    installed = {canonicalize_name(n): v for n, v in json.loads(run([str(python), "-c", INSTALLED], source)).items()}
    assert installed.pop("kg") == PYPROJECT["project"]["version"]
    installed.pop("pip")
    locked = {p.name: str(p.version) for p in read_lock(LOCK).pins if p.applies(env)}
    assert installed == locked, (
        f"with {pip.strip()}: installed but not locked or at another version: "
        f"{sorted(set(installed.items()) - set(locked.items()))}; "
        f"locked but not installed so: {sorted(set(locked.items()) - set(installed.items()))}"
    )
    check_kg_works(venv / "bin" / "kg", source, tmp_path / "store")


@pytest.mark.install
@install_test
def test_pip_install_without_the_lock_takes_the_newest_allowed_and_works(source: Path, tmp_path: Path) -> None:
    """`pip install kg` as a user does it: no lock, no pip upgrade, a regular (not editable) install."""
    venv = tmp_path / "venv-newest"
    run([python3(), "-m", "venv", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", str(source)], tmp_path)
    run([str(python), "-m", "pip", "check"], tmp_path)
    check_kg_works(venv / "bin" / "kg", source, tmp_path / "store")
