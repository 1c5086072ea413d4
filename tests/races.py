"""Many clients at once, for the race tests of every quota: as threads released together by a
barrier, or as separate processes (fork), each calling `attempt(*args)` once per job."""

import multiprocessing
import threading

from django.db import connections


def run_threads(attempt, jobs):
    results = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i, args):
        barrier.wait()
        results[i] = attempt(*args)

    threads = [threading.Thread(target=run, args=(i, args)) for i, args in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def run_processes(attempt, jobs):
    connections.close_all()  # children must not share the parent's connection
    with multiprocessing.get_context("fork").Pool(min(len(jobs), 25)) as pool:
        return pool.starmap(attempt, jobs)


# For @pytest.mark.parametrize("runner", RUNNERS): each race once as threads, once as processes.
RUNNERS = {"threads": run_threads, "processes": run_processes}


def outcome(call, expected=Exception):
    """What one client got: "ok", the code of the `expected` error it was refused with, or any other
    error's name and text (a lock or deadlock error lands there, and the test fails on it). The
    connection is closed afterwards: each thread or process has its own."""
    try:
        call()
        return "ok"
    except expected as exc:
        return exc.code
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()
