"""`regioassist serve`: the chat on 127.0.0.1, or behind a login on any other address.

Binding to an address other than loopback needs users with bcrypt password
hashes (``REGIOASSIST_AUTH_FILE`` with ``user:hash`` lines, or
``REGIOASSIST_AUTH`` with ``user:hash`` pairs separated by commas); without
them the server refuses to start. There is no default password.

>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Callable

from regioassist.config import Settings


class ServeError(Exception):
    """The server cannot start as asked; the message is one line."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_users(settings: Settings) -> dict[str, bytes]:
    """user -> bcrypt hash from the auth file and the auth variable."""
    lines: list[str] = []
    if settings.auth_file is not None:
        if not settings.auth_file.is_file():
            raise ServeError(f"{settings.auth_file}: auth file not found")
        lines += settings.auth_file.read_text(encoding="utf-8").splitlines()
    if settings.auth:
        lines += settings.auth.split(",")
    users: dict[str, bytes] = {}
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, _, hashed = line.partition(":")
        if not user or not hashed.startswith("$2"):
            raise ServeError(f"auth entry {number}: expected 'user:bcrypt-hash' (make one with `regioassist passwd USER`)")
        users[user.strip()] = hashed.strip().encode()
    return users


def checker(users: dict[str, bytes]) -> Callable[[str, str], bool]:
    """Gradio's auth callable: the password must match the user's bcrypt hash."""
    import bcrypt

    def check(user: str, password: str) -> bool:
        hashed = users.get(user)
        return hashed is not None and bcrypt.checkpw(password.encode(), hashed)

    return check


def auth_for(host: str, settings: Settings) -> Callable[[str, str], bool] | None:
    """No login on loopback unless users are configured; elsewhere a login or a refusal."""
    users = load_users(settings)
    if not users and not is_loopback(host):
        raise ServeError(
            f"refusing to serve on {host} without a login: set REGIOASSIST_AUTH_FILE to a file of "
            "'user:bcrypt-hash' lines (see `regioassist passwd`), or bind to 127.0.0.1"
        )
    return checker(users) if users else None


def check_port(host: str, port: int) -> None:
    """Fail in one line, before the model loads, when ``host:port`` cannot be bound."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise ServeError(f"{host}: not an address this machine can serve on") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(address)
        except OSError as error:
            raise ServeError(f"cannot serve on {host}:{port} ({error.strerror}); choose another --port") from None


def allowed_paths(settings: Settings, index) -> list[str]:
    """The files a source card may link to: every indexed file and the upload folder."""
    from regioassist.uploads import managed_folder

    paths = {str(Path(key)) for key in index.store.indexed_files()}
    paths.add(str(managed_folder(settings).resolve()))
    return sorted(paths)


def serve(settings: Settings, host: str, port: int, *, block: bool = True, on_ready=print):
    """Load the assistant, build the page and serve it; returns the app when ``block`` is False."""
    auth = auth_for(host, settings)  # refuse before the ~10 s model load
    check_port(host, port)
    from regioassist.pipeline import load_assistant
    from regioassist.ui.app import CSS, build_app

    assistant = load_assistant(settings)
    app = build_app(assistant, settings)
    app.queue(default_concurrency_limit=8)
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="Log in om de documenten van het sociaal domein te bevragen.",
        allowed_paths=allowed_paths(settings, assistant.index),
        max_file_size=f"{settings.upload_max_mb}mb",
        show_error=False,
        quiet=True,
        prevent_thread_lock=True,
        css=CSS,
        footer_links=[],
    )
    on_ready(f"regioassist draait op http://{host}:{port}/ (Ctrl-C om te stoppen)")
    if block:
        app.block_thread()
    return app
