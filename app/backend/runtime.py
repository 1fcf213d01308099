"""The llama.cpp runtime: loading it, its log, its devices, and the thread count.

Importing llama_cpp loads the native libraries, so it happens here, once, and
nowhere else in the app.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import psutil

from app.backend.words import said

LLAMA_LOG = logging.getLogger("llama.cpp")
BINDINGS_LOG = logging.getLogger("llama_cpp")
# ggml log levels (ggml.h): NONE, DEBUG, INFO, WARN, ERROR, CONT (continues the
# previous line).  The bindings' own map predates the DEBUG level and is off by one.
_GGML_LEVELS = {0: logging.INFO, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING,
                4: logging.ERROR}
_GGML_CONT = 5
# Thread-count default: see choose_threads().
MAX_AUTO_THREADS = 8

CPU_FALLBACK_ENV = "LLAMADESK_CPU_LIB_DIR"
_lock = threading.Lock()
_load_lock = threading.Lock()  # new_llama swaps a module attribute while it loads
_llama_cpp: ModuleType | None = None
_fallback_reason: str | None = None
_log_callback: Any = None  # keep the ctypes callback alive as long as the process
_log_listeners: list[Callable[[int, str], None]] = []


def llama_cpp() -> ModuleType:
    """Import llama_cpp once, with its log routed to Python logging."""
    global _llama_cpp, _fallback_reason
    with _lock:
        if _llama_cpp is None:
            try:
                module = _import_llama_cpp()
            except (OSError, RuntimeError) as error:
                # A GPU build whose driver or runtime library is missing: use the
                # portable CPU libraries shipped beside it, and say so.
                fallback = cpu_fallback_dir()
                if fallback is None:
                    raise
                for name in [m for m in sys.modules if m.startswith("llama_cpp")]:
                    del sys.modules[name]
                os.environ["LLAMA_CPP_LIB_PATH"] = str(fallback)
                os.environ["MTMD_CPP_LIB"] = str(fallback)
                module = _import_llama_cpp()
                _fallback_reason = said("the GPU build of llama.cpp could not load ({error})",
                                        error=error)
                logging.getLogger(__name__).warning("running on the CPU: %s", _fallback_reason)
            _llama_cpp = module
        return _llama_cpp


def _import_llama_cpp() -> ModuleType:
    import llama_cpp as module
    import llama_cpp._internals as internals
    import llama_cpp.llama as llama_module
    import llama_cpp.llama_chat_format as chat_format

    _install_log_bridge(module, (llama_module, internals, chat_format))
    return module


def cpu_fallback_dir() -> Path | None:
    """Portable CPU libraries shipped beside a GPU build (installers put them in
    llama_cpp_cpu/lib); LLAMADESK_CPU_LIB_DIR names another folder."""
    candidates = [os.environ.get(CPU_FALLBACK_ENV)]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(str(Path(bundle) / "llama_cpp_cpu" / "lib"))
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def fallback_reason() -> str | None:
    """Why LlamaDesk runs on the CPU libraries instead of the GPU build, if it does."""
    return _fallback_reason


def _install_log_bridge(module: ModuleType, chatty: tuple[ModuleType, ...]) -> None:
    """Send llama.cpp's C log and the bindings' own prints to Python logging.

    The bindings' ``verbose=False`` would silence the whole process by pointing
    file descriptors 1 and 2 at /dev/null while a model loads, so LlamaDesk always
    passes ``verbose=True`` and instead routes what that prints: the C log through
    our own ``llama_log_set`` callback, and the modules' ``print`` calls through a
    module-level ``print`` that logs (a module global shadows the builtin).
    """
    global _log_callback
    pending: list[str] = []
    last_level = [logging.INFO]

    def forward(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        try:
            piece = text.decode("utf-8", errors="replace")
            python_level = last_level[0] if level == _GGML_CONT else _GGML_LEVELS.get(
                level, logging.INFO)
            last_level[0] = python_level
            pending.append(piece)
            if not piece.endswith("\n"):
                return
            line = "".join(pending).rstrip("\n")
            pending.clear()
            LLAMA_LOG.log(python_level, "%s", line)
            for listener in list(_log_listeners):
                listener(python_level, line)
        except Exception:  # an exception must never cross into C
            pass

    _log_callback = module.llama_log_callback(forward)
    module.llama_log_set(_log_callback, ctypes.c_void_p(0))

    def print_to_log(*args: object, sep: str | None = " ", end: str | None = "\n",
                     file: object = None, flush: bool = False) -> None:
        del end, flush
        if file is not None and file not in (sys.stdout, sys.stderr):
            print(*args, sep=sep, file=file)  # type: ignore[call-overload]
            return
        if BINDINGS_LOG.isEnabledFor(logging.DEBUG):  # the metadata dump is large
            BINDINGS_LOG.debug("%s", (sep or " ").join(str(arg) for arg in args))

    for chatty_module in chatty:
        chatty_module.print = print_to_log  # type: ignore[attr-defined]


_progress_lock = threading.Lock()


@contextlib.contextmanager
def load_progress(on_progress: Callable[[float], None] | None) -> Iterator[None]:
    """Report llama.cpp's model-load progress while the block runs.

    The bindings' Llama() builds its llama_model_params from
    llama_model_default_params() and offers no progress hook, so for the duration
    of one load that function returns params with our progress_callback set.
    """
    if on_progress is None:
        yield
        return
    module = llama_cpp()
    bindings = sys.modules["llama_cpp.llama"].llama_cpp

    def report(progress: float, _data: ctypes.c_void_p) -> bool:
        try:
            on_progress(float(progress))
        except Exception:  # an exception must never cross into C
            log_error = logging.getLogger(__name__)
            log_error.exception("load progress callback failed")
        return True  # keep loading

    callback = module.llama_progress_callback(report)
    with _progress_lock:
        original = bindings.llama_model_default_params

        def params_with_progress() -> Any:
            params = original()
            params.progress_callback = callback
            return params

        bindings.llama_model_default_params = params_with_progress
        try:
            yield
        finally:
            bindings.llama_model_default_params = original


def add_log_listener(listener: Callable[[int, str], None]) -> Callable[[], None]:
    """Call ``listener(level, line)`` for each llama.cpp log line; returns a remover."""
    _log_listeners.append(listener)
    return lambda: _log_listeners.remove(listener)


def choose_threads(setting: int = 0) -> int:
    """The number of ggml threads a model is loaded with: the setting if positive, else
    one per physical core but one, at most MAX_AUTO_THREADS.  With the automatic setting
    this is only the start: the engine's ThreadGovernor (threads.py) sets the count
    from the machine's load before each answer and while it is written.

    Why leave a core: ggml's threads wait for each other at every graph node, so a
    single descheduled thread stalls them all.  Measured on 2 cores with another
    process busy: 2 threads decoded 48-74 tokens/s, 1 thread 145 tokens/s; idle, 2
    threads gave 155-165 and 1 thread 145.  A desktop app always shares the machine
    with its own GUI thread, so the safe choice wins.
    """
    if setting > 0:
        return setting
    physical = psutil.cpu_count(logical=False) or os.cpu_count() or 1
    return max(1, min(physical - 1, MAX_AUTO_THREADS))


@dataclass(frozen=True)
class Device:
    name: str
    description: str
    kind: str  # "CPU", "GPU", "iGPU", "accelerator"
    free_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class RuntimeInfo:
    """What llama.cpp was built with and what it can run on."""

    llama_cpp_python_version: str
    backend: str  # the best device's API: "CPU", "CUDA", "Metal", "Vulkan", ...
    gpu_offload: bool
    devices: tuple[Device, ...]
    cpu_features: tuple[str, ...]
    system_info: str
    library_path: str
    fallback: str | None = None  # why the GPU build was not used, if it was not


_DEVICE_KINDS = {0: "CPU", 1: "GPU", 2: "iGPU", 3: "accelerator"}


def _ggml_library(module: ModuleType) -> ctypes.CDLL | None:
    default = Path(module.__file__ or "").parent / "lib"
    folder = Path(os.environ.get("LLAMA_CPP_LIB_PATH") or default)
    names = {"win32": ["ggml.dll"], "darwin": ["libggml.dylib"]}.get(sys.platform, ["libggml.so"])
    for name in names:
        candidate = folder / name
        if candidate.exists():
            return ctypes.CDLL(str(candidate))
    return None


def _devices(module: ModuleType) -> tuple[Device, ...]:
    """List ggml's registered devices through its C API (the bindings lack it)."""
    lib = _ggml_library(module)
    if lib is None:
        return ()
    try:
        lib.ggml_backend_dev_count.restype = ctypes.c_size_t
        lib.ggml_backend_dev_get.restype = ctypes.c_void_p
        lib.ggml_backend_dev_get.argtypes = [ctypes.c_size_t]
        for function in ("ggml_backend_dev_name", "ggml_backend_dev_description"):
            getattr(lib, function).restype = ctypes.c_char_p
            getattr(lib, function).argtypes = [ctypes.c_void_p]
        lib.ggml_backend_dev_type.restype = ctypes.c_int
        lib.ggml_backend_dev_type.argtypes = [ctypes.c_void_p]
        lib.ggml_backend_dev_memory.restype = None
        lib.ggml_backend_dev_memory.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_size_t)]
    except AttributeError:
        return ()
    devices = []
    for index in range(lib.ggml_backend_dev_count()):
        device = lib.ggml_backend_dev_get(index)
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        lib.ggml_backend_dev_memory(device, ctypes.byref(free), ctypes.byref(total))
        devices.append(Device(
            name=(lib.ggml_backend_dev_name(device) or b"").decode(errors="replace"),
            description=(lib.ggml_backend_dev_description(device) or b"").decode(errors="replace"),
            kind=_DEVICE_KINDS.get(lib.ggml_backend_dev_type(device), "other"),
            free_bytes=free.value,
            total_bytes=total.value,
        ))
    return tuple(devices)


