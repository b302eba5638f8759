#!/usr/bin/env python3
"""Acknowledged /create per second on one chatd (issue 3's figure).

--clients connections log in and each sends --per-client `/create` commands,
keeping at most --window of them unanswered. A create is counted when its
`ok` arrives, which the server sends only after the room is committed to
SQLite. Prints the rate from the first command sent to the last `ok`, and
exits 1 if any create was not acknowledged.

Bounded: a fixed number of commands, and the run gives up after --timeout
seconds. Started by bench/creates.sh, which gives it a fresh server.
"""

import argparse
import asyncio
import json
import sys
import time


async def open_client(port, nick):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for command in ("/mode json", f"/login {nick}"):
        writer.write(command.encode() + b"\r\n")
        await writer.drain()
        while True:
            line = await reader.readline()
            if not line:
                raise RuntimeError(f"{nick}: connection closed during {command}")
            if not line.startswith(b"{"):
                continue  # the text-mode welcome banner, before /mode json
            reply = json.loads(line)
            if reply.get("type") in ("ok", "error"):
                break
        if reply["type"] != "ok":
            raise RuntimeError(f"{nick}: {command} answered {reply}")
    return reader, writer


async def create_rooms(reader, writer, nick, count, window, tally):
    """Sends `count` creates with at most `window` unanswered; counts the oks."""
    sent = answered = 0
    while answered < count:
        while sent < count and sent - answered < window:
            writer.write(f"/create {nick}-{sent}\r\n".encode())
            sent += 1
        await writer.drain()
        line = await reader.readline()
        if not line:
            raise RuntimeError(f"{nick}: connection closed after {answered} replies")
        reply = json.loads(line)
        if reply.get("type") == "ok":
            answered += 1
            tally["ok"] += 1
        elif reply.get("type") == "error":
            answered += 1
            tally["errors"] += 1
            tally["last_error"] = reply
    writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=200)
    parser.add_argument("--window", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    clients = await asyncio.gather(
        *(open_client(args.port, f"maker{i}") for i in range(args.clients)))
    tally = {"ok": 0, "errors": 0, "last_error": None}
    start = time.monotonic()
    await asyncio.wait_for(
        asyncio.gather(*(create_rooms(r, w, f"maker{i}", args.per_client, args.window, tally)
                         for i, (r, w) in enumerate(clients))),
        args.timeout)
    seconds = time.monotonic() - start
    total = args.clients * args.per_client
    print(f"creates: {tally['ok']} of {total} acknowledged in {seconds:.2f} s: "
          f"{tally['ok'] / seconds:.0f} creates/s ({args.clients} clients, window {args.window})")
    if tally["errors"]:
        print(f"creates: {tally['errors']} errors, the last: {tally['last_error']}")
    return 0 if tally["ok"] == total else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
