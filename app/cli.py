"""The `llamadesk` command: the window by default, `chat` and `doctor` without a display."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import APP_NAME, __version__
from app.backend import probe
from app.backend.errors import LlamaDeskError
from app.backend.logs import setup_logging
from app.backend.paths import HOME_ENV, AppPaths
from app.backend.settings import Settings, load_settings

if TYPE_CHECKING:
    from app.backend.engines import EngineRouter
    from app.backend.store import Status

SELF_TEST_TOKENS = 8


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="llamadesk",
        description=f"{APP_NAME}: chat with Llama models on your own computer. "
                    "Without a command, opens the chat window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help=f"keep every file LlamaDesk writes under DIR "
                             f"(default: the OS's folders; also ${HOME_ENV})")
    parser.add_argument("--model", metavar="PATH",
                        help="a GGUF model file (default: the built-in SmolLM2 135M)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, load the model, answer one message through "
                             "it, print one line of JSON and exit (0 if it worked)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    chat = commands.add_parser("chat", help="answer one prompt on stdout",
                               description="Stream the model's answer to PROMPT on stdout.")
    chat.add_argument("prompt", metavar="PROMPT", help="the message; '-' reads it from stdin")
    chat.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS,
                      help="a GGUF model file (default: the built-in model)")
    chat.add_argument("--engine", metavar="NAME",
                      help="answer on this remote engine (llamadesk engines list); --model "
                           "is then one of its models (a model file for a split)")
    chat.add_argument("--system", metavar="TEXT", help="a system prompt")
    chat.add_argument("--max-tokens", type=_positive, metavar="N",
                      help="stop after N tokens")
    chat.add_argument("--seed", type=int, metavar="N",
                      help="a fixed seed for a repeatable answer (default: random)")
    chat.add_argument("--temperature", type=float, metavar="T",
                      help="randomness, 0 for the most likely answer")
    chat.add_argument("--threads", type=_positive, metavar="N",
                      help="ggml threads (default: automatic)")
    chat.add_argument("--context", type=_positive, metavar="N", help="context size in tokens")
    chat.add_argument("--prompt-lookup", action=argparse.BooleanOptionalAction,
                      help="draft tokens copied from the chat, checked in one batch: faster "
                           "when the answer repeats it (default: the prompt_lookup setting)")
    chat.add_argument("--ignore-eos", action="store_true",
                      help="keep writing until --max-tokens (for benchmarks)")
    chat.add_argument("--stats", action="store_true",
                      help="print token counts and speed to stderr at the end")
    chat.add_argument("--conversation", type=int, metavar="ID",
                      help="continue a stored conversation (see `llamadesk conversations`)")
    chat.add_argument("--no-save", action="store_true",
                      help="keep this exchange out of the history")

    export = commands.add_parser(
        "export", help="export conversations to a file",
        description="Export conversations as Markdown, text, HTML, PDF, LlamaDesk JSON (every "
                    "branch, for import) or OpenAI messages JSON (the branch shown).")
    export.add_argument("ids", nargs="*", type=int, metavar="ID", help="conversation ids")
    export.add_argument("--all", action="store_true", help="every conversation")
    export.add_argument("--format", required=True, choices=["md", "txt", "html", "pdf", "json",
                                                            "openai"])
    export.add_argument("-o", "--output", required=True, metavar="PATH")
    export.add_argument("--force", action="store_true", help="replace PATH if it exists")
    importing = commands.add_parser(
        "import", help="import conversations from a file",
        description="Import a LlamaDesk JSON export, an OpenAI-style messages list, or the "
                    "conversations.json of a ChatGPT data export.")
    importing.add_argument("path", metavar="PATH")
    opening = commands.add_parser(
        "open", help="open the window and show the conversations in a file",
        description="Import a conversations file (as `import` does) and show it in the "
                    "window; a running LlamaDesk is asked to do it.  Double-clicking a "
                    ".llamadesk file runs this.")
    opening.add_argument("path", metavar="FILE")

    models = commands.add_parser("models", help="list the model catalog",
                                 description="The Llama models LlamaDesk knows: size, "
                                             "quantisations, installed or not, and whether "
                                             "each fits this machine.")
    models.add_argument("--json", action="store_true", help="one JSON array on stdout")
    models.add_argument("--context", type=_positive, default=4096, metavar="N",
                        help="context length for the memory estimate (default 4096)")
    download = commands.add_parser("download", help="download a model from the catalog",
                                   description="Download a catalog model's GGUF from the "
                                               "Hugging Face Hub (HF_ENDPOINT for a mirror); "
                                               "an interrupted download resumes.")
    download.add_argument("model_id", metavar="ID",
                          help="a catalog id (see `llamadesk models`), or any Hub file as "
                               "OWNER/REPO/FILE.gguf")
    download.add_argument("--quant", metavar="Q", help="quantisation (default: the model's)")
    token = commands.add_parser("token", help="set or clear the Hugging Face token",
                                description="The token is kept in the OS keyring only.")
    token.add_argument("action", choices=["set", "clear", "status"])

    listing = commands.add_parser("conversations", help="list the stored conversations",
                                  description="List conversations, pinned first, then newest.")
    listing.add_argument("--json", action="store_true", help="one JSON array on stdout")

    from app.cli_engines import add_engine_parsers
    from app.cli_serve import add_serve_parser

    add_serve_parser(commands, _positive)
    add_engine_parsers(commands, _positive)

    doctor = commands.add_parser(
        "doctor", help="check the installation and run a short self-test",
        description="Print versions, the llama.cpp backend and devices, CPU features and "
                    "folders; then load the built-in model and generate a few tokens.")
    doctor.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS,
                        help="self-test this model instead of the built-in one")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    attach_standard_streams()
    given = list(sys.argv[1:] if argv is None else argv)
    if len(given) == 2 and given[0] == probe.PROBE_FLAG:  # the model probe's child process
        return probe.child_main(given[1])
    args = build_parser().parse_args(given)
    paths = AppPaths.resolve(args.data_dir)
    probe.configure(paths.cache)
    try:
        paths.create()
    except OSError as error:
        if not paths.data.is_dir():
            print(f"{APP_NAME}: cannot create the data folder {paths.data}: "
                  f"{error.strerror}. Choose another with --data-dir or ${HOME_ENV}.",
                  file=sys.stderr)
            return 1
        # A read-only data folder: what is there is still readable; say so and go on.
        print(f"{APP_NAME}: cannot write in {error.filename or paths.data} "
              f"({error.strerror}); nothing new can be saved there.", file=sys.stderr)
    setup_logging(paths.log_file, verbose=args.verbose)
    settings = load_settings(paths.settings_file)
    if args.command == "chat":
        return _chat(args, settings, paths)
    if args.command == "doctor":
        return _doctor(args, paths)
    if args.command == "conversations":
        return _conversations(args, paths)
    if args.command in ("export", "import"):
        return _transfer(args, paths)
    if args.command == "serve":
        from app.cli_serve import run_serve

        return run_serve(args, settings, paths)
    if args.command in ("engines", "worker"):
        from app.cli_engines import run_engines, run_worker

        return run_engines(args, settings, paths) if args.command == "engines" \
            else run_worker(args)
    if args.command in ("models", "download", "token"):
        from app.cli_models import run_models_command

        return run_models_command(args, paths, settings.hub_endpoint)
    from app.ui.app import run_gui

    if args.command == "open":

        return run_gui(paths, settings, args.model, open_path=Path(args.path).resolve())
    return run_gui(paths, settings, args.model, self_test=args.self_test)


def attach_standard_streams() -> None:
    """The frozen window app on Windows has no console: sys.stdout and sys.stderr are None
    and every print would fail.  Write to the console of the terminal that started it, when
    there is one (``llamadesk chat`` typed into cmd or PowerShell); else nowhere."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    console = None
    if sys.platform == "win32":
        import ctypes

        attach_parent_process = -1
        if ctypes.windll.kernel32.AttachConsole(attach_parent_process):  # type: ignore[attr-defined]
            console = "CONOUT$"
    target = Path(console or os.devnull)
    if sys.stdout is None:
        sys.stdout = target.open("w", encoding="utf-8", errors="replace")
    if sys.stderr is None:
        sys.stderr = target.open("w", encoding="utf-8", errors="replace")


