"""Local accounts: scrypt hashing, the accounts file, the sign-in throttle and `planner accounts`."""
import base64
import hashlib
import io
import unicodedata

import pytest

from planner.accounts import (
    Accounts,
    Attempts,
    PasswordHash,
    accounts_enabled,
    accounts_path,
    check_name,
    hash_password,
    load_accounts,
    save_accounts,
    verify_password,
)
from planner.cli import main
from planner.errors import PlannerError

FAST = {"n": 2**10, "r": 8, "p": 1}  # quick parameters for tests; the default is n=2**14


def test_hash_is_salted_scrypt_with_its_parameters():
    salt = bytes(range(16))
    stored = hash_password("mật khẩu đúng", salt=salt, **FAST)
    expected = hashlib.scrypt("mật khẩu đúng".encode(), salt=salt, n=1024, r=8, p=1, dklen=32)
    assert stored == f"scrypt$1024$8$1${base64.b64encode(salt).decode()}${base64.b64encode(expected).decode()}"
    assert hash_password("mật khẩu đúng", **FAST) != hash_password("mật khẩu đúng", **FAST)  # fresh salt each time
    assert hash_password("x" * 8).startswith("scrypt$16384$8$1$")


def test_verify_exact():
    stored = hash_password("mật khẩu đúng", **FAST)
    assert verify_password("mật khẩu đúng", stored)
    assert verify_password(unicodedata.normalize("NFD", "mật khẩu đúng"), stored)  # typed with another keyboard
    assert not verify_password("mật khẩu sai", stored)
    assert not verify_password("mật khẩu đúng ", stored)
    assert not verify_password("", stored)


@pytest.mark.parametrize("bad", ["", "mật khẩu đúng", "md5$abc", "scrypt$1024$8$1$salt", "scrypt$1000$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==",
                                 "scrypt$2097152$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==", "scrypt$1024$8$1$!!$AAAA"])
def test_malformed_hash_never_matches(bad):
    assert not verify_password("mật khẩu đúng", bad)
    with pytest.raises(ValueError):
        PasswordHash.parse(bad)


def test_authenticate_right_wrong_unknown():
    acc = Accounts().with_password("Chị Lan", "mật khẩu đúng", **FAST)
    assert acc.authenticate("Chị Lan", "mật khẩu đúng") == "Chị Lan"
    assert acc.authenticate("  " + unicodedata.normalize("NFD", "Chị Lan") + " ", "mật khẩu đúng") == "Chị Lan"
    assert acc.authenticate("Chị Lan", "mật khẩu sai") is None
    assert acc.authenticate("chị lan", "mật khẩu đúng") is None  # names are exact
    assert acc.authenticate("Anh Minh", "mật khẩu đúng") is None
    assert acc.authenticate("bad\nname", "mật khẩu đúng") is None


def test_names_and_passwords_checked():
    assert check_name("  lan.nguyen@laichau.gov.vn ") == "lan.nguyen@laichau.gov.vn"
    for bad in ("", "   ", "a\nb", "x" * 65, "a;b", 'quote"'):
        with pytest.raises(PlannerError) as err:
            check_name(bad)
        assert err.value.key == "err.account_name"
    with pytest.raises(PlannerError) as err:
        Accounts().with_password("lan", "ngắn")
    assert err.value.message("vi") == "Mật khẩu phải có ít nhất 8 ký tự"
    assert err.value.message("en") == "The password needs at least 8 characters"


def test_file_round_trip_holds_only_hashes(tmp_path):
    acc = Accounts().with_password("Chị Lan", "mật khẩu đúng", **FAST).with_password("minh", "mat-khau-2", **FAST)
    path = save_accounts(acc, tmp_path / "sub" / "accounts.toml")
    text = path.read_text(encoding="utf-8")
    assert "mật khẩu đúng" not in text and "mat-khau-2" not in text and '[users."Chị Lan"]' in text
    assert path.stat().st_mode & 0o077 == 0  # owner only
    back = load_accounts(path)
    assert back == acc and back.authenticate("minh", "mat-khau-2") == "minh"
    assert back.without("minh").users.keys() == {"Chị Lan"}
    with pytest.raises(PlannerError) as err:
        back.without("nobody")
    assert err.value.message("en") == "No account named “nobody”"


