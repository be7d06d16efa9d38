"""Safety by default: loopback without login, any other address only with users and hashes."""

import bcrypt
import pytest
from typer.testing import CliRunner

from regioassist.cli import app
from regioassist.config import Settings
from regioassist.ui.server import ServeError, auth_for, is_loopback, load_users

pytestmark = pytest.mark.unit

HASH = bcrypt.hashpw(b"geheim-wachtwoord", bcrypt.gensalt(4)).decode()


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.5") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")


def test_loopback_needs_no_login_but_any_other_address_does():
    assert auth_for("127.0.0.1", Settings()) is None
    with pytest.raises(ServeError, match="refusing to serve on 0.0.0.0 without a login"):
        auth_for("0.0.0.0", Settings())


def test_users_from_a_file_and_the_environment_are_checked_with_bcrypt(tmp_path):
    users_file = tmp_path / "users"
    users_file.write_text(f"# wethouders\nanna:{HASH}\n", encoding="utf-8")
    settings = Settings(auth_file=users_file, auth=f"bram:{HASH}")
    assert set(load_users(settings)) == {"anna", "bram"}
    check = auth_for("0.0.0.0", settings)
    assert check("anna", "geheim-wachtwoord") and check("bram", "geheim-wachtwoord")
    assert not check("anna", "fout") and not check("carla", "geheim-wachtwoord")


def test_a_plain_password_is_not_a_hash(tmp_path):
    with pytest.raises(ServeError, match="expected 'user:bcrypt-hash'"):
        load_users(Settings(auth="anna:welkom123"))
    with pytest.raises(ServeError, match="auth file not found"):
        load_users(Settings(auth_file=tmp_path / "nope"))


def test_serve_refuses_in_one_line_before_loading_anything(monkeypatch):
    monkeypatch.delenv("REGIOASSIST_AUTH_FILE", raising=False)
    monkeypatch.delenv("REGIOASSIST_AUTH", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "7999"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: refusing to serve on 0.0.0.0 without a login")
    assert len(result.stderr.strip().splitlines()) == 1


def test_passwd_prints_a_line_the_server_accepts():
    result = CliRunner().invoke(app, ["passwd", "anna"], input="lang-genoeg\nlang-genoeg\n")
    assert result.exit_code == 0, result.output
    line = result.stdout.strip().splitlines()[-1]
    assert auth_for("0.0.0.0", Settings(auth=line))("anna", "lang-genoeg")


def test_a_taken_port_is_one_line_before_loading_anything():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: cannot serve on 127.0.0.1:{port} (Address already in use); choose another --port"
    )
