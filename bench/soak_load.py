#!/usr/bin/env python3
"""Mixed load for the soak test (bench/soak.sh): clients that join, chat,
quit, are killed and never log in, against one chatd, for a fixed time.

Every minute it prints one line: the server's resident memory and open file
descriptors (from /proc/PID), its connection count, and what the clients did
in that minute. At the end it says whether memory and descriptors stayed flat:
the last minutes compared with the first ones after warm-up.

Bounded: at most --clients connections at once, every client has a lifetime,
the whole run stops after --minutes, and the script exits by itself.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import struct
import sys
import time

ROOMS = [f"soak-{i}" for i in range(12)]


def proc_figures(pid):
    """(RSS in KiB, open file descriptors) of the server process."""
    rss = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


class Counters:
    def __init__(self):
        self.reset()

    def reset(self):
        self.sessions = 0
        self.sent = 0
        self.received = 0
        self.quits = 0
        self.kills = 0
        self.silent = 0
        self.errors = 0
        self.rate_limited = 0
        self.rooms_created = 0


class Client:
    """One connection in json mode. Reads everything the server sends."""

    def __init__(self, reader, writer, counters):
        self.reader, self.writer, self.counters = reader, writer, counters

    @classmethod
    async def connect(cls, port, counters):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer, counters)

    async def send(self, line):
        self.writer.write(line.encode() + b"\r\n")
        await self.writer.drain()

    async def reply(self, timeout=10.0):
        """The next ok/error, counting the events seen on the way."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply")
            raw = await asyncio.wait_for(self.reader.readline(), left)
            if not raw:
                raise ConnectionError("closed by the server")
            try:
                msg = json.loads(raw)
            except ValueError:
                continue  # the text banner before json mode
            kind = msg.get("type")
            if kind in ("ok", "error"):
                if msg.get("code") == "rate_limited":
                    self.counters.rate_limited += 1
                return msg
            self.counters.received += 1

    async def command(self, line):
        await self.send(line)
        return await self.reply()

    async def drain_for(self, seconds):
        """Reads (and counts) what arrives for `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                raw = await asyncio.wait_for(self.reader.readline(), left)
            except asyncio.TimeoutError:
                return
            if not raw:
                raise ConnectionError("closed by the server")
            if b'"rate_limited"' in raw:
                self.counters.rate_limited += 1
            else:
                self.counters.received += 1

    def kill(self):
        """Closes with RST, as a crashed client or a pulled cable would."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    def close(self):
        self.writer.close()


async def chatter(port, nick, counters, rng):
    """Logs in, joins a room, chats about once a second for a while, then
    quits, is killed, or (now and then) creates and drops a room of its own."""
    c = await Client.connect(port, counters)
    try:
        await c.command("/mode json")
        if (await c.command(f"/login {nick}"))["type"] != "ok":
            counters.errors += 1
            return
        counters.sessions += 1
        if rng.random() < 0.05:
            own = f"{nick}-room"
            if (await c.command(f"/create {own}"))["type"] == "ok":
                counters.rooms_created += 1
                await c.command(f"/join {own}")
                await c.command("/topic soak topic")
                await c.command(f"/drop {own}")
        if (await c.command(f"/join {rng.choice(ROOMS)}"))["type"] != "ok":
            counters.errors += 1
        lifetime = rng.uniform(5, 90)
        end = time.monotonic() + lifetime
        n = 0
        while time.monotonic() < end:
            n += 1
            roll = rng.random()
            if roll < 0.01:
                for burst in range(15):  # past the burst allowance: some rate_limited
                    await c.send(f"burst {burst}")
                counters.sent += 14
            elif roll < 0.03:
                await c.send("/who")
            elif roll < 0.04:
                await c.send(f"/me waves {n}")
            else:
                await c.send(f"soak line {n} from {nick} " + "x" * rng.randint(0, 200))
            counters.sent += 1
            await c.drain_for(rng.uniform(0.6, 1.4))
        if rng.random() < 0.3:
            counters.kills += 1
            c.kill()
        else:
            counters.quits += 1
            await c.send("/quit")
            try:
                await c.drain_for(2)
            except ConnectionError:
                pass  # the server closed it, as /quit asks
    except (ConnectionError, TimeoutError, asyncio.TimeoutError, OSError):
        counters.errors += 1
    finally:
        c.close()


