"""Errors the backend raises, each with a message a person can act on."""

from __future__ import annotations


class LlamaDeskError(Exception):
    """Base of every error the backend reports to a person.

    ``str(error)`` is the message to show: what happened and what to do.
    """


class ModelFileError(LlamaDeskError):
    """A model file is missing, unreadable, or not a usable GGUF."""


class ModelLoadError(LlamaDeskError):
    """llama.cpp could not load a model that looked valid."""


class ContextOverflowError(LlamaDeskError):
    """The conversation does not fit into the model's context window."""


class GenerationError(LlamaDeskError):
    """Generation failed part-way; what was written so far is kept."""


class TemplateError(GenerationError):
    """The model's chat template refused the conversation (e.g. roles out of order)."""


class NoModelError(LlamaDeskError):
    """A request needs a model and none is loaded."""
