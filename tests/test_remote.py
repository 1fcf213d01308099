"""The remote engine against a loopback server that misbehaves on purpose: each fault
gives a message a person can act on, and the words already written are kept."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import pytest

from app.backend.engine import ChatMessage, GenerationParams, LoadOptions
from app.backend.engines import EngineRouter, EngineSpec, engine_ref, parse_ref
from app.backend.remote import (
    RemoteEndpoint,
    RemoteEngine,
    RemoteError,
    RemoteGenerationError,
    check_url,
    estimate_tokens,
    list_models,
)
from app.backend.schema import BY_NAME

MODEL = "test-model"
HI = [ChatMessage("user", "Hi")]


def chunk(text: str | None = None, finish: str | None = None) -> bytes:
    delta = {"content": text} if text is not None else {}
    body = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


class Faulty(BaseHTTPRequestHandler):
    """Answers as the test's ``behaviour`` says; every request is recorded."""

    behaviour: Callable[[Faulty], None]
    requests: list[tuple[str, Any]]

    def log_message(self, *_args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append((self.path, None))
        if self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"null")
        self.requests.append((self.path, body))
        if self.path != "/v1/chat/completions":
            self.send_json(404, {"error": {"message": "not found"}})
            return
        type(self).behaviour(self)

    def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()


def good(handler: Faulty) -> None:
    handler.start_stream()
    for word in ("Hello", " there", "."):
        handler.write(chunk(word))
    handler.write(chunk(finish="stop"))
    handler.write(b"data: [DONE]\n\n")


class Server:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.handler: type[Faulty] = type("Handler", (Faulty,), {"requests": []})
        self.handler.behaviour = staticmethod(good)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def behave(self, behaviour: Callable[[Faulty], None]) -> None:
        self.handler.behaviour = staticmethod(behaviour)

    @property
    def requests(self) -> list[tuple[str, Any]]:
        return self.handler.requests

    def engine(self, **endpoint: Any) -> RemoteEngine:
        remote = RemoteEngine(RemoteEndpoint("testbox", self.url, **endpoint))
        remote.load(MODEL, LoadOptions(context_size=2048))
        return remote

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    started = Server()
    yield started
    started.close()


def chat(remote: RemoteEngine, cancel: threading.Event | None = None,
         **params: Any) -> tuple[list[str], Any]:
    pieces: list[str] = []
    result = remote.chat(HI, GenerationParams(**params), on_text=pieces.append, cancel=cancel)
    return pieces, result


def test_a_good_stream_is_an_answer_with_the_servers_facts(server: Server) -> None:
    remote = server.engine()
    facts = remote.facts
    assert facts is not None and facts.location == f"testbox ({server.url[7:]})"
    assert facts.backend_label == f"on testbox ({server.url[7:]})"
    # The server says nothing of its context or tokenizer: assumed and estimated, and said.
    assert facts.context_size == 2048
    assert "assumed" in (facts.template_note or "")
    assert "estimates" in (facts.template_note or "")
    pieces, result = chat(remote, temperature=0.0, seed=5, max_tokens=9, top_k=7)
    assert pieces == ["Hello", " there", "."]
    assert result.text == "Hello there." and result.finish_reason == "stop"
    assert result.seed == 5
    sent = server.requests[-1][1]
    assert sent["model"] == MODEL and sent["stream"] is True
    assert sent["messages"] == [{"role": "user", "content": "Hi"}]
    assert (sent["temperature"], sent["seed"], sent["max_tokens"], sent["top_k"]) == (
        0.0, 5, 9, 7)
    assert remote.count_tokens(HI) == estimate_tokens(HI)


def test_continue_sends_the_answers_beginning(server: Server) -> None:
    remote = server.engine()
    remote.chat(HI, GenerationParams(), prefix="Once upon")
    assert server.requests[-1][1]["messages"][-1] == {"role": "assistant",
                                                      "content": "Once upon"}


def test_a_drop_mid_answer_keeps_the_words_and_says_so(server: Server) -> None:
    def drop(handler: Faulty) -> None:
        handler.start_stream()
        handler.write(chunk("Half"))
        handler.write(chunk(" an answer"))
        handler.connection.shutdown(socket.SHUT_RDWR)

    server.behave(drop)
    pieces: list[str] = []
    with pytest.raises(RemoteGenerationError) as caught:
        server.engine().chat(HI, on_text=pieces.append)
    assert caught.value.partial == "Half an answer" == "".join(pieces)
    assert "closed the connection in the middle of the answer" in str(caught.value)
    assert "kept" in str(caught.value)