async def silent(port, counters, rng):
    """Connects and never logs in: sends nothing, a half line, or junk; waits
    to be closed by the login timeout or goes away by itself."""
    counters.silent += 1
    c = await Client.connect(port, counters)
    try:
        roll = rng.random()
        if roll < 0.3:
            c.writer.write(b"half a line without its end " * rng.randint(1, 50))
        elif roll < 0.5:
            c.writer.write(bytes(rng.getrandbits(8) for _ in range(200)) + b"\r\n")
        await c.writer.drain()
        try:
            await asyncio.wait_for(c.reader.read(), rng.uniform(2, 40))
        except asyncio.TimeoutError:
            pass
    except (ConnectionError, OSError):
        pass
    finally:
        c.close()


async def population(port, clients, deadline, counters, seed):
    """Keeps about `clients` connections alive, 85% chatters and 15% silent."""
    rng = random.Random(seed)
    tasks = set()
    serial = 0
    while time.monotonic() < deadline:
        while len(tasks) < clients:
            serial += 1
            if rng.random() < 0.15:
                coro = silent(port, counters, random.Random(rng.random()))
            else:
                coro = chatter(port, f"s{serial}", counters, random.Random(rng.random()))
            task = asyncio.ensure_future(coro)
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            await asyncio.sleep(0.01)  # no connect storm: the storm benchmark does that
        await asyncio.sleep(0.2)
    for task in list(tasks):
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def create_rooms(port, counters):
    c = await Client.connect(port, counters)
    await c.command("/mode json")
    await c.command("/login soak-owner")
    for room in ROOMS:
        await c.command(f"/create {room}")  # an error if it exists: fine
    await c.command("/quit")
    c.close()


async def stats_sessions(port, minute):
    """Logged-in sessions by the server's /stats (this probe included)."""
    c = await Client.connect(port, Counters())
    try:
        await c.command("/mode json")
        await c.command(f"/login soak-probe-{minute}")
        reply = await c.command("/stats")
        await c.send("/quit")
        return reply.get("sessions", "?")
    except (ConnectionError, TimeoutError, asyncio.TimeoutError, OSError):
        return "?"
    finally:
        c.close()


def verdict(samples, warmup):
    """Flat when the last third of the minutes after warm-up grew less than
    10% (RSS) and 20 descriptors over the first third."""
    after = samples[warmup:]
    if len(after) < 3:
        return "too short for a verdict (need warm-up + 3 minutes)"
    third = max(1, len(after) // 3)
    first = after[:third]
    last = after[-third:]
    rss_first = max(s[1] for s in first)
    rss_last = max(s[1] for s in last)
    fd_first = max(s[2] for s in first)
    fd_last = max(s[2] for s in last)
    rss_growth = (rss_last - rss_first) / rss_first
    flat = rss_growth < 0.10 and fd_last - fd_first < 20
    return (
        f"{'FLAT' if flat else 'GROWING'}: RSS peak {rss_first} KiB in minutes "
        f"{first[0][0]}-{first[-1][0]}, {rss_last} KiB in minutes {last[0][0]}-{last[-1][0]} "
        f"({rss_growth * 100:+.1f}%); fds {fd_first} then {fd_last}"
    )


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=400, help="connections at once")
    parser.add_argument("--warmup", type=int, default=3, help="minutes left out of the verdict")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    await create_rooms(args.port, Counters())
    counters = Counters()
    start = time.monotonic()
    deadline = start + args.minutes * 60
    load = asyncio.ensure_future(
        population(args.port, args.clients, deadline, counters, args.seed))
    samples = []
    rss, fds = proc_figures(args.pid)
    print(f"start: RSS {rss} KiB, {fds} fds, {args.clients} clients for {args.minutes} min",
          flush=True)
    print("minute  rss_kib  fds  online  sessions  sent  received  quits  kills  silent  "
          "rate_limited  errors", flush=True)
    minute = 0
    while time.monotonic() < deadline and not load.done():
        await asyncio.sleep(min(60, max(0.0, deadline - time.monotonic())))
        minute += 1
        rss, fds = proc_figures(args.pid)
        online = await stats_sessions(args.port, minute)
        samples.append((minute, rss, fds))
        c = counters
        print(f"{minute:6d}  {rss:7d}  {fds:3d}  {online!s:>6}  {c.sessions:8d}  {c.sent:5d}  "
              f"{c.received:8d}  {c.quits:5d}  {c.kills:5d}  {c.silent:6d}  "
              f"{c.rate_limited:12d}  {c.errors:6d}", flush=True)
        c.reset()
    await load
    print(verdict(samples, args.warmup), flush=True)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
