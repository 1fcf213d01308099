"""What goes into the frozen bundle, decided by path: used by packaging/llamadesk.spec.

Three rules keep the Linux bundle small and keep it from clashing with the system:

- Libraries of the build host (from /lib or /usr) stay out of the Linux bundle; the .deb
  declares them (dpkg-shlibdeps) and every desktop has them.  A bundled GLib or GTK loads
  the *system's* GIO modules and themes and dies on newer systems
  (`undefined symbol: g_task_set_static_name` on Debian 13); a bundled libstdc++ older
  than the system's breaks the GPU drivers that Qt loads.  libpython is the exception:
  it is the interpreter the app was frozen with.
- Qt plugins the app never loads stay out: only the X11, Wayland and offscreen platforms,
  the Wayland pieces a desktop compositor uses, the XDG portal theme (never GTK 3: it
  pulls the host's whole GTK stack), and the image formats for icons.
- Qt's translations stay out but for the languages LlamaDesk ships (QT_TRANSLATIONS_KEPT:
  Qt's standard buttons and dialogs in Russian), and so do Python packages that
  come along with a dependency but that LlamaDesk never imports: hf_xet (the Hub's Xet
  transfer client: LlamaDesk downloads over plain HTTP ranges), the Hub client's
  command line, inference clients and file system, numpy's f2py (click stays: uvicorn, the
  local server, imports it).  Of Pygments only the lexers of the languages that answers'
  code blocks are highlighted in (PYGMENTS_LEXERS_KEPT, and the modules they import) go
  in, not its 230 other lexers, formatters and styles; a block in another language is
  shown plain.
  (packaging/tests runs the frozen app's window, doctor and catalog to prove it.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")  # not /usr/local (CUDA)
KEEP_FROM_SYSTEM = re.compile(r"^libpython3[.\d]*\.so")
QT_PLUGINS = "PySide6/Qt/plugins/"
# plugin folder -> the plugins kept (None: the whole folder goes)
QT_PLUGINS_KEPT: dict[str, tuple[str, ...] | None] = {
    "platforms": ("libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"),
    "platformthemes": ("libqxdgdesktopportal.so",),
    "platforminputcontexts": ("libcomposeplatforminputcontextplugin.so",
                              "libibusplatforminputcontextplugin.so"),
    "imageformats": ("libqsvg.so", "libqico.so", "libqgif.so", "libqjpeg.so"),
    "iconengines": ("libqsvgicon.so",),
    "xcbglintegrations": ("libqxcb-egl-integration.so", "libqxcb-glx-integration.so"),
    "wayland-shell-integration": ("libxdg-shell.so",),
    "wayland-decoration-client": ("libadwaita.so", "libbradient.so"),
    "wayland-graphics-integration-client": ("libqt-plugin-wayland-egl.so",),
    "egldeviceintegrations": None,
    "generic": None,
    "networkinformation": None,
    "tls": None,
}
# Qt libraries only the dropped plugins use.
QT_LIBRARIES_DROPPED = ("libQt6EglFSDeviceIntegration.so", "libQt6EglFsKmsSupport.so",
                        "libQt6WlShellIntegration.so")
QT_TRANSLATIONS = "PySide6/Qt/translations/"
# app/ui/i18n.py SHIPPED: Qt's own strings for each language LlamaDesk is translated into
QT_TRANSLATIONS_KEPT = ("qtbase_ru.qm",)
# llama.cpp's multimodal library: loaded only by llava-style chat handlers, never here.
LIBRARIES_DROPPED = ("libmtmd.so",)
MODULES_EXCLUDED = ("hf_xet", "huggingface_hub.cli", "huggingface_hub.inference",
                    "huggingface_hub._sandbox", "huggingface_hub.hf_file_system", "fsspec",
                    "typer", "rich", "pydoc_data", "numpy.f2py",
                    "numpy.ma", "numpy.polynomial", "numpy._core._multiarray_tests",
                    "llama_cpp.mtmd_cpp",
                    # llama-cpp-python's own server and what only it (and the tests, which
                    # run it as a remote engine) needs: 8 MiB the app never imports.
                    "llama_cpp.server", "fastapi", "pydantic", "pydantic_core",
                    "pydantic_settings", "starlette_context", "dotenv", "annotated_doc",
                    "opentelemetry", "huggingface_hub._webhooks_payload",
                    "huggingface_hub._webhooks_server", "_pytest")

# Pygments' lexer modules kept (app/ui/highlight.py): Python, JavaScript/TypeScript, C/C++,
# Rust, Go, Java/Kotlin/Scala, C#, shells, JSON/YAML, HTML/XML, CSS, SQL, Ruby, Lua, R,
# TOML/INI/Dockerfile, Make/CMake, diffs.
PYGMENTS_LEXERS_KEPT = ("python", "javascript", "c_cpp", "rust", "go", "jvm", "dotnet",
                        "shell", "data", "html", "css", "sql", "ruby", "scripting", "r",
                        "configs", "make", "diff")
PYGMENTS_PARTS_EXCLUDED = ("pygments.formatters", "pygments.styles", "pygments.cmdline",
                           "pygments.sphinxext", "pygments.__main__")


def pygments_modules_excluded() -> list[str]:
    """Pygments' lexer modules that PYGMENTS_LEXERS_KEPT do not need (read from the
    installed Pygments at build time: a kept lexer's own imports are kept), and the
    parts that only format output."""
    import pkgutil
    from pathlib import Path

    import pygments.lexers

    folder = Path(pygments.lexers.__file__).parent
    needed, todo = {"_mapping"}, list(PYGMENTS_LEXERS_KEPT)
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        source = (folder / f"{name}.py").read_text(encoding="utf-8")
        todo += re.findall(r"from pygments\.lexers\.(\w+) import", source)
        todo += re.findall(r"from pygments\.lexers import (_\w+)", source)
    return [*PYGMENTS_PARTS_EXCLUDED,
            *(f"pygments.lexers.{module.name}" for module in
              pkgutil.iter_modules(pygments.lexers.__path__) if module.name not in needed)]


def keep(dest: str, source: str, linux: bool) -> bool:
    """True if the file PyInstaller would place at `dest` (from `source`) belongs in
    the bundle."""
    name = dest.rsplit("/", 1)[-1]
    if dest.startswith(QT_TRANSLATIONS):
        return name in QT_TRANSLATIONS_KEPT
    if any(name.startswith(lib) for lib in (*QT_LIBRARIES_DROPPED, *LIBRARIES_DROPPED)):
        return False
    if dest.startswith(QT_PLUGINS):
        folder, _, plugin = dest[len(QT_PLUGINS):].partition("/")
        if folder in QT_PLUGINS_KEPT:
            kept = QT_PLUGINS_KEPT[folder]
            return kept is not None and plugin in kept
        return True
    if linux and "/" not in dest and source.startswith(SYSTEM_LIBRARY_DIRS):
        return bool(KEEP_FROM_SYSTEM.match(name))
    return True


def kept(entries: Iterable[tuple[str, str, str]], linux: bool) -> list[tuple[str, str, str]]:
    """PyInstaller TOC entries (dest, source, type) that stay."""
    return [entry for entry in entries if keep(entry[0], entry[1], linux)]