def test_a_slow_first_byte_times_out_with_a_message(server: Server) -> None:
    release = threading.Event()

    def stall(handler: Faulty) -> None:
        handler.start_stream()
        release.wait(10)

    server.behave(stall)
    started = time.monotonic()
    with pytest.raises(RemoteGenerationError, match=r"sent nothing for 0\.5 s before the first"):
        server.engine(read_timeout=0.5).chat(HI)
    release.set()
    assert time.monotonic() - started < 5


def test_stop_closes_a_stalled_stream_and_keeps_the_words(server: Server) -> None:
    release = threading.Event()

    def stall_mid_answer(handler: Faulty) -> None:
        handler.start_stream()
        handler.write(chunk("Before the stall"))
        release.wait(30)

    server.behave(stall_mid_answer)
    cancel = threading.Event()
    remote = server.engine()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    _pieces, result = chat(remote, cancel=cancel)
    release.set()
    assert time.monotonic() - started < 15  # not the server's 30 s
    assert result.finish_reason == "cancelled" and result.text == "Before the stall"


def test_garbage_in_the_event_stream_is_named(server: Server) -> None:
    def garbage(handler: Faulty) -> None:
        handler.start_stream()
        handler.write(chunk("Fine"))
        handler.write(b"data: <html>oops</html>\n\n")

    server.behave(garbage)
    with pytest.raises(RemoteGenerationError, match="malformed event stream") as caught:
        server.engine().chat(HI)
    assert caught.value.partial == "Fine"


def test_an_error_event_mid_stream_is_shown(server: Server) -> None:
    def error_event(handler: Faulty) -> None:
        handler.start_stream()
        handler.write(chunk("Part"))
        handler.write(b'data: {"error": {"message": "out of memory in slot 0"}}\n\n')

    server.behave(error_event)
    with pytest.raises(RemoteGenerationError, match="out of memory in slot 0") as caught:
        server.engine().chat(HI)
    assert caught.value.partial == "Part"


@pytest.mark.parametrize(("status", "headers", "expected"), [
    (401, {}, "Check its API key"),
    (403, {}, "Check its API key"),
    (429, {"Retry-After": "7"}, "limiting requests (HTTP 429: slow down). Try again in 7 s."),
    (500, {}, "failed on its side (HTTP 500: slow down)"),
    (404, {}, "has no model 'test-model'"),
])
def test_refusals_say_what_to_do(server: Server, status: int, headers: dict[str, str],
                                 expected: str) -> None:
    server.behave(lambda h: h.send_json(status, {"error": {"message": "slow down"}}, headers))
    with pytest.raises(RemoteGenerationError) as caught:
        server.engine().chat(HI)
    assert expected in str(caught.value)


def test_a_strict_server_gets_the_request_again_without_llama_cpps_samplers(
        server: Server) -> None:
    def strict(handler: Faulty) -> None:
        sent = handler.requests[-1][1]
        if "top_k" in sent:
            handler.send_json(400, {"error": {"message": "Unrecognized request argument "
                                                         "supplied: top_k"}})
        else:
            good(handler)

    server.behave(strict)
    _pieces, result = chat(server.engine())
    assert result.text == "Hello there."
    assert "top_k" not in server.requests[-1][1] and "min_p" not in server.requests[-1][1]


def test_a_json_answer_instead_of_a_stream_is_read(server: Server) -> None:
    server.behave(lambda h: h.send_json(200, {"choices": [
        {"index": 0, "message": {"role": "assistant", "content": "All at once"},
         "finish_reason": "length"}], "usage": {"prompt_tokens": 11, "completion_tokens": 3}}))
    pieces, result = chat(server.engine())
    assert pieces == ["All at once"] and result.finish_reason == "length"
    assert (result.prompt_tokens, result.completion_tokens) == (11, 3)


def test_an_api_key_is_sent_as_a_bearer_token(server: Server) -> None:
    seen: list[str | None] = []

    def check(handler: Faulty) -> None:
        seen.append(handler.headers.get("Authorization"))
        good(handler)

    server.behave(check)
    chat(server.engine(api_key="sk-test"))
    assert seen == ["Bearer sk-test"]


def test_a_server_that_is_down_is_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    remote = RemoteEngine(RemoteEndpoint("gone", f"http://127.0.0.1:{port}"))
    with pytest.raises(RemoteError, match=r"\(connection refused\). Is the server running"):
        remote.load(MODEL)


def test_a_model_the_server_does_not_offer_is_refused_at_load(server: Server) -> None:
    remote = RemoteEngine(RemoteEndpoint("testbox", server.url))
    with pytest.raises(RemoteError, match=r"does not offer the model 'other'.*test-model"):
        remote.load("other")


