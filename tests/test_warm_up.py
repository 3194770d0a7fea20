"""deploy/warm_up.py: the address it warms, and what it says when it cannot (no server, no endpoint).
A real warm-up of the app runs in tests/test_deployment.py."""
from __future__ import annotations

import http.server
import threading

import pytest

from deploy.warm_up import base_url, main, wait_healthy, warm_up


@pytest.mark.parametrize(("args", "url"), [
    ([], "http://127.0.0.1:8501"),
    (["--server.port", "8502"], "http://127.0.0.1:8502"),
    (["--server.port=8600", "--server.address", "0.0.0.0"], "http://127.0.0.1:8600"),
    (["--server.address=10.1.2.3", "--server.baseUrlPath", "/quyhoach/"], "http://10.1.2.3:8501/quyhoach"),
    (["--server.headless", "true", "--theme.base", "light", "--server.port", "9000"], "http://127.0.0.1:9000"),
])
def test_the_address_is_the_one_streamlit_listens_on(args, url):
    assert base_url(args) == url


@pytest.fixture
def server():
    """A server that is healthy but has no script check (a Streamlit without the setting)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            ok = self.path == "/_stcore/health"
            self.send_response(200 if ok else 404)
            self.end_headers()
            self.wfile.write(b"ok" if ok else b"not found")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_server_without_the_script_check_is_said_and_not_warmed(server, capsys):
    assert wait_healthy(server, timeout_s=5)
    ok, said, _ = warm_up(server, timeout_s=5)
    assert not ok and "--server.scriptHealthCheckEnabled true" in said
    port = server.rsplit(":", 1)[1]
    assert main(["--server.port", port]) == 1
    assert "not warmed" in capsys.readouterr().out


def test_no_server_is_a_clear_no(capsys):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    assert not wait_healthy(f"http://127.0.0.1:{port}", timeout_s=0.5)
    ok, said, _ = warm_up(f"http://127.0.0.1:{port}", timeout_s=2)
    assert not ok and said.startswith("no answer")
