"""LlamaDesk: chat with Llama models on your own computer."""

__version__ = "0.1.0"
APP_NAME = "LlamaDesk"
