"""Chat templates for models whose GGUF carries none.

llama-cpp-python silently falls back to the Llama 2 format for such a model,
which is wrong for most of them.  LlamaDesk picks the format the model's own
special tokens point to, and says so; where nothing points anywhere it uses a
plain transcript and says that the answers may suffer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
LLAMA3 = (
    "{{ bos_token }}{% for message in messages %}"
    "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    " + message['content'] | trim + '<|eot_id|>' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
    "{% endif %}"
)
LLAMA2 = (
    "{% if messages[0]['role'] == 'system' %}"
    "{% set system = messages[0]['content'] %}{% set turns = messages[1:] %}"
    "{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}"
    "{% for message in turns %}"
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' }}"
    "{% if loop.first and system %}{{ '<<SYS>>\n' + system + '\n<</SYS>>\n\n' }}{% endif %}"
    "{{ message['content'] | trim + ' [/INST]' }}"
    "{% else %}{{ ' ' + message['content'] | trim + ' ' + eos_token }}{% endif %}"
    "{% endfor %}"
)
PLAIN = (
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{ message['content'] + '\n\n' }}"
    "{% elif message['role'] == 'user' %}{{ 'User: ' + message['content'] + '\n' }}"
    "{% else %}{{ 'Assistant: ' + message['content'] + '\n' }}{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)


@dataclass(frozen=True)
class ChatTemplate:
    """The template a model is driven with, where it came from, and any warning."""

    source: str  # "gguf", "chatml", "llama-3", "llama-2" or "plain"
    template: str
    stop: tuple[str, ...]
    note: str | None = None

    @property
    def from_model(self) -> bool:
        return self.source == "gguf"


def choose_template(
    gguf_template: str | None,
    model_name: str,
    is_special_token: Callable[[str], bool],
) -> ChatTemplate:
    """The model's own template when it has one, else the best-supported guess."""
    if gguf_template:
        return ChatTemplate("gguf", gguf_template, ())
    guessed = "This model's file has no chat template; LlamaDesk uses the {} format"
    if is_special_token("<|start_header_id|>") and is_special_token("<|eot_id|>"):
        return ChatTemplate("llama-3", LLAMA3, ("<|eot_id|>",),
                            guessed.format("Llama 3") + " that its special tokens point to.")
    if is_special_token("<|im_start|>") and is_special_token("<|im_end|>"):
        return ChatTemplate("chatml", CHATML, ("<|im_end|>",),
                            guessed.format("ChatML") + " that its special tokens point to.")
    if re.search(r"llama[-_ ]?2|codellama|code[-_ ]llama", model_name, re.IGNORECASE):
        return ChatTemplate("llama-2", LLAMA2, (),
                            guessed.format("Llama 2 chat") + " that its name points to.")
    return ChatTemplate(
        "plain", PLAIN, ("\nUser:",),
        "This model's file has no chat template and nothing in it says which one it was "
        "trained with. LlamaDesk uses a plain 'User: / Assistant:' transcript; answers "
        "may be poor. A newer GGUF conversion of the model usually includes its template.",
    )
