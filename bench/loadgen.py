"""A closed-loop HTTP load generator, run in its own process.

Each of ``--concurrency`` workers sends one request, waits for the answer,
then sends the next, until the plan is used up or ``--duration`` seconds have
passed. The plan is a JSON Lines file of requests (method, path, headers,
body); each request is sent once, or the plan is cycled with ``--repeat``.
The first ``--warmup`` requests are sent one by one and not counted. Only
loopback addresses are accepted. Prints one JSON object: the count per
status, requests per second and the latency percentiles in milliseconds.
"""

import argparse
import http.client
import ipaddress
import itertools
import json
import sys

from bench.closed_loop import run_closed_loop


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="JSON Lines file of requests to send")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--repeat", action="store_true", help="cycle the plan until the time is up"
    )
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


def main():
    arguments = parse_arguments()
    with open(arguments.plan) as plan_file:
        plan = [json.loads(line) for line in plan_file if line.strip()]

    requests = itertools.cycle(plan) if arguments.repeat else iter(plan)
    for request in itertools.islice(requests, arguments.warmup):
        send(arguments.host, arguments.port, request)
    summary = run_closed_loop(
        requests,
        lambda _, request: send(arguments.host, arguments.port, request),
        concurrency=arguments.concurrency,
        duration=arguments.duration,
    )
    if arguments.repeat:
        summary["exhausted"] = False
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
