"""The book's execution cache is cleared when the code behind the notebooks changes."""

import pytest

from genrebench.book.cache import code_fingerprint, ensure_fresh, key_path, main


@pytest.fixture
def project(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "module.py").write_text("VALUE = 1\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "pkg"\n')
    return tmp_path


def _fill(cache):
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "executed.ipynb").write_text("{}")


def test_fingerprint_follows_source_and_pins(project):
    first = code_fingerprint(project)
    assert code_fingerprint(project) == first
    (project / "src" / "pkg" / "module.py").write_text("VALUE = 2\n")
    second = code_fingerprint(project)
    assert second != first
    (project / "pyproject.toml").write_text('[project]\nname = "pkg"\nversion = "2"\n')
    assert code_fingerprint(project) != second


def test_unchanged_code_keeps_the_cache(project):
    cache = project / "_build" / ".jupyter_cache"
    ensure_fresh(cache, project)
    _fill(cache)
    assert ensure_fresh(cache, project) is False
    assert (cache / "executed.ipynb").exists()


@pytest.mark.parametrize("changed", ["src/pkg/module.py", "pyproject.toml", "src/pkg/new.py"])
def test_changed_code_clears_the_cache(project, changed):
    cache = project / "_build" / ".jupyter_cache"
    ensure_fresh(cache, project)
    _fill(cache)
    (project / changed).write_text("# changed\n")
    assert ensure_fresh(cache, project) is True
    assert not cache.exists()
    assert key_path(cache).read_text().strip() == code_fingerprint(project)


def test_a_cache_without_a_key_is_not_trusted(project):
    cache = project / "_build" / ".jupyter_cache"
    _fill(cache)
    ensure_fresh(cache, project)
    assert not cache.exists()


def test_wrong_root_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="wrong --root"):
        code_fingerprint(tmp_path)


def test_command_line_reports_a_clear(project, capsys):
    cache = project / "_build" / ".jupyter_cache"
    main([str(cache), "--root", str(project)])
    _fill(cache)
    (project / "src" / "pkg" / "module.py").write_text("VALUE = 3\n")
    main([str(cache), "--root", str(project)])
    assert "cleared the execution cache" in capsys.readouterr().out


def test_changed_code_also_clears_the_sphinx_environment(project):
    cache = project / "_build" / ".jupyter_cache"
    doctrees = project / "_build" / ".doctrees"
    ensure_fresh(cache, project, also=(doctrees,))
    _fill(cache)
    _fill(doctrees)
    assert ensure_fresh(cache, project, also=(doctrees,)) is False and doctrees.exists()
    (project / "pyproject.toml").write_text("# changed\n")
    assert ensure_fresh(cache, project, also=(doctrees,)) is True
    assert not doctrees.exists() and not cache.exists()


def test_the_protocol_profile_keys_the_execution_cache(project, monkeypatch):
    """A smoke build's outputs never serve the publication build, nor the other way round:
    the profile this process resolved is part of the key (the tests run under smoke)."""
    from genrebench.experiments import protocol

    here = code_fingerprint(project)
    other = next(name for name in protocol.PROFILES if name != protocol.PROFILE)
    monkeypatch.setattr(protocol, "PROFILE", other)
    assert code_fingerprint(project) != here