@pytest.mark.parametrize("text, key, vi, en", [
    ('[users.lan\npassword_hash = "x"', "err.accounts_toml", "không đọc được (TOML)", "cannot be read as TOML"),
    ('[users.lan]\npassword_hash = "mật khẩu đúng"\n', "err.accounts_entry", "tài khoản “lan” có tên hoặc mã băm mật khẩu không hợp lệ",
     "account “lan” has an invalid name or password hash"),
    ('[users.lan]\npassword = "x"\n', "err.accounts_entry", "python -m planner accounts add TÊN", "python -m planner accounts add NAME"),
    ('users = "lan"\n', "err.accounts_shape", 'chỉ được chứa các bảng [users."tên"]', 'may only hold [users."name"] tables'),
    ('[admins.lan]\npassword_hash = "x"\n', "err.accounts_shape", "password_hash", "password_hash"),
])
def test_malformed_file_messages(tmp_path, text, key, vi, en):
    path = tmp_path / "accounts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlannerError) as err:
        load_accounts(path)
    assert err.value.key == key
    assert vi in err.value.message("vi") and str(path) in err.value.message("vi")
    assert en in err.value.message("en") and str(path) in err.value.message("en")


def test_missing_file_message(tmp_path):
    with pytest.raises(PlannerError) as err:
        load_accounts(tmp_path / "none.toml")
    assert err.value.message("en").startswith(f"Accounts file {tmp_path / 'none.toml'} not found; editing stays locked")
    assert err.value.message("vi").startswith(f"Không tìm thấy tệp tài khoản {tmp_path / 'none.toml'}")


def test_where_the_file_is(tmp_path):
    ws = tmp_path / "ws"
    assert accounts_path(workspace=ws, environ={}) == ws / "accounts.toml"
    assert accounts_path(workspace=ws, environ={"PLANNER_ACCOUNTS": "/etc/planner/a.toml"}).as_posix() == "/etc/planner/a.toml"
    assert not accounts_enabled(workspace=ws, environ={})
    assert accounts_enabled(workspace=ws, environ={"PLANNER_ACCOUNTS": str(tmp_path / "missing.toml")})  # fails closed
    save_accounts(Accounts(), ws / "accounts.toml")
    assert accounts_enabled(workspace=ws, environ={})


def test_throttle_grows_then_caps():
    a = Attempts()
    waits = []
    for _ in range(10):
        a = a.failed(now_s=100.0)
        waits.append(a.wait_s(now_s=100.0))
    assert waits == [0, 0, 5, 10, 20, 40, 80, 160, 300, 300]
    assert a.wait_s(now_s=399.0) == pytest.approx(1.0) and a.wait_s(now_s=400.0) == 0