def _chat(args: argparse.Namespace, settings: Settings, paths: AppPaths) -> int:
    from app.backend.engines import EngineRouter, engine_specs
    from app.backend.history import (
        CLI_CUT_OFF_AFTER,
        FINISH_STATUS,
        model_input,
        open_history,
    )
    from app.backend.store import Store

    for problem in settings.problems:
        print(f"{APP_NAME}: {problem}", file=sys.stderr)
    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        print(f"{APP_NAME}: the prompt is empty.", file=sys.stderr)
        return 1
    engine = EngineRouter(specs=engine_specs(settings.remote_engines), log_folder=paths.logs)
    cancel = threading.Event()
    store: Store | None = None
    saver = _AnswerSaver()
    try:
        if args.conversation is not None or not args.no_save:
            store = open_history(paths, CLI_CUT_OFF_AFTER)
            if store.problem:
                print(f"{APP_NAME}: {store.problem}", file=sys.stderr)
        saving = store is not None and not args.no_save and not store.read_only
        overrides: dict[str, Any] = {}
        system = args.system if args.system is not None else settings.system_prompt
        branch = []
        conversation_id = None
        if args.conversation is not None:
            assert store is not None
            conversation = store.conversation(args.conversation)
            conversation_id = conversation.id
            overrides = conversation.settings
            branch = list(store.branch(conversation.id).messages)
            if args.system is None:
                system = conversation.system_prompt
            elif saving:
                store.set_system_prompt(conversation.id, args.system)
        elif saving:
            assert store is not None
            conversation_id = store.create_conversation(
                system, settings.conversation_defaults()).id
        if saving and store is not None and conversation_id is not None:
            # The question is kept before anything can fail or be killed: the model's
            # load, a refused file, a full disk later on.
            parent = branch[-1].id if branch else None
            saver.question = (store, conversation_id,
                              store.add_message(conversation_id, parent, "user", prompt).id)
        params = replace(settings.generation_params(overrides), **_given(
            max_tokens=args.max_tokens, seed=args.seed, temperature=args.temperature,
            ignore_eos=args.ignore_eos or None, prompt_lookup=args.prompt_lookup))
        options = replace(settings.load_options(overrides=overrides), **_given(
            threads=args.threads, context_size=args.context))

        model_path, display_name = _chosen_model(args, settings, paths, engine)
        saver.begin(display_name)
        engine.load(model_path, options)
        wanted = model_input(system, branch, draft=prompt)
        fit = engine.fit_context(wanted.messages, params.max_tokens)

        def write(text: str) -> None:
            sys.stdout.write(text)
            sys.stdout.flush()
            saver.append(text)

        try:
            result = engine.chat(fit.apply(wanted.messages), params, on_text=write, cancel=cancel,
                                 on_prompt=_prompt_progress if args.stats else None)
        except KeyboardInterrupt:
            cancel.set()
            sys.stdout.write("\n")
            saver.finish("stopped")
            return 130
        sys.stdout.write("\n")
        sys.stdout.flush()
        saver.finish(FINISH_STATUS[result.finish_reason], prompt_tokens=result.prompt_tokens,
                     completion_tokens=result.completion_tokens,
                     tokens_per_second=result.tokens_per_second, seed=result.seed)
        if args.stats:
            saved = f"; conversation {conversation_id}" if saver.question else ""
            print(f"prompt {result.prompt_tokens} tokens in {result.prompt_seconds:.2f} s; "
                  f"answer {result.completion_tokens} tokens at "
                  f"{result.tokens_per_second:.1f} tokens/s; seed {result.seed}; "
                  f"finish {result.finish_reason}{saved}", file=sys.stderr)
        if fit.trimmed:
            print(f"{APP_NAME}: the {fit.first_turn} oldest messages did not fit in the "
                  "context and were left out (the system prompt was kept).", file=sys.stderr)
        return 1 if saver.failed else 0
    except LlamaDeskError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        saver.fail(str(error))
        return 1
    except KeyboardInterrupt:  # Ctrl+C while the model loads: the question is kept
        print(f"\n{APP_NAME}: stopped.", file=sys.stderr)
        saver.begin(None)
        saver.finish("stopped")
        return 130
    finally:
        engine.close()
        if store is not None:
            store.close()