def backend_name(devices: tuple[Device, ...], system_info: str) -> str:
    """The API of the first GPU-like device, else "CPU"."""
    for device in devices:
        if device.kind in ("GPU", "iGPU", "accelerator"):
            for api in ("CUDA", "Metal", "Vulkan", "ROCm", "HIP", "SYCL", "OpenCL"):
                if device.name.upper().startswith(api.upper()) or api in device.description:
                    return api
            return re.sub(r"\d+$", "", device.name) or device.kind
    for api in ("CUDA", "Metal"):
        if f"{api.upper()} : " in system_info.upper():
            return api
    return "CPU"


def runtime_info() -> RuntimeInfo:
    module = llama_cpp()
    system_info = module.llama_print_system_info().decode("utf-8", errors="replace")
    features = tuple(sorted(set(re.findall(r"(\w+) = 1", system_info))))
    devices = _devices(module)
    return RuntimeInfo(
        llama_cpp_python_version=str(getattr(module, "__version__", "unknown")),
        backend=backend_name(devices, system_info),
        gpu_offload=bool(module.llama_supports_gpu_offload()),
        devices=devices,
        cpu_features=features,
        system_info=system_info.strip(),
        library_path=os.environ.get("LLAMA_CPP_LIB_PATH")
        or str(Path(module.__file__ or "").parent / "lib"),
        fallback=_fallback_reason,
    )


