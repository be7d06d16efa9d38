"""Settings: the index is a directory or a Chroma server's address (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from regioassist.config import Settings
from regioassist.location import ServerAddress, bind_server, bound_server, default_server_cache

pytestmark = pytest.mark.unit


def test_a_directory_stays_a_directory(tmp_path: Path) -> None:
    s = Settings(index_dir=tmp_path / "idx")
    assert s.index_dir == tmp_path / "idx" and s.index_url is None


def test_an_address_moves_to_index_url_and_gets_a_local_folder(tmp_path: Path) -> None:
    s = Settings(index_dir="http://127.0.0.1:8123", server_cache_dir=tmp_path)
    assert s.index_url == "http://127.0.0.1:8123"
    assert s.index_dir == tmp_path / "127.0.0.1_8123_regioassist"  # '//' survives: never a Path("http://...")


def test_the_environment_takes_an_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOASSIST_INDEX_DIR", "https://Chroma.example.org")
    monkeypatch.setenv("REGIOASSIST_SERVER_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("REGIOASSIST_COLLECTION", "gooi")
    s = Settings()
    # https without a port: 443; the host as urlsplit lowers it
    assert s.index_url == "https://chroma.example.org:443"
    assert s.index_dir == tmp_path / "chroma.example.org_443_gooi"


def test_an_index_url_given_itself_keeps_index_dir_as_its_local_folder(tmp_path: Path) -> None:
    s = Settings(index_url="http://localhost", index_dir=tmp_path / "mine")
    assert s.index_url == "http://localhost:8000" and s.index_dir == tmp_path / "mine"  # 8000: chroma run's default


def test_overrides_switch_between_directory_and_server(tmp_path: Path) -> None:
    on_disk = Settings(index_dir=tmp_path / "idx", server_cache_dir=tmp_path / "cache")
    served = on_disk.with_overrides(index_dir="http://10.0.0.5:9000")
    assert served.index_url == "http://10.0.0.5:9000"
    assert served.index_dir == tmp_path / "cache" / "10.0.0.5_9000_regioassist"
    back = served.with_overrides(index_dir=tmp_path / "other")
    assert back.index_url is None and back.index_dir == tmp_path / "other"
    # another collection on the same server gets its own local folder; unrelated overrides keep it
    assert served.with_overrides(collection="tweede").index_dir == tmp_path / "cache" / "10.0.0.5_9000_tweede"
    assert served.with_overrides(port=9999).index_dir == served.index_dir


@pytest.mark.parametrize(
    "value",
    ["http://host:8000/regioassist", "http://:8000", "http://host:99999", "ftp://host:21", "http://u@host:1"],
)
def test_an_address_we_cannot_use_is_refused(value: str, tmp_path: Path) -> None:
    scheme_is_http = value.startswith("http")
    if not scheme_is_http:  # not an address at all: a (strange) directory name
        assert Settings(index_dir=value).index_url is None
        return
    with pytest.raises(ValidationError, match="http"):
        Settings(index_dir=value, server_cache_dir=tmp_path)


def test_folder_names_are_safe_for_ipv6_hosts() -> None:
    server = ServerAddress.parse("http://[::1]:8000")
    assert server.url == "http://[::1]:8000"
    assert server.folder_name("regioassist") == "--1_8000_regioassist"


def test_the_cache_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_server_cache() == tmp_path / "regioassist"


def test_a_local_folder_remembers_its_server(tmp_path: Path) -> None:
    assert bound_server(tmp_path / "idx") is None
    bind_server(tmp_path / "idx", "http://127.0.0.1:8123")
    bind_server(tmp_path / "idx", "http://127.0.0.1:8123")  # again: unchanged
    assert bound_server(tmp_path / "idx") == "http://127.0.0.1:8123"
    assert [p.name for p in (tmp_path / "idx").iterdir()] == ["chroma.url"]
