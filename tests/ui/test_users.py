"""The studio's users file holds argon2id hashes only; ``dailies user add`` writes them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app
from ui.studio.access import parse_login
from ui.studio.errors import BadInput
from ui.studio.users import Logins, load_users

runner = CliRunner()


def test_user_add_writes_a_hash_that_logs_in_and_never_the_password(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    result = runner.invoke(app, ["user", "add", "alice", "--users", str(users)], input="won:der land\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(users)
    text = users.read_text()
    assert "won:der land" not in text and text.startswith("alice:$argon2id$")
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    logins = load_users(users)
    assert logins.names() == ["alice"]
    assert logins("alice", "won:der land") is True
    assert logins("alice", "won:der") is False
    assert logins("mallory", "won:der land") is False


def test_user_add_replaces_a_password_and_keeps_other_lines(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("# the studio's users\n")
    for name, password in [("alice", "one"), ("bob", "two"), ("alice", "three")]:
        assert runner.invoke(app, ["user", "add", name, "--users", str(users)], input=f"{password}\n").exit_code == 0
    lines = users.read_text().splitlines()
    assert lines[0] == "# the studio's users" and len(lines) == 3
    logins = load_users(users)
    assert sorted(logins.names()) == ["alice", "bob"]
    assert logins("alice", "three") and not logins("alice", "one") and logins("bob", "two")


def test_user_add_refuses_an_empty_password_or_a_bad_name(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    result = runner.invoke(app, ["user", "add", "alice", "--users", str(users)], input="\n")
    assert result.exit_code == 1 and "error: the password is empty" in result.stderr and not users.exists()
    result = runner.invoke(app, ["user", "add", "a:b", "--users", str(users)], input="pw\n")
    assert result.exit_code == 1 and "error: a user name is non-empty" in result.stderr and not users.exists()


def test_a_plain_text_password_is_refused_with_the_command_that_fixes_it(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    runner.invoke(app, ["user", "add", "alice", "--users", str(users)], input="wonderland\n")
    users.write_text(users.read_text() + "bob:builder\n")
    with pytest.raises(BadInput, match=r"users.txt:2: the password of 'bob' is in plain text.*dailies user add bob"):
        load_users(users)


def test_malformed_users_files_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    path.write_text("alice\n")
    with pytest.raises(BadInput, match=":1: expected user:HASH"):
        load_users(path)
    path.unlink()
    runner.invoke(app, ["user", "add", "a", "--users", str(path)], input="1\n")
    runner.invoke(app, ["user", "add", "b", "--users", str(path)], input="2\n")
    path.write_text(path.read_text().replace("b:", "a:"))
    with pytest.raises(BadInput, match="twice"):
        load_users(path)
    path.write_text("# nobody\n")
    with pytest.raises(BadInput, match="names no user"):
        load_users(path)
    with pytest.raises(BadInput, match="cannot read"):
        load_users(tmp_path / "missing.txt")


def test_a_login_on_the_command_line_is_hashed_in_memory() -> None:
    assert parse_login("carol:se:cret") == ("carol", "se:cret")
    with pytest.raises(BadInput):
        parse_login(":secret")
    logins = Logins.plain([parse_login("carol:se:cret")])
    assert not logins.hashes["carol"].endswith("se:cret") and logins("carol", "se:cret") and not logins("carol", "se")
