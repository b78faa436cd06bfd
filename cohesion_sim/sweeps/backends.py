"""Where chunks run: in this process, in a process pool, or on Dask (a local cluster or a scheduler).

What runs is separate from where it runs: the runner only needs a
``concurrent.futures.Executor``. Any executor works, for example a Dask client's
``client.get_executor()`` for a ``dask_jobqueue.SLURMCluster``.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor

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


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops submitting and keeps the folder clean."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
                                   initializer=_ignore_interrupts)  # fmt: skip
        _start_workers(pool)
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(
            "the dask backend needs dask.distributed: pip install 'cohesion-sim[dask]'"
        ) from None
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=workers or default_workers(), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = ["BACKENDS", "SerialExecutor", "default_workers", "make_executor"]
