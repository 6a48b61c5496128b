"""A closed loop of workers, and the summary every benchmark prints.

Each of ``concurrency`` threads takes the next job, runs it, waits for it to
finish, then takes the next, until the jobs are used up or ``duration``
seconds have passed. Used by the HTTP load generator and the psycopg replay
so that both are measured the same way.
"""

import statistics
import threading
import time


def percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run_closed_loop(jobs, run, *, concurrency, duration, make_state=None):
    """Run ``run(state, job)`` for each job; return the summary as a dict.

    ``run`` returns an outcome (an HTTP status, "committed"...) counted in
    ``outcomes``. ``make_state`` builds one state per worker (a connection).
    The summary keeps every latency, in milliseconds, under ``latencies_ms``
    so that several runs can be merged by ``merge_summaries``.
    """
    remaining = iter(jobs)
    take_lock = threading.Lock()
    latencies = []
    outcomes = {}
    deadline = time.monotonic() + duration

    def work():
        state = make_state() if make_state else None
        try:
            while time.monotonic() < deadline:
                with take_lock:
                    job = next(remaining, None)
                if job is None:
                    return
                started = time.perf_counter()
                outcome = run(state, job)
                elapsed = time.perf_counter() - started
                with take_lock:
                    latencies.append(elapsed)
                    outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
        finally:
            if state is not None and hasattr(state, "close"):
                state.close()

    started = time.monotonic()
    workers = [threading.Thread(target=work) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall_time = time.monotonic() - started

    return summarize(
        [latency * 1000 for latency in latencies],
        outcomes,
        wall_time,
        exhausted=next(remaining, None) is None,
    )


def summarize(latencies_ms, outcomes, seconds, *, exhausted):
    latencies_ms = sorted(latencies_ms)
    return {
        "requests": len(latencies_ms),
        "outcomes": outcomes,
        "seconds": round(seconds, 3),
        "per_second": round(len(latencies_ms) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies_ms, 0.50), 2),
        "p99_ms": round(percentile(latencies_ms, 0.99), 2),
        "mean_ms": round(statistics.fmean(latencies_ms), 2) if latencies_ms else 0.0,
        "exhausted": exhausted,
        "latencies_ms": [round(latency, 3) for latency in latencies_ms],
    }


def merge_summaries(summaries):
    """One summary of several runs, as if their time were one run."""
    outcomes = {}
    for summary in summaries:
        for outcome, count in summary["outcomes"].items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
    return summarize(
        [latency for summary in summaries for latency in summary["latencies_ms"]],
        outcomes,
        sum(summary["seconds"] for summary in summaries),
        exhausted=any(summary["exhausted"] for summary in summaries),
    )