def _chosen_model(args: argparse.Namespace, settings: Settings, paths: AppPaths,
                  router: EngineRouter) -> tuple[str, str]:
    """What `chat` loads (a file path or a remote reference), and its name for the history."""
    from app.backend.engines import engine_ref
    from app.backend.models import resolve_model

    wanted = args.model or settings.model
    if args.engine:
        spec = router.spec(args.engine)
        if spec.split:
            model = resolve_model(wanted, paths.models)
            return engine_ref(spec.name, str(model.path)), f"{model.display_name} on {spec.name}"
        if not args.model:
            raise LlamaDeskError(f"Say which of {spec.name}'s models answers: --model MODEL "
                                 f"(llamadesk engines models {spec.name}).")
        return engine_ref(spec.name, args.model), f"{args.model} on {spec.name}"
    model = resolve_model(wanted, paths.models)  # a remote reference too (remote_choice)
    return str(model.path), model.display_name


def _prompt_progress(fraction: float) -> None:
    """--stats: how much of a long prompt llama.cpp has read (Ctrl+C stops it)."""
    sys.stderr.write(f"\r{APP_NAME}: reading the prompt: {fraction:.0%}")
    if fraction >= 1:
        sys.stderr.write("\n")
    sys.stderr.flush()


class _AnswerSaver:
    """The command line's answer in the history: the question is stored first; an answer
    that cannot be produced keeps the error as its status; a history that stops taking
    writes (full disk) is said once, and the answer still prints in full."""

    def __init__(self) -> None:
        self.question: tuple[Any, int, int] | None = None  # store, conversation, message
        self.writer: Any = None
        self.failed = False

    def begin(self, model_name: str | None) -> None:
        if self.question is not None and self.writer is None:
            store, conversation_id, question_id = self.question
            self._guard(lambda: setattr(self, "writer", store.begin_answer(
                conversation_id, question_id, model_name)))

    def append(self, text: str) -> None:
        if self.writer is not None:  # the text stays in the writer when a save fails
            self._guard(lambda: self.writer.append(text))

    def finish(self, status: Status, **facts: Any) -> None:
        if self.writer is not None and not self.writer.closed:
            was_failing = self.failed
            self.failed = False
            self._guard(lambda: self.writer.finish(status, **facts))
            if was_failing and not self.failed:
                print(f"{APP_NAME}: the whole answer was saved after all.", file=sys.stderr)

    def fail(self, error: str) -> None:
        self.begin(None)
        self.finish("error", error=error)

    def _guard(self, action: Callable[[], Any]) -> None:
        from app.backend.store import StoreError

        try:
            action()
        except StoreError as error:
            if not self.failed:
                print(f"{APP_NAME}: {error} The answer is printed in full here.",
                      file=sys.stderr)
            self.failed = True