def test_not_an_openai_server_is_named(server: Server) -> None:
    endpoint = RemoteEndpoint("web", server.url + "/somewhere")
    with pytest.raises(RemoteError, match="has no OpenAI API here"):
        list_models(endpoint)


def test_addresses_are_checked() -> None:
    assert check_url(" http://10.0.0.2:8080/v1 ") == "http://10.0.0.2:8080/v1"
    for bad in ("10.0.0.2:8080", "ftp://x", "http://", "http://host:port"):
        with pytest.raises(RemoteError):
            check_url(bad)
    assert RemoteEndpoint("x", "http://h:1/v1/").root == "http://h:1"


def _self_signed(folder: Path) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_an_unverifiable_certificate_is_refused_with_no_downgrade(tmp_path: Path) -> None:
    tls_server = Server(tls=_self_signed(tmp_path))
    try:
        remote = RemoteEngine(RemoteEndpoint("lab", tls_server.url))
        with pytest.raises(RemoteError, match=r"could not be verified.*self.signed"):
            remote.load(MODEL)
        assert tls_server.requests == []  # nothing was sent, over TLS or plain HTTP
        plain = RemoteEngine(RemoteEndpoint("lab", "https://127.0.0.1:1"))
        with pytest.raises(RemoteError, match=r"\(connection refused\)"):
            plain.load(MODEL)
    finally:
        tls_server.close()


def test_references_name_an_engine_and_a_model() -> None:
    ref = engine_ref("box", "meta-llama/Llama-3.1-70B")
    assert parse_ref(ref) == ("box", "meta-llama/Llama-3.1-70B")
    assert parse_ref("/models/x.gguf") is None and parse_ref("remote:box") is None


def test_the_setting_keeps_valid_engines_only() -> None:
    setting = BY_NAME["remote_engines"]
    good_value = [{"name": "box", "url": "https://box:8080"},
                  {"name": "lab", "workers": ["10.0.0.2:50052", "[::1]:50052"]}]
    assert setting.check(good_value) == tuple(good_value)
    for bad in ([{"name": "a/b", "url": "http://x"}], [{"name": "x", "url": "x"}],
                [{"name": "x", "workers": ["host"]}], [{"name": "x", "url": "http://a"},
                                                        {"name": "x", "url": "http://b"}],
                [{"name": "x", "url": "http://a", "api_key": "secret"}]):
        with pytest.raises(ValueError, match="names unique"):
            setting.check(bad)


def test_a_failed_remote_load_leaves_the_engine_in_use(server: Server) -> None:
    class Local:
        facts: object = "local facts"
        closed: bool = False
        loaded: bool = True

        def close(self) -> None:
            self.closed = True

    local = Local()
    router = EngineRouter(local=local, specs=[EngineSpec("testbox", url=server.url)])  # type: ignore[arg-type]
    with pytest.raises(RemoteError, match="does not offer"):
        router.load(engine_ref("testbox", "missing"))
    with pytest.raises(RemoteError, match="no remote engine named 'nobody'"):
        router.load(engine_ref("nobody", MODEL))
    assert cast(object, router.facts) == "local facts"
    assert not local.closed
    facts = router.load(engine_ref("testbox", MODEL))
    assert facts.path == engine_ref("testbox", MODEL)
    assert getattr(local, "closed")  # noqa: B009 - mypy keeps the narrowing above
    assert router.use_context(8192) is None
    assert router.chat(HI).text == "Hello there."


@pytest.mark.real_model
def test_text_completions_need_a_local_model(server: Server, engine: Any) -> None:
    """The window's local server goes through the router: /v1/completions on a local
    model as before, and a clear refusal while a remote model is in use."""
    router = EngineRouter(local=engine, specs=[EngineSpec("testbox", url=server.url)])
    local = router.complete("Once upon a time", GenerationParams(max_tokens=4, seed=1))
    assert local.completion_tokens > 0
    router.load(engine_ref("testbox", MODEL))
    with pytest.raises(RemoteError, match="Text completions need a model on this computer"):
        router.complete("Once upon a time")


def test_the_answer_gets_what_the_context_has_left(server: Server) -> None:
    remote = server.engine()  # 2048 tokens assumed, counts estimated
    long = [ChatMessage("user", "word " * 6000)]  # about 8,600 tokens by the estimate
    short = [ChatMessage("user", "word " * 1000)]
    remote.chat(short, GenerationParams(max_tokens=4000))
    sent = server.requests[-1][1]["max_tokens"]
    assert sent == 2048 - estimate_tokens(short)
    remote.chat(long, GenerationParams(max_tokens=10))
    # An estimate never refuses a chat (the server's own count decides); the answer's
    # room is what is left, at least one token.
    assert server.requests[-1][1]["max_tokens"] == 1
