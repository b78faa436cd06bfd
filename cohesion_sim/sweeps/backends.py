"""Where chunks run: in this process, in a process pool, or on Dask (a local cluster or a scheduler).

What runs is separate from where it runs: the runner only needs a
``concurrent.futures.Executor``. Any executor works, for example a Dask client's
``client.get_executor()`` for a ``dask_jobqueue.SLURMCluster``.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

BACKENDS = ("serial", "processes", "dask")


class SerialExecutor(Executor):
    """Runs each task at once, in this process, when it is submitted."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt must reach the runner too
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


#: How long to wait for a Dask scheduler given with --scheduler before giving up.
SCHEDULER_TIMEOUT = 5.0


def _init_worker(parent_pid: int) -> None:
    """Workers leave Ctrl-C to the parent, and exit on their own if the parent dies (even by SIGKILL).

    The parent stops submitting and keeps the folder clean; a watchdog thread ends the worker
    within half a second once its parent is gone (its parent pid changes, or the sweep's pid is dead).
    """
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):  # a forked worker inherits the sweep's SIGTERM handler: terminate() must kill it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(parent_pid, os.getppid()), name="parent-watchdog",
                     daemon=True).start()  # fmt: skip


def _watch_parent(parent_pid: int, ppid: int, interval: float = 0.5) -> None:
    import time

    while True:
        time.sleep(interval)
        if os.getppid() != ppid or (os.name == "posix" and not _alive(parent_pid)):
            os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # POSIX only: on Windows this would terminate the process
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers now (their chunks in flight are lost anyway: only the parent writes)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()


def _process_context():
    """How worker processes start: fork when this process runs no other Python thread, else forkserver.

    Forking is instant, but forking a process that runs threads (a progress bar, a Dask client)
    can deadlock; the forkserver is safe and preloads the engine once (about a second). Python
    warns about any fork once numpy's BLAS threads exist; those threads survive a fork (OpenBLAS
    re-initializes in the child), so that warning is silenced in :func:`_start_workers`.
    """
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cohesion_sim.sweeps.runner", "cohesion_sim.engine", "pandas", "pyarrow"])
    return context


def _start_workers(pool: ProcessPoolExecutor) -> None:
    """Start every worker now, before the progress bar's thread exists."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*use of fork\\(\\) may lead to deadlocks", category=DeprecationWarning)
        pool.submit(os.getpid).result()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@contextlib.contextmanager
def make_executor(backend: str = "serial", workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """An executor for a backend name; closed (and any local cluster stopped) on exit."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend '{backend}'; use one of {', '.join(BACKENDS)}")
    if scheduler is not None and backend != "dask":
        raise ValueError("--scheduler needs --backend dask")
    if backend == "serial":
        yield SerialExecutor()
        return
    if backend == "processes":
        from . import runner  # noqa: F401  forked workers inherit the engine already imported
        from .. import engine  # noqa: F401

        pool = ProcessPoolExecutor(max_workers=workers or default_workers(), mp_context=_process_context(),
                                   initializer=_init_worker, initargs=(os.getpid(),))  # fmt: skip
        try:
            _start_workers(pool)
            yield pool
        except BaseException:  # Ctrl+C, SIGTERM, an error: stop at once, do not finish the chunks in flight
            _stop_workers(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        from ..extras import MissingExtraError

        raise MissingExtraError('--backend dask needs dask.distributed: pip install "cohesion-sim[dask]"') from None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ValueError for a bad address
            detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise ValueError(f"--scheduler {scheduler}: no Dask scheduler answered within {SCHEDULER_TIMEOUT:g} s "
                             f"({detail}); check the address and that the scheduler runs") from None  # fmt: skip
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=workers or default_workers(), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        yield client.get_executor()
    except BaseException:  # Ctrl+C, SIGTERM: close quietly (no "worker still alive, killing" log lines)
        import logging

        logging.getLogger("distributed").setLevel(logging.ERROR)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = ["BACKENDS", "SerialExecutor", "default_workers", "make_executor"]


def drive_chunks(executor: Executor, work: Callable[[Any], Any], task: Callable[[int], Any], pending: Sequence[int],
                 write: Callable[[int, Any], int], bar, limit: int) -> int:  # fmt: skip
    """Run ``work(task(chunk))`` for each pending chunk with at most ``limit`` in flight; the parent calls
    ``write(chunk, result)`` (returning the runs it wrote) as each lands, so only the parent touches the folder.

    Sweeps and levers analyses share this loop. On any exception (Ctrl+C included) chunks not
    yet started are cancelled and the exception propagates; chunks already written stay written.
    Returns the runs written.
    """
    queue = list(reversed(pending))
    in_flight: dict[Future, int] = {}
    written = 0
    try:
        while queue or in_flight:
            while queue and len(in_flight) < limit:
                chunk = queue.pop()
                in_flight[executor.submit(work, task(chunk))] = chunk
            done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            for future in done:
                chunk = in_flight.pop(future)
                runs = write(chunk, future.result())
                written += runs
                if bar is not None:
                    bar.update(runs)
    except BaseException:
        for future in in_flight:
            future.cancel()
        raise
    return written