def _conversations(args: argparse.Namespace, paths: AppPaths) -> int:
    import json

    from app.backend.history import CLI_CUT_OFF_AFTER, open_history

    store = open_history(paths, CLI_CUT_OFF_AFTER)
    try:
        if store.problem:
            print(f"{APP_NAME}: {store.problem}", file=sys.stderr)
        rows = store.conversations()
    finally:
        store.close()
    if args.json:
        print(json.dumps([{"id": r.id, "title": r.title, "pinned": r.pinned,
                           "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z",
                                                    time.localtime(r.updated_at)),
                           "messages": r.message_count} for r in rows], ensure_ascii=False))
        return 0
    if not rows:
        print("No conversations yet.")
        return 0
    print(f"{'ID':>5}  {'UPDATED':16}  {'MSGS':>5}  TITLE")
    for row in rows:
        updated = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.updated_at))
        pin = "* " if row.pinned else ""
        print(f"{row.id:>5}  {updated:16}  {row.message_count:>5}  {pin}{row.title}")
    return 0


def _transfer(args: argparse.Namespace, paths: AppPaths) -> int:

    from app.backend.history import CLI_CUT_OFF_AFTER, open_history
    from app.backend.importers import import_into, read_import
    from app.backend.transcripts import load_transcript

    store = open_history(paths, CLI_CUT_OFF_AFTER)
    try:
        if args.command == "import":
            conversations = read_import(Path(args.path))
            ids = import_into(store, conversations)
            print(f"Imported {len(ids)} conversation{'s' if len(ids) != 1 else ''}: "
                  + ", ".join(map(str, ids)))
            return 0
        from app.ui.export import save_export

        ids = [c.id for c in store.conversations()] if args.all else args.ids
        if not ids:
            print(f"{APP_NAME}: name conversation ids or --all (see `llamadesk "
                  "conversations`).", file=sys.stderr)
            return 1
        transcripts = [load_transcript(store, i) for i in ids]
        save_export(transcripts, args.format, Path(args.output), overwrite=args.force)
        print(f"Exported {len(transcripts)} conversation{'s' if len(ids) != 1 else ''} to "
              f"{args.output}")
        return 0
    except LlamaDeskError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _given(**values: Any) -> dict[str, Any]:
    """The command-line values the user actually gave."""
    return {name: value for name, value in values.items() if value is not None}


