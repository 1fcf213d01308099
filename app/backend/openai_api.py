"""The OpenAI API's request and response shapes, checked and mapped onto the engine.

Plain functions, no HTTP: app/backend/server.py calls them.  A request that
asks for something LlamaDesk cannot do (several choices, tools, log
probabilities, images) is refused with a 400 that says so, never silently
ignored; fields the API defines as hints only (``user``, ``metadata``, ...) are
accepted and ignored.  Sampling values not given take the user's settings.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from app.backend.engine import ChatMessage, GenerationParams, GenerationResult, ModelFacts
from app.backend.schema import BY_NAME

MAX_STOP = 4  # as the OpenAI API
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
# Fields that would change the answer in a way LlamaDesk does not do: refused.
UNSUPPORTED = {
    "tools": "tool calls", "tool_choice": "tool calls", "functions": "function calls",
    "function_call": "function calls", "logprobs": "log probabilities",
    "top_logprobs": "log probabilities", "logit_bias": "logit_bias", "audio": "audio",
    "prediction": "predicted outputs", "best_of": "best_of", "echo": "echo",
    "suffix": "suffix (fill in the middle)", "web_search_options": "web search",
}
# Fields that are only hints to the service: accepted, ignored.
IGNORED = {"user", "metadata", "store", "service_tier", "parallel_tool_calls",
           "reasoning_effort", "modalities", "safety_identifier", "prompt_cache_key",
           "verbosity"}


class ApiError(Exception):
    """An error in the OpenAI error shape: {"error": {message, type, param, code}}."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 param: str | None = None, error_type: str = "invalid_request_error",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.error_type = error_type
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.error_type,
                          "param": self.param, "code": self.code}}


@dataclass(frozen=True)
class ApiRequest:
    """A checked request: a chat (messages) or a raw completion (prompt)."""

    kind: Literal["chat", "completion"]
    model: str
    params: GenerationParams
    messages: tuple[ChatMessage, ...] = ()
    prompt: str = ""
    stream: bool = False
    include_usage: bool = False


def model_id(facts: ModelFacts) -> str:
    """The name clients use for the loaded model: its file name without .gguf."""
    return Path(facts.path).stem


def parse_chat(body: Any, defaults: GenerationParams, loaded: ModelFacts | None) -> ApiRequest:
    body = _object(body)
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "'messages' must be a non-empty list of {role, content} objects.",
                       param="messages")
    parsed = tuple(_message(m, i) for i, m in enumerate(messages))
    if not any(m.role == "user" for m in parsed):
        raise ApiError(400, "'messages' must contain at least one user message.",
                       param="messages")
    return _common(body, "chat", defaults, loaded, messages=parsed)


def parse_completion(body: Any, defaults: GenerationParams,
                     loaded: ModelFacts | None) -> ApiRequest:
    body = _object(body)
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str) or not prompt:
        raise ApiError(400, "'prompt' must be a non-empty string (lists of several prompts "
                       "and token ids are not supported).", param="prompt")
    return _common(body, "completion", defaults, loaded, prompt=prompt)


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body


def _message(raw: Any, index: int) -> ChatMessage:
    param = f"messages[{index}]"
    if not isinstance(raw, dict):
        raise ApiError(400, f"{param} must be an object with 'role' and 'content'.", param=param)
    role = raw.get("role")
    if role not in ROLES:
        raise ApiError(400, f"{param}.role is {role!r}; LlamaDesk supports system, developer, "
                       "user and assistant (no tool or function messages).",
                       param=f"{param}.role")
    if raw.get("tool_calls") or raw.get("function_call"):
        raise ApiError(400, f"{param} has tool calls, which LlamaDesk does not support.",
                       param=param)
    content = raw.get("content")
    if content is None and role == "assistant":
        content = ""
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(
                    part.get("text"), str):
                raise ApiError(400, f"{param}.content may hold text parts only (no images, "
                               "audio or files).", param=f"{param}.content")
            texts.append(part["text"])
        content = "".join(texts)
    if not isinstance(content, str):
        raise ApiError(400, f"{param}.content must be a string or a list of text parts.",
                       param=f"{param}.content")
    return ChatMessage(ROLES[role], content)  # type: ignore[arg-type]


