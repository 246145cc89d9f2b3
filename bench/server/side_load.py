#!/usr/bin/env python3
"""Hostile clients that run beside a load test of `caravan serve`.

    side_load.py slow HOST PORT N SECONDS OUT      N connections that send their head one byte a second
    side_load.py bad-token HOST PORT SECONDS OUT   one client sending wrong tokens as fast as it is answered

Each stops by itself after SECONDS and writes what it saw to OUT as JSON:
slow: how often the server cut a slow connection (and with which status) and how many
were open at the end; bad-token: the count of each status. Standard library only.
"""
import http.client
import json
import select
import socket
import sys
import threading
import time


def slow(host, port, n, seconds, out):
    end = time.monotonic() + seconds
    counts = {"cut": 0, "statuses": {}, "open_at_end": 0}
    lock = threading.Lock()

    def one():
        while time.monotonic() < end:
            s = None
            status = None
            try:
                s = socket.create_connection((host, port), timeout=5)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                while time.monotonic() < end:
                    readable, _, _ = select.select([s], [], [], 1.0)
                    if readable:  # the server answered (408) or closed: it cut us
                        data = s.recv(64)
                        status = data[9:12].decode() if data.startswith(b"HTTP/1.1 ") else "closed"
                        break
                    s.sendall(b"a")
            except OSError:
                status = "error"
            finally:
                if s is not None:
                    s.close()
            with lock:
                if status is None:
                    counts["open_at_end"] += 1
                    return
                counts["cut"] += 1
                counts["statuses"][status] = counts["statuses"].get(status, 0) + 1
            time.sleep(0.2)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    json.dump(counts, open(out, "w"))


def bad_token(host, port, seconds, out):
    end = time.monotonic() + seconds
    statuses = {}
    body = b'name = "guess"\n'
    i = 0
    while time.monotonic() < end:
        i += 1
        try:
            c = http.client.HTTPConnection(host, port, timeout=5)
            c.request("POST", "/v1/scenarios?id=guess", body=body,
                      headers={"Authorization": "Bearer wrong-token-%08d" % i, "Content-Type": "application/toml"})
            status = str(c.getresponse().status)
            c.close()
        except OSError:
            status = "error"
        statuses[status] = statuses.get(status, 0) + 1
    json.dump({"statuses": statuses, "requests": i}, open(out, "w"))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "slow":
        slow(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    elif mode == "bad-token":
        bad_token(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        sys.exit("side_load.py: unknown mode " + mode)