class _SkippedTemplate:
    """Stands in for llama-cpp-python's Jinja2ChatFormatter while a model loads."""

    def __init__(self, **_arguments: Any) -> None:
        pass

    def to_chat_handler(self) -> None:
        return None


_REAL_FORMATTER: Any = None


def real_jinja_formatter() -> Any:
    """llama-cpp-python's Jinja2ChatFormatter, even while new_llama has it replaced."""
    return _REAL_FORMATTER or llama_cpp().llama_chat_format.Jinja2ChatFormatter


def new_llama(**arguments: Any) -> Any:
    """``llama_cpp.Llama(**arguments)`` without its own handling of the file's chat
    templates: it compiles every one with an unlimited Jinja at load, and a template
    with a syntax error would make the model unloadable.  LlamaDesk renders the
    template itself, with limits (chat_template.py).

    Flash attention is llama.cpp's *auto* (on where the device supports it, as in
    llama-server) when layers go to a GPU, and off on the CPU.  The bindings offer only
    on or off (off by default), so for one load their "off" constant reads as auto.
    Measured on the CPU (built-in model, 1 thread): flash attention decodes faster near
    the start of a chat (10.6 against 12.3 ms a token at a depth of 256 tokens) but
    slower deeper in it (28.7 against 23.3 ms at 2,500; a 50-token prompt there 0.45
    against 0.31 s), where long chats spend their time."""
    global _REAL_FORMATTER
    module = llama_cpp()
    chat_format = module.llama_chat_format
    bindings = sys.modules["llama_cpp.llama"].llama_cpp
    flash = flash_attention(arguments.get("n_gpu_layers", 0))
    with _load_lock:
        _REAL_FORMATTER = chat_format.Jinja2ChatFormatter
        chat_format.Jinja2ChatFormatter = _SkippedTemplate
        disabled = bindings.LLAMA_FLASH_ATTN_TYPE_DISABLED
        if flash:
            bindings.LLAMA_FLASH_ATTN_TYPE_DISABLED = bindings.LLAMA_FLASH_ATTN_TYPE_AUTO
        try:
            return module.Llama(chat_format="llama-2", **arguments)
        finally:
            chat_format.Jinja2ChatFormatter = _REAL_FORMATTER
            bindings.LLAMA_FLASH_ATTN_TYPE_DISABLED = disabled


def flash_attention(gpu_layers: int) -> bool:
    """Whether a model loaded with ``gpu_layers`` gets flash attention (see new_llama)."""
    return gpu_layers != 0 and runtime_info().backend != "CPU"