def _common(body: dict[str, Any], kind: Literal["chat", "completion"],
            defaults: GenerationParams, loaded: ModelFacts | None,
            **fields: Any) -> ApiRequest:
    for name, what in UNSUPPORTED.items():
        value = body.get(name)
        if value not in (None, False, [], {}, "none", "", 0):
            raise ApiError(400, f"'{name}' is not supported: LlamaDesk's server does not do "
                           f"{what}. Leave it out.", param=name)
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "'model' is required: GET /v1/models lists the loaded model.",
                       param="model")
    if loaded is None:
        raise ApiError(503, "No model is loaded yet; try again in a moment.",
                       code="model_not_loaded", error_type="server_error",
                       headers={"Retry-After": "2"})
    if model != model_id(loaded):
        raise ApiError(404, f"The model {model!r} does not exist here: LlamaDesk serves the "
                       f"model loaded now, {model_id(loaded)!r}.", code="model_not_found",
                       param="model")
    n = body.get("n", 1)
    if n != 1 or isinstance(n, bool):
        raise ApiError(400, "'n' must be 1: LlamaDesk writes one answer per request.",
                       param="n")
    stream = _bool(body, "stream", False)
    options = body.get("stream_options")
    if options is not None and (not isinstance(options, dict) or not stream):
        raise ApiError(400, "'stream_options' is an object, and only allowed with "
                       "'stream': true.", param="stream_options")
    include_usage = bool(options and options.get("include_usage"))
    params = _params(body, defaults, loaded.context_size, kind)
    return ApiRequest(kind, model, params, stream=stream, include_usage=include_usage,
                      **fields)


def _params(body: dict[str, Any], defaults: GenerationParams, context_size: int,
            kind: str) -> GenerationParams:
    changes: dict[str, Any] = {}
    for name, low, high in (("temperature", 0.0, 2.0), ("top_p", 0.0, 1.0),
                            ("presence_penalty", -2.0, 2.0), ("frequency_penalty", -2.0, 2.0)):
        value = body.get(name)
        if value is None:
            continue
        if not _number(value) or not low <= value <= high or (name == "top_p" and value == 0):
            raise ApiError(400, f"'{name}' must be a number from {low:g} to {high:g}"
                           f"{' (above 0)' if name == 'top_p' else ''}; got {value!r}.",
                           param=name)
        changes[name] = float(value)
    tokens_field = "max_completion_tokens" if body.get("max_completion_tokens") is not None \
        else "max_tokens"
    max_tokens = body.get(tokens_field)
    if max_tokens is not None:
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
            raise ApiError(400, f"'{tokens_field}' must be a positive whole number.",
                           param=tokens_field)
        if max_tokens > context_size:
            raise ApiError(400, f"'{tokens_field}' is {max_tokens:,} but the model's context "
                           f"holds {context_size:,} tokens, prompt included.",
                           param=tokens_field, code="context_length_exceeded")
        changes["max_tokens"] = max_tokens
    else:
        changes["max_tokens"] = context_size  # up to the end of the context, as OpenAI does
    seed = body.get("seed")
    if seed is not None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ApiError(400, "'seed' must be a whole number.", param="seed")
        changes["seed"] = seed % (2**31 - 1)
    stop = body.get("stop")
    if isinstance(stop, str):
        stop = [stop]
    if stop is not None:
        if not isinstance(stop, list) or len(stop) > MAX_STOP or not all(
                isinstance(s, str) and s for s in stop):
            raise ApiError(400, f"'stop' must be a string or a list of at most {MAX_STOP} "
                           "non-empty strings.", param="stop")
        changes["stop"] = tuple(stop)
    # Extensions llama.cpp's server, llama-cpp-python's and vLLM take too (a LlamaDesk
    # using this one as its remote engine sends them): ranges as in the settings.
    for name in ("top_k", "min_p", "repeat_penalty"):
        value = body.get(name)
        if value is None:
            continue
        try:
            changes[name] = BY_NAME[name].check(value)
        except ValueError as error:
            raise ApiError(400, f"'{name}' must be {error}; got {value!r}.",
                           param=name) from error
    if "ignore_eos" in body:  # an extension (llama.cpp's server and vLLM have it too)
        changes["ignore_eos"] = _bool(body, "ignore_eos", False)
    grammar = _grammar(body.get("response_format"), kind)
    if grammar is not None:
        changes["grammar"] = grammar
    return replace(defaults, **changes)


