"""The local OpenAI-compatible server, through the real `openai` client and raw HTTP,
on loopback, with the real built-in model (loaded once for this module)."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import openai
import pytest

from app.backend.engine import Engine, GenerationParams, GenerationResult, LoadOptions
from app.backend.scheduler import EngineScheduler
from app.backend.server import (
    API,
    ApiServer,
    RequestRecord,
    ServerError,
    ServerOptions,
    is_loopback,
)
from app.backend.store import Store

pytestmark = pytest.mark.real_model
MODEL = "SmolLM2-135M-Instruct.Q4_1"
KEY = "ld-test-key-0123456789abcdef"


class RecordingEngine(Engine):
    """The real engine, remembering how each answer went: its result, and how many
    pieces of text it still wrote after its cancel event was set."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[GenerationResult] = []
        self.after_cancel: list[int] = []

    def chat(self, messages: Sequence[Any], params: GenerationParams | None = None,
             on_text: Callable[[str], None] | None = None,
             cancel: threading.Event | None = None, prefix: str = "",
             on_prompt: Callable[[float], None] | None = None) -> GenerationResult:
        late = [0]

        def counting(text: str) -> None:
            if cancel is not None and cancel.is_set():
                late[0] += 1
            if on_text is not None:
                on_text(text)

        result = super().chat(messages, params, counting, cancel, prefix, on_prompt)
        self.results.append(result)
        self.after_cancel.append(late[0])
        return result


@dataclass
class Served:
    engine: RecordingEngine
    scheduler: EngineScheduler
    server: ApiServer
    records: list[RequestRecord] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port

    def client(self, key: str = "unused", **kwargs: Any) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.server.address}/v1", api_key=key,
                             max_retries=0, **kwargs)


@pytest.fixture(scope="module")
def served(builtin_path: Path) -> Iterator[Served]:
    engine = RecordingEngine()
    scheduler = EngineScheduler(engine)
    scheduler.submit("load", lambda e: e.load(builtin_path, LoadOptions(
        context_size=2048, threads=1)), urgent=True).done.wait(60)
    records: list[RequestRecord] = []
    server = ApiServer(scheduler, ServerOptions(port=0), GenerationParams(),
                       on_record=records.append)
    server.start()
    yield Served(engine, scheduler, server, records)
    server.stop()
    scheduler.close()


@pytest.fixture
def second_server(served: Served) -> Iterator[Callable[..., ApiServer]]:
    """Another server over the same scheduler (and model), with other options."""
    started: list[ApiServer] = []

    def start(**options: Any) -> ApiServer:
        server = ApiServer(served.scheduler, ServerOptions(port=0, **options),
                           GenerationParams())
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    served.scheduler.queue_limits[API] = 8


def raw(port: int, method: str, path: str, body: bytes | str | None = None,
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, body=body.encode() if isinstance(body, str) else body,
                 headers=sent)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = data
    return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed


def chat_body(**fields: Any) -> str:
    return json.dumps({"model": MODEL, "messages": [{"role": "user", "content": "Hi"}],
                       "max_tokens": 8, **fields})


def assert_openai_error(body: Any, code: str | None = None) -> str:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return str(body["error"]["message"])


# -- the happy paths, with the real client -----------------------------------


def test_models_and_a_chat_answer_through_the_openai_client(served: Served):
    client = served.client()
    assert [m.id for m in client.models.list()] == [MODEL]
    assert client.models.retrieve(MODEL).owned_by == "llamadesk"
    answer = client.chat.completions.create(
        model=MODEL, max_tokens=12, seed=5, temperature=0.0,
        messages=[{"role": "system", "content": "You are terse."},
                  {"role": "user", "content": "Name a colour."}])
    assert answer.object == "chat.completion" and answer.model == MODEL
    choice = answer.choices[0]
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert answer.usage is not None and answer.usage.completion_tokens == \
        served.engine.results[-1].completion_tokens > 0
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + \
        answer.usage.completion_tokens


