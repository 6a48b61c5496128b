"""A closed-loop HTTP load generator, run in its own process.

Each of ``--concurrency`` workers sends one request, waits for the answer,
then sends the next, until the plan is used up or ``--duration`` seconds have
passed. The plan is a JSON Lines file of requests (method, path, headers,
body); each request is sent once. Only loopback addresses are accepted.
Prints one JSON object: the count per status, requests per second and the
latency percentiles in milliseconds.
"""

import argparse
import http.client
import ipaddress
import json
import statistics
import sys
import threading
import time


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="JSON Lines file of requests to send")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=int, default=20)
    arguments = parser.parse_args()
    if not ipaddress.ip_address(arguments.host).is_loopback:
        parser.error("the load generator only targets loopback addresses")
    return arguments


def send(host, port, request):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        body = request.get("body")
        connection.request(
            request["method"],
            request["path"],
            body=body.encode() if body is not None else None,
            headers=request.get("headers", {}),
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def main():
    arguments = parse_arguments()
    with open(arguments.plan) as plan_file:
        plan = [json.loads(line) for line in plan_file if line.strip()]

    for request in plan[: arguments.warmup]:
        send(arguments.host, arguments.port, request)
    remaining = iter(plan[arguments.warmup :])
    take_lock = threading.Lock()
    latencies = []
    statuses = {}
    deadline = time.monotonic() + arguments.duration

    def work():
        while time.monotonic() < deadline:
            with take_lock:
                request = next(remaining, None)
            if request is None:
                return
            started = time.perf_counter()
            status = send(arguments.host, arguments.port, request)
            elapsed = time.perf_counter() - started
            with take_lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.monotonic()
    workers = [threading.Thread(target=work) for _ in range(arguments.concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall_time = time.monotonic() - started

    latencies.sort()
    json.dump(
        {
            "requests": len(latencies),
            "statuses": {str(status): count for status, count in statuses.items()},
            "seconds": round(wall_time, 3),
            "per_second": round(len(latencies) / wall_time, 1) if wall_time else 0.0,
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 2)
            if latencies
            else 0.0,
            "exhausted": next(remaining, None) is None,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