def _grammar(response_format: Any, kind: str) -> str | None:
    """A GBNF grammar that makes the answer valid JSON (of the schema, if given)."""
    if response_format is None:
        return None
    if not isinstance(response_format, dict) or response_format.get("type") not in (
            "text", "json_object", "json_schema"):
        raise ApiError(400, "'response_format' must be {\"type\": \"text\"}, "
                       "{\"type\": \"json_object\"} or {\"type\": \"json_schema\", "
                       "\"json_schema\": {\"name\": ..., \"schema\": {...}}}.",
                       param="response_format")
    kind_of = response_format["type"]
    if kind_of == "text":
        return None
    from app.backend import runtime

    grammars = runtime.llama_cpp().llama_grammar
    if kind_of == "json_object":
        return str(grammars.JSON_GBNF)
    spec = response_format.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, dict) else None
    if not isinstance(schema, dict):
        raise ApiError(400, "'response_format.json_schema.schema' must be a JSON Schema "
                       "object.", param="response_format")
    try:
        return str(grammars.json_schema_to_gbnf(json.dumps(schema)))
    except Exception as error:  # the converter raises plain exceptions on odd schemas
        raise ApiError(400, f"The JSON schema could not be turned into a grammar: {error}",
                       param="response_format") from error


def _bool(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ApiError(400, f"'{name}' must be true or false.", param=name)
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(
        value)


# -- responses ---------------------------------------------------------------

FINISH = {"stop": "stop", "length": "length", "cancelled": "stop"}


@dataclass
class Reply:
    """Builds the response bodies of one request (ids and timestamps shared)."""

    request: ApiRequest

    def __post_init__(self) -> None:
        prefix = "chatcmpl" if self.request.kind == "chat" else "cmpl"
        self.id = f"{prefix}-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self._template: list[str] | None = None

    @property
    def _object(self) -> str:
        return "chat.completion" if self.request.kind == "chat" else "text_completion"

    def complete(self, result: GenerationResult) -> dict[str, Any]:
        finish = FINISH[result.finish_reason]
        if self.request.kind == "chat":
            choice: dict[str, Any] = {
                "index": 0, "message": {"role": "assistant", "content": result.text,
                                        "refusal": None},
                "logprobs": None, "finish_reason": finish}
        else:
            choice = {"index": 0, "text": result.text, "logprobs": None,
                      "finish_reason": finish}
        return {**self._head(self._object), "choices": [choice], "usage": usage(result)}

    def chunk(self, text: str | None = None, finish: str | None = None,
              role: bool = False) -> dict[str, Any]:
        if self.request.kind == "chat":
            delta: dict[str, Any] = {}
            if role:
                delta["role"] = "assistant"
            if text is not None:
                delta["content"] = text
            choice: dict[str, Any] = {"index": 0, "delta": delta, "logprobs": None,
                                      "finish_reason": finish}
            return {**self._head("chat.completion.chunk"), "choices": [choice]}
        return {**self._head("text_completion"), "choices": [
            {"index": 0, "text": text or "", "logprobs": None, "finish_reason": finish}]}

    def text_event(self, text: str) -> str:
        """``json.dumps(self.chunk(text))``, made from a template: one per token."""
        template = self._template
        if template is None:
            mark = "\u0000piece\u0000"
            template = self._template = json.dumps(self.chunk(mark)).split(json.dumps(mark))
        return json.dumps(text).join(template)

    def usage_chunk(self, result: GenerationResult) -> dict[str, Any]:
        kind = "chat.completion.chunk" if self.request.kind == "chat" else "text_completion"
        return {**self._head(kind), "choices": [], "usage": usage(result)}

    def _head(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created,
                "model": self.request.model, "system_fingerprint": "llamadesk"}


def usage(result: GenerationResult) -> dict[str, int]:
    return {"prompt_tokens": result.prompt_tokens,
            "completion_tokens": result.completion_tokens,
            "total_tokens": result.prompt_tokens + result.completion_tokens}


def models_list(loaded: ModelFacts | None, created: int) -> dict[str, Any]:
    data = [] if loaded is None else [{"id": model_id(loaded), "object": "model",
                                       "created": created, "owned_by": "llamadesk"}]
    return {"object": "list", "data": data}