def test_streamed_and_whole_answers_are_the_same_text(served: Served):
    client = served.client()
    request: Any = {"model": MODEL, "max_tokens": 24, "seed": 11, "temperature": 0.0,
               "messages": [{"role": "user", "content": "Count from one to five."}]}
    whole = client.chat.completions.create(**request)
    chunks = list(client.chat.completions.create(**request, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content and text
    assert chunks[-2].choices[0].finish_reason == whole.choices[0].finish_reason
    assert chunks[-1].choices == [] and chunks[-1].usage == whole.usage
    assert len({c.id for c in chunks}) == 1


def test_sampling_fields_are_passed_to_the_engine(served: Served):
    client = served.client()
    answer = client.chat.completions.create(
        model=MODEL, max_completion_tokens=40, seed=3, temperature=0.0, top_p=0.9,
        presence_penalty=0.5, frequency_penalty=0.5, stop=["\n", "."],
        messages=[{"role": "user", "content": "Write two sentences about the sea."}])
    text = answer.choices[0].message.content or ""
    assert "." not in text and "\n" not in text  # stopped before either
    assert served.engine.results[-1].seed == 3
    again = client.chat.completions.create(
        model=MODEL, max_completion_tokens=40, seed=3, temperature=0.0, top_p=0.9,
        presence_penalty=0.5, frequency_penalty=0.5, stop=["\n", "."],
        messages=[{"role": "user", "content": "Write two sentences about the sea."}])
    assert again.choices[0].message.content == text


def test_raw_completions_streamed_and_not(served: Served):
    client = served.client()
    whole = client.completions.create(model=MODEL, prompt="The capital of France is",
                                      max_tokens=6, temperature=0.0, seed=1)
    assert whole.object == "text_completion" and whole.choices[0].text
    streamed = "".join(c.choices[0].text for c in client.completions.create(
        model=MODEL, prompt="The capital of France is", max_tokens=6, temperature=0.0,
        seed=1, stream=True))
    assert streamed == whole.choices[0].text
    assert "<|im_start|>" not in whole.choices[0].text


def test_a_json_schema_response_format_is_enforced_by_a_grammar(served: Served):
    schema = {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 20},
        "legs": {"type": "integer"},
        "colour": {"type": "string", "enum": ["red", "green", "blue"]}},
        "required": ["name", "legs", "colour"], "additionalProperties": False}
    answer = served.client().chat.completions.create(
        model=MODEL, max_tokens=80, seed=2,
        messages=[{"role": "user", "content": "Describe an animal."}],
        response_format={"type": "json_schema",
                         "json_schema": {"name": "animal", "schema": schema, "strict": True}})
    data = json.loads(answer.choices[0].message.content or "")
    assert set(data) == {"name", "legs", "colour"}
    assert isinstance(data["name"], str) and isinstance(data["legs"], int)
    assert data["colour"] in ("red", "green", "blue")
    plain = served.client().chat.completions.create(
        model=MODEL, max_tokens=40, seed=2, response_format={"type": "json_object"},
        messages=[{"role": "user", "content": "Describe an animal as JSON."}])
    text = plain.choices[0].message.content or ""
    assert text.startswith("{")  # the grammar allows an object only...
    if plain.choices[0].finish_reason == "stop":  # ...and a whole one when it ends by itself
        assert isinstance(json.loads(text), dict)


def test_concurrent_clients_all_get_their_answers(served: Served):
    answers: dict[int, str] = {}
    errors: list[BaseException] = []

    def ask(index: int) -> None:
        try:
            stream: Any = served.client().chat.completions.create(
                model=MODEL, max_tokens=16, seed=index, stream=index % 2 == 0,
                messages=[{"role": "user", "content": f"Say the number {index}."}])
            if index % 2 == 0:
                answers[index] = "".join(c.choices[0].delta.content or "" for c in stream
                                         if c.choices)
            else:
                answers[index] = stream.choices[0].message.content or ""
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sorted(answers) == [0, 1, 2, 3] and all(answers.values())