# --- python -m planner accounts -------------------------------------------------------------
def run(capsys, monkeypatch, *argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_add_change_list_remove(tmp_path, capsys, monkeypatch):
    f = str(tmp_path / "accounts.toml")
    code, out, _ = run(capsys, monkeypatch, "accounts", "add", "Chị Lan", "--password-stdin", "--file", f, stdin="mật khẩu đúng\n")
    assert code == 0 and out.strip() == f"Đã thêm tài khoản “Chị Lan” vào {f}"
    assert load_accounts(f).authenticate("Chị Lan", "mật khẩu đúng") == "Chị Lan"
    assert "mật khẩu đúng" not in (tmp_path / "accounts.toml").read_text(encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "accounts", "add", "Chị Lan", "--password-stdin", "--file", f, "--lang", "en",
                       stdin="mật khẩu mới\r\n")
    assert code == 0 and out.strip() == f"Password of “Chị Lan” changed in {f}"
    assert load_accounts(f).authenticate("Chị Lan", "mật khẩu mới") and not load_accounts(f).authenticate("Chị Lan", "mật khẩu đúng")
    run(capsys, monkeypatch, "accounts", "add", "minh", "--password-stdin", "--file", f, stdin="mat-khau-2\n")
    assert run(capsys, monkeypatch, "accounts", "list", "--file", f)[1].splitlines() == ["Chị Lan", "minh"]
    code, out, _ = run(capsys, monkeypatch, "accounts", "remove", "minh", "--file", f, "--lang", "en")
    assert code == 0 and out.strip() == f"Account “minh” removed from {f}"
    code, out, _ = run(capsys, monkeypatch, "accounts", "remove", "Chị Lan", "--file", f, "--lang", "en")
    assert "No account left: nobody can edit" in out and load_accounts(f).users == {}


def test_cli_refusals_leave_the_file_alone(tmp_path, capsys, monkeypatch):
    f = tmp_path / "accounts.toml"
    code, _, err = run(capsys, monkeypatch, "accounts", "add", "lan", "--password-stdin", "--file", str(f), stdin="short\n")
    assert code == 2 and err.strip() == "Mật khẩu phải có ít nhất 8 ký tự" and not f.exists()
    run(capsys, monkeypatch, "accounts", "add", "lan", "--password-stdin", "--file", str(f), stdin="mat-khau-1\n")
    before = f.read_bytes()
    code, _, err = run(capsys, monkeypatch, "accounts", "remove", "minh", "--file", str(f), "--lang", "en")
    assert code == 2 and err.strip() == "No account named “minh”"
    code, _, err = run(capsys, monkeypatch, "accounts", "add", "bad;name", "--password-stdin", "--file", str(f), stdin="mat-khau-1\n")
    assert code == 2 and "Tên tài khoản “bad;name” không hợp lệ" in err
    code, _, err = run(capsys, monkeypatch, "accounts", "add", "--file", str(f))
    assert code == 2
    assert f.read_bytes() == before
    f.write_text("[users.lan\n", encoding="utf-8")  # damaged by hand: refuse to overwrite it
    code, _, err = run(capsys, monkeypatch, "accounts", "add", "minh", "--password-stdin", "--file", str(f), stdin="mat-khau-2\n")
    assert code == 2 and "không đọc được (TOML)" in err and f.read_text(encoding="utf-8") == "[users.lan\n"


def test_cli_prompts_twice_and_uses_the_workspace(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("PLANNER_ACCOUNTS", raising=False)
    answers = iter(["mat-khau-1", "mat-khau-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, monkeypatch, "accounts", "add", "lan", "--lang", "en")
    assert code == 2 and err.strip() == "The two passwords do not match"
    answers = iter(["mat-khau-1", "mat-khau-1"])
    code, _, _ = run(capsys, monkeypatch, "accounts", "add", "lan")
    assert code == 0 and load_accounts(tmp_path / "ws" / "accounts.toml").authenticate("lan", "mat-khau-1") == "lan"
    monkeypatch.setenv("PLANNER_ACCOUNTS", str(tmp_path / "etc" / "planner.toml"))
    answers = iter(["mat-khau-3", "mat-khau-3"])
    run(capsys, monkeypatch, "accounts", "add", "minh")
    assert load_accounts(tmp_path / "etc" / "planner.toml").users.keys() == {"minh"}


def test_failure_book_counts_per_name_and_address_and_forgets_expired_keys():
    from planner.accounts import FailureBook, attempt_keys

    book = FailureBook(max_keys=3)
    a = attempt_keys("  Lan ", "10.0.0.7")
    assert a == ("name:lan", "addr:10.0.0.7")
    for _ in range(3):
        book.failed(a, now_s=100.0)
    assert book.wait_s(attempt_keys("lan", None), now_s=100.0) == 5.0  # the name, from any address
    assert book.wait_s(attempt_keys("minh", "10.0.0.7"), now_s=100.0) == 5.0  # the address, whatever name
    assert book.wait_s(attempt_keys("minh", "10.0.0.8"), now_s=100.0) == 0.0
    book.succeeded(a[:1])
    assert book.failures(attempt_keys("lan", None)) == 0 and book.failures(a) == 3
    book.failed(attempt_keys("x", None), now_s=200.0)
    book.failed(attempt_keys("y", None), now_s=200.0)
    book.failed(attempt_keys("z", None), now_s=200.0)  # past max_keys: keys whose wait ran out go
    assert book.failures(attempt_keys("", "10.0.0.7")) == 0 and book.failures(attempt_keys("z", None)) == 1
