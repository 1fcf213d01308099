"""A model's chat template, rendered with limits: a template is code from a file.

llama-cpp-python renders GGUF chat templates with Jinja's immutable sandbox, which
stops attribute tricks but not work: ``{{ 'x' * 10**10 }}`` or nested loops over
``range(100000)`` never finish.  This formatter renders the same way with three
limits: a deadline per render, a budget of loop steps, and a cap on the size of
strings and lists that ``*``, ``**`` and ``+`` make.  A template that hits one
raises TemplateLimitError with a message for a person.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, cast

from jinja2 import BaseLoader
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.backend.words import said

RENDER_SECONDS = 2.0  # far above any real template (< 10 ms for a long chat)
LOOP_STEPS = 2_000_000  # range() steps per render
MAX_VALUE_LENGTH = 32 * 2**20  # characters or items one operation may make
MAX_POWER = 2**64


class TemplateLimitError(SecurityError):
    """The template did more work than any chat template needs."""


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(loader=BaseLoader(), **options)
        self.deadline = float("inf")
        self.steps = 0
        self.globals["range"] = self._range

    def start_render(self) -> None:
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.steps = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(said("it took longer than {seconds:.0f} seconds to "
                                          "render, so it was stopped", seconds=RENDER_SECONDS))

    def _range(self, *args: int) -> Iterator[int]:
        span = range(*args)
        if len(span) > LOOP_STEPS:
            raise TemplateLimitError(said("it asks for a range of {steps:,} steps",
                                          steps=len(span)))
        for value in span:
            self.steps += 1
            if self.steps > LOOP_STEPS:
                raise TemplateLimitError(said("it loops more than {steps:,} times",
                                              steps=LOOP_STEPS))
            if not self.steps & 0x3FF:
                self.check_time()
            yield value

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        if operator == "**":
            if isinstance(left, (int, float)) and isinstance(right, (int, float)) and \
                    abs(right) > 64 and abs(left) > 1:
                raise TemplateLimitError(said("it raises a number to a huge power"))
            result = super().call_binop(context, operator, left, right)
            if isinstance(result, int) and abs(result) > MAX_POWER:
                raise TemplateLimitError(said("it makes a number too large to use"))
            return result
        if operator == "*":
            sized, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and \
                    len(sized) * max(count, 0) > MAX_VALUE_LENGTH:
                raise TemplateLimitError(said("it makes a string or list too large to use"))
        if operator == "+" and isinstance(left, (str, list, tuple)) and \
                isinstance(right, (str, list, tuple)) and \
                len(left) + len(right) > MAX_VALUE_LENGTH:
            raise TemplateLimitError(said("it makes a string or list too large to use"))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_time()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805 - Jinja's
             **kwargs: Any) -> Any:
        __self.check_time()
        return super().call(__context, __obj, *args, **kwargs)


def limited_formatter(base: type, **arguments: Any) -> Any:
    """llama-cpp-python's Jinja2ChatFormatter (``base``), rendering in a LimitedEnvironment.

    Raises jinja2.TemplateError (TemplateSyntaxError) when the template does not compile.
    """

    class LimitedFormatter(base):  # type: ignore[misc]
        def __init__(self) -> None:
            # Not base.__init__: it compiles the template in an unlimited environment,
            # whose constant folding would already evaluate {{ 'x' * 10**10 }}.
            self.template = arguments["template"]
            self.eos_token = arguments["eos_token"]
            self.bos_token = arguments["bos_token"]
            self.add_generation_prompt = True
            stop = arguments.get("stop_token_ids")
            self.stop_token_ids = set(stop) if stop is not None else None
            environment = LimitedEnvironment(
                trim_blocks=True, lstrip_blocks=True,
                extensions=[cast(Any, base).IgnoreGenerationTags, "jinja2.ext.loopcontrols"])
            environment.filters["tojson"] = self.tojson
            self._limited = environment
            self._environment = environment.from_string(self.template)

        def __call__(self, **kwargs: Any) -> Any:
            self._limited.start_render()
            return super().__call__(**kwargs)

    return LimitedFormatter()
