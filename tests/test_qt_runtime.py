"""Guards against known-bad Qt bindings.

PySide6 6.12.0's ``Signal.emit()`` returns ``True`` without taking a reference.
On Python 3.11 (bools are not immortal before 3.12) the count of ``True`` falls
by one per emit, and after a few thousand streamed tokens the interpreter
aborts ("bool_dealloc: deallocating True or False").  pyproject.toml excludes
that release; this test fails on any binding with the same fault.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    text_ready = Signal(int, str)
    result_ready = Signal(object)


def test_emitting_signals_keeps_reference_counts_intact(qtbot):
    emitter = Emitter()
    received: list[object] = []
    emitter.text_ready.connect(lambda *args: received.append(args))
    emitter.result_ready.connect(received.append)
    # Earlier tests' garbage (settings full of booleans) must not be collected in the
    # middle of the count: that once dropped False by 51.
    gc.collect()
    gc.disable()
    try:
        true_before, false_before = sys.getrefcount(True), sys.getrefcount(False)
        for index in range(200):
            emitter.text_ready.emit(index, "token")
            emitter.result_ready.emit(None)
    finally:
        gc.enable()
    assert len(received) == 400
    # Other threads may hold or drop a few references meanwhile; 400 emits with
    # the fault would drop 400.
    assert sys.getrefcount(True) > true_before - 50
    assert sys.getrefcount(False) > false_before - 50
