"""Run the pixel work (pixels.py) in a short-lived child process, a few at a time per server.

Why a child: decoding a photo needs memory in proportion to its pixels, not its file
size (a 200 KB single-colour PNG decodes to 200 MB). Done in the web worker, that
memory stays with the worker after the request (the allocator keeps it); done in a
child, it goes back to the system when the child exits, and the child's address space
is capped (``PHOTO_DECODER_MEMORY_BYTES``), so a decoder that misbehaves fails that one
upload instead of the server.

Why slots: ``PHOTO_DECODERS`` children at most run at once on this server, whatever
the number of workers and threads, so concurrent uploads cannot add up past
``PHOTO_DECODERS × PHOTO_DECODER_MEMORY_BYTES``. A slot is an ``flock`` on a file
under ``STORAGE_DIR`` (every worker of the server sees it; the kernel frees it when
a process dies). An upload waits up to ``PHOTO_DECODER_WAIT_SECONDS`` for one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from komoro_engage.media import pixels
from komoro_engage.media.pixels import Processed, Refused

log = logging.getLogger(__name__)

SCRIPT = Path(pixels.__file__)
# One malloc arena: libheif's threads would otherwise each reserve 64 MB of address space.
CHILD_ENV = {"MALLOC_ARENA_MAX": "1", "LC_ALL": "C.UTF-8"}


class DecoderBusy(Exception):
    """Every slot stayed taken for the whole wait."""


def process_in_child(data: bytes) -> Processed:
    """``pixels.process(data)`` in a child process within one of the server's slots.

    Raises :class:`pixels.Refused` as the child does; a child that crashes, exceeds its
    memory or its time is "damaged"; :class:`DecoderBusy` when no slot came free.
    """
    config = current_app.config
    slots = Path(config["STORAGE_DIR"]) / ".photo-decoders"
    timeout = config["PHOTO_DECODER_TIMEOUT_SECONDS"]
    with decoder_slot(slots, config["PHOTO_DECODERS"], config["PHOTO_DECODER_WAIT_SECONDS"]):
        try:
            completed = subprocess.run(  # noqa: S603 - our interpreter and our script
                [sys.executable, "-I", str(SCRIPT), str(config["PHOTO_DECODER_MEMORY_BYTES"])],
                input=data, capture_output=True, timeout=timeout, env=CHILD_ENV,
                check=False)
        except subprocess.TimeoutExpired as error:
            log.warning("Photo decoder timed out after %ss", timeout)
            raise Refused("damaged") from error
    return _result(completed)


def _result(completed: subprocess.CompletedProcess) -> Processed:
    header_line, _, files = completed.stdout.partition(b"\n")
    if completed.returncode != 0 or not header_line:
        # Killed by a signal (negative code) or failed: its stderr says why, for the log.
        log.warning("Photo decoder exited with %s: %s", completed.returncode,
                    completed.stderr[-500:].decode(errors="replace"))
        raise Refused("damaged")
    # JSON, never pickle: the child parses hostile files, so its answer is data only.
    header = json.loads(header_line)
    if "refused" in header:
        raise Refused(header["refused"], header["limit"])
    split = header["full_bytes"]
    return Processed(full=files[:split], thumb=files[split:],
                     size=tuple(header["size"]), thumb_size=tuple(header["thumb_size"]))


@contextmanager
def decoder_slot(directory: Path, slots: int, wait_seconds: float) -> Iterator[None]:
    """Hold one of ``slots`` exclusive locks in ``directory`` while the block runs."""
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        for index in range(slots):
            descriptor = os.open(directory / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            try:
                yield
            finally:
                os.close(descriptor)  # closing the file releases its lock
            return
        if time.monotonic() >= deadline:
            raise DecoderBusy
        time.sleep(0.05)