def test_the_request_log_has_each_request_without_its_text(served: Served):
    served.client().chat.completions.create(model=MODEL, max_tokens=4, messages=[
        {"role": "user", "content": "A secret phrase: zebra-42"}])
    last = max(r.request_id for r in served.records)

    def ours() -> list[RequestRecord]:
        return [r for r in served.records if r.request_id == last]

    deadline = time.monotonic() + 10  # the end record may follow the response by a moment
    while len(ours()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    start, end = ours()
    assert start.status is None
    assert (end.method, end.path, end.status, end.model) == (
        "POST", "/v1/chat/completions", 200, MODEL)
    assert end.completion_tokens > 0 and end.client.startswith("127.0.0.1:")
    assert "zebra" not in repr(end)


# -- errors, with raw HTTP ------------------------------------------------------


@pytest.mark.parametrize(("body", "status", "code", "says"), [
    ("{not json", 400, None, "not valid JSON"),
    ("[1, 2]", 400, None, "JSON object"),
    (chat_body(model="gpt-4o"), 404, "model_not_found", "gpt-4o"),
    (json.dumps({"messages": [{"role": "user", "content": "Hi"}]}), 400, None, "'model'"),
    (chat_body(messages=[]), 400, None, "'messages'"),
    (chat_body(messages=[{"role": "tool", "content": "x"}]), 400, None, "tool"),
    (chat_body(n=2), 400, None, "'n' must be 1"),
    (chat_body(temperature=7), 400, None, "'temperature'"),
    (chat_body(top_p=0), 400, None, "'top_p'"),
    (chat_body(max_tokens=100_000), 400, "context_length_exceeded", "100,000"),
    (chat_body(max_tokens=-1), 400, None, "max_tokens"),
    (chat_body(stop=["a", "b", "c", "d", "e"]), 400, None, "'stop'"),
    (chat_body(tools=[{"type": "function", "function": {"name": "f"}}]), 400, None,
     "tool calls"),
    (chat_body(logprobs=True), 400, None, "log probabilities"),
    (chat_body(response_format={"type": "xml"}), 400, None, "response_format"),
    (chat_body(messages=[{"role": "user", "content": [{"type": "image_url"}]}]), 400, None,
     "text parts only"),
    (chat_body(messages=[{"role": "user", "content": "word " * 3000}]), 400,
     "context_length_exceeded", "context holds 2,048"),
])
def test_bad_requests_get_the_openai_error_shape(served: Served, body: str, status: int,
                                                 code: str | None, says: str):
    got, _headers, answer = raw(served.port, "POST", "/v1/chat/completions", body)
    assert got == status
    assert says in assert_openai_error(answer, code)


def test_the_openai_client_raises_its_own_error_types(served: Served):
    client = served.client()
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="nope", messages=[{"role": "user",
                                                                "content": "x"}])
    assert missing.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=MODEL, n=3, messages=[{"role": "user",
                                                                     "content": "x"}])