def _doctor(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.backend.engine import ChatMessage, Engine, GenerationParams, LoadOptions
    from app.backend.models import builtin_model_path, resolve_model
    from app.backend.runtime import choose_threads, runtime_info

    def line(label: str, value: object) -> None:
        print(f"{label + ':':<18} {value}", flush=True)

    line(APP_NAME, __version__)
    line("Python", f"{platform.python_version()} ({sys.executable})")
    line("System", f"{platform.system()} {platform.release()} {platform.machine()}")
    info = runtime_info()
    line("llama-cpp-python", f"{info.llama_cpp_python_version} ({info.library_path})")
    line("Backend", info.backend + (" (GPU offload available)" if info.gpu_offload else ""))
    if info.fallback:
        line("Fallback", f"CPU libraries, because {info.fallback}")
    for device in info.devices:
        memory = f", {device.free_bytes / 2**30:.1f} of {device.total_bytes / 2**30:.1f} GiB " \
                 "free" if device.total_bytes else ""
        line("Device", f"{device.name} [{device.kind}] {device.description}{memory}")
    line("CPU features", " ".join(info.cpu_features) or "none reported")
    line("Threads (auto)", choose_threads(0))
    try:
        line("Built-in model", builtin_model_path())
    except LlamaDeskError as error:
        line("Built-in model", f"MISSING: {error}")
    line("Data folder", paths.data)
    line("Settings", paths.settings_file)
    line("Log file", paths.log_file)
    if os.environ.get(HOME_ENV):
        line("From", f"${HOME_ENV}")

    engine = Engine()
    try:
        model = resolve_model(getattr(args, "model", None), paths.models)
        started = time.perf_counter()
        facts = engine.load(model.path, LoadOptions(context_size=512, threads=1))
        load_seconds = time.perf_counter() - started
        result = engine.chat([ChatMessage("user", "Say hello.")],
                             GenerationParams(max_tokens=SELF_TEST_TOKENS, seed=42,
                                              temperature=0.0))
    except LlamaDeskError as error:
        line("Self-test", f"FAILED: {error}")
        return 1
    finally:
        engine.close()
    if result.completion_tokens < 1:
        line("Self-test", "FAILED: the model generated no tokens")
        return 1
    line("Self-test", f"OK: {facts.name} ({facts.architecture}, {facts.quantization}) loaded in "
         f"{load_seconds:.2f} s on {facts.backend_label}; {result.completion_tokens} tokens at "
         f"{result.tokens_per_second:.1f} tokens/s: {result.text.strip()!r}")
    return 0