def test_unknown_paths_methods_and_media_types(served: Served):
    status, _h, body = raw(served.port, "GET", "/v1/nothing")
    assert status == 404 and "/v1/models" in assert_openai_error(body, "not_found")
    status, _h, body = raw(served.port, "DELETE", "/v1/models")
    assert status == 405
    assert_openai_error(body)
    status, _h, body = raw(served.port, "POST", "/v1/chat/completions", chat_body(),
                           {"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in assert_openai_error(body)
    status, _h, body = raw(served.port, "GET", "/health")
    assert status == 200 and body["model"] == MODEL and body["status"] == "ok"


def test_a_foreign_host_header_is_refused(served: Served):
    """DNS rebinding: a page on evil.example whose name now points to 127.0.0.1."""
    for host in ("evil.example", "evil.example:8080", "127.0.0.1.evil.example"):
        status, _h, body = raw(served.port, "POST", "/v1/chat/completions", chat_body(),
                               {"Host": host})
        assert status == 403
        assert "DNS rebinding" in assert_openai_error(body, "host_not_allowed")
    for host in (f"localhost:{served.port}", f"127.0.0.1:{served.port}", "LOCALHOST"):
        status, _h, _body = raw(served.port, "GET", "/v1/models", headers={"Host": host})
        assert status == 200


def test_web_pages_are_refused_unless_their_origin_is_listed(served: Served,
                                                             second_server: Any):
    status, headers, body = raw(served.port, "GET", "/v1/models",
                                headers={"Origin": "http://localhost:3000"})
    assert status == 403 and "access-control-allow-origin" not in headers
    assert_openai_error(body, "origin_not_allowed")
    allowed = second_server(allowed_origins=("http://localhost:3000",))
    status, headers, body = raw(allowed.port, "GET", "/v1/models",
                                headers={"Origin": "http://localhost:3000"})
    assert status == 200 and headers["access-control-allow-origin"] == "http://localhost:3000"
    status, headers, _body = raw(allowed.port, "OPTIONS", "/v1/chat/completions", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert status == 200 and "POST" in headers["access-control-allow-methods"]
    status, _h, _b = raw(allowed.port, "GET", "/v1/models",
                         headers={"Origin": "http://elsewhere.example"})
    assert status == 403


def test_a_body_over_the_limit_is_refused_before_it_is_read(served: Served):
    limit = served.server.options.max_body_bytes
    big = json.dumps({"model": MODEL, "messages": [{"role": "user",
                                                   "content": "x" * (limit + 10)}]})
    status, _h, body = raw(served.port, "POST", "/v1/chat/completions", big)
    assert status == 413 and "limit" in assert_openai_error(body, "request_too_large")
    # Chunked, with no Content-Length: counted while reading.
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    conn.putrequest("POST", "/v1/chat/completions")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    piece = b"x" * 65536
    try:
        for _ in range(limit // len(piece) + 2):
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close as soon as it has answered
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_the_api_key_is_required_when_set_and_compared_exactly(served: Served,
                                                               second_server: Any):
    keyed = second_server(api_key=KEY)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {KEY}x"},
                    {"Authorization": KEY}, {"Authorization": f"Basic {KEY}"}):
        status, got, body = raw(keyed.port, "POST", "/v1/chat/completions", chat_body(),
                                headers)
        assert status == 401 and got["www-authenticate"] == "Bearer"
        assert_openai_error(body, "invalid_api_key")
    status, _h, _b = raw(keyed.port, "GET", "/health")  # for monitors: no key, no details
    assert status == 200
    client = openai.OpenAI(base_url=f"{keyed.address}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()
    good = openai.OpenAI(base_url=f"{keyed.address}/v1", api_key=KEY, max_retries=0)
    assert good.chat.completions.create(model=MODEL, max_tokens=4, messages=[
        {"role": "user", "content": "Hi"}]).choices[0].message.content


def test_listening_beyond_loopback_without_a_key_is_impossible():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    for host in ("0.0.0.0", "::", "192.168.1.20"):
        with pytest.raises(ServerError, match="API key is required"):
            ServerOptions(host=host)
    assert ServerOptions(host="0.0.0.0", api_key=KEY).api_key == KEY


def test_a_port_in_use_is_said_clearly(served: Served):
    server = ApiServer(served.scheduler, replace(served.server.options, port=served.port))
    with pytest.raises(ServerError, match=f"Port {served.port} .* in use"):
        server.bind()


def test_a_client_that_disconnects_mid_stream_stops_the_generation(served: Served):
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=60)
    body = chat_body(max_tokens=1500, stream=True, ignore_eos=True, seed=4).encode()
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                 % (len(body), body))
    received = b""
    while received.count(b"data: ") < 6:
        received += sock.recv(65536)
    answers_before = len(served.engine.results)
    sock.close()
    deadline = time.monotonic() + 30
    while len(served.engine.results) == answers_before and time.monotonic() < deadline:
        time.sleep(0.01)
    result = served.engine.results[-1]
    assert result.finish_reason == "cancelled"
    assert result.completion_tokens < 500  # far from the 1,500 asked for
    assert served.engine.after_cancel[-1] <= 2  # within a token or two of the disconnect
    assert served.scheduler.waiting() == 0 and not served.scheduler.busy


def test_a_full_queue_answers_429_with_retry_after(served: Served, second_server: Any):
    small = second_server(queue_limit=1)
    first = http.client.HTTPConnection("127.0.0.1", small.port, timeout=60)
    first.request("POST", "/v1/chat/completions", chat_body(
        max_tokens=1500, ignore_eos=True, stream=True), {"Content-Type": "application/json"})
    streaming = first.getresponse()
    assert streaming.status == 200 and b"data: " in streaming.read1(65536)
    waiting = http.client.HTTPConnection("127.0.0.1", small.port, timeout=60)
    waiting.request("POST", "/v1/chat/completions", chat_body(max_tokens=4),
                    {"Content-Type": "application/json"})
    deadline = time.monotonic() + 10
    while served.scheduler.waiting(API) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    status, headers, body = raw(small.port, "POST", "/v1/chat/completions", chat_body())
    assert status == 429 and int(headers["retry-after"]) >= 1
    assert_openai_error(body, "rate_limit_exceeded")
    first.close()  # the streaming answer ends; the waiting one gets its turn
    answer = waiting.getresponse()
    assert answer.status == 200 and json.loads(answer.read())["choices"][0]["message"]
    waiting.close()


def test_api_conversations_are_saved_only_when_asked(served: Served, second_server: Any,
                                                     tmp_path: Path):
    history = tmp_path / "history.sqlite"
    unsaved = served.client()
    unsaved.chat.completions.create(model=MODEL, max_tokens=4, messages=[
        {"role": "user", "content": "Not saved"}])
    assert not history.exists()
    saving = second_server(history_path=history)
    client = openai.OpenAI(base_url=f"{saving.address}/v1", api_key="x", max_retries=0)
    answer = client.chat.completions.create(model=MODEL, max_tokens=6, messages=[
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello there"}])
    store = Store.open(history)
    try:
        [summary] = store.conversations()
        assert summary.title == "API: Hello there"
        conversation = store.conversation(summary.id)
        assert conversation.system_prompt == "Be brief."
        messages = store.branch(summary.id).messages
        assert [(m.role, m.content) for m in messages] == [
            ("user", "Hello there"), ("assistant", answer.choices[0].message.content)]
        assert messages[-1].status == "complete" and messages[-1].model == MODEL
    finally:
        store.close()
