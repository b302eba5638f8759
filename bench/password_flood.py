#!/usr/bin/env python3
"""Password floods against one chatd (issue 13, bounded hashing).

--mode mixed: --attackers clients loop `/login victim wrong` (a client that
got bad_password reconnects, dodging the per-connection back-off) and
--registrars clients loop `/register` (each a password hash), all from
127.0.0.1, for --seconds. Meanwhile --chatters innocent users in one room
send two lines a second each; the script prints the p50/p99/max latency of
their deliveries, the server's peak RSS and its thread count (min and max,
sampled every 100 ms from /proc), and what the flood got.

--mode one-network / many-networks: --attackers clients loop wrong-password
logins from 127.0.0.1 alone, or each from its own address 127.0.0.10...;
the account's owner logs in from 127.0.0.2 every two seconds. Prints how long
each of the owner's attempts took and what it got. (The server must run with
--limits-exempt "" for loopback addresses to count as networks.)

Bounded: everything stops after --seconds; exits 1 if the server died or a
login of the owner was never answered.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time


class Conn:
    """One json-mode connection; replies and events read by one task."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.replies = asyncio.Queue()
        self.on_event = None
        self.task = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, port, source="127.0.0.1"):
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        conn = cls(reader, writer)
        reply = await conn.command("/mode json")
        if reply.get("type") != "ok":
            raise RuntimeError(f"/mode json answered {reply}")
        return conn

    async def _read(self):
        try:
            while True:
                line = await self.reader.readline()
                if not line:
                    break
                if not line.startswith(b"{"):
                    continue  # the text banner before /mode json
                msg = json.loads(line)
                if msg.get("type") in ("ok", "error"):
                    await self.replies.put(msg)
                elif self.on_event:
                    self.on_event(msg)
        except (ConnectionError, asyncio.CancelledError):
            pass
        await self.replies.put({"type": "closed"})

    async def command(self, line, timeout=30):
        self.writer.write(line.encode() + b"\r\n")
        await self.writer.drain()
        return await asyncio.wait_for(self.replies.get(), timeout)

    def close(self):
        self.task.cancel()
        self.writer.close()


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0]), int(fields["Threads"])


async def sample_server(pid, stop, samples):
    while not stop.is_set():
        try:
            samples.append(proc_status(pid))
        except FileNotFoundError:
            samples.append(None)
            return
        await asyncio.sleep(0.1)


async def wrong_logins(port, source, stop, tally):
    while not stop.is_set():
        try:
            conn = await Conn.open(port, source)
        except (OSError, RuntimeError, asyncio.TimeoutError):
            tally["connect failed"] = tally.get("connect failed", 0) + 1
            await asyncio.sleep(0.1)
            continue
        try:
            while not stop.is_set():
                reply = await conn.command("/login victim wrong")
                code = reply.get("code", reply.get("type"))
                tally[code] = tally.get(code, 0) + 1
                if code != "unavailable":
                    break  # bad_password: reconnect, as an attacker would
        except (OSError, asyncio.TimeoutError):
            tally["timeout"] = tally.get("timeout", 0) + 1
        finally:
            conn.close()


async def registrations(port, index, stop, tally):
    conn = await Conn.open(port)
    reply = await conn.command(f"/login reg{index}")
    if reply.get("type") != "ok":
        raise RuntimeError(f"reg{index}: {reply}")
    n = 0
    while not stop.is_set():
        n += 1
        reply = await conn.command(f"/register pw{n}")
        code = "register " + reply.get("code", reply.get("type"))
        tally[code] = tally.get(code, 0) + 1
    conn.close()


async def chatter(port, index, stop, latencies):
    conn = await Conn.open(port)
    nick = f"chat{index}"

    def on_event(msg):
        if msg.get("type") == "message" and msg.get("text", "").startswith("t="):
            latencies.append((time.perf_counter_ns() - int(msg["text"][2:])) / 1e6)

    conn.on_event = on_event
    for line in (f"/login {nick}", "/join quiet"):
        reply = await conn.command(line)
        if reply.get("type") != "ok" and "room_exists" not in json.dumps(reply):
            raise RuntimeError(f"{nick}: {line}: {reply}")
    while not stop.is_set():
        conn.writer.write(f"t={time.perf_counter_ns()}\r\n".encode())
        await conn.writer.drain()
        await asyncio.sleep(0.5)  # two lines a second: within the default rate
    conn.close()


async def register_victim(port):
    conn = await Conn.open(port, "127.0.0.3")
    for line in ("/login victim", "/register right", "/nick registrar"):
        reply = await conn.command(line)
        if reply.get("type") != "ok":
            raise RuntimeError(f"{line}: {reply}")
    return conn


def pct(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def mixed(args):
    stop, tally, latencies, samples = asyncio.Event(), {}, [], []
    registrar = await register_victim(args.port)
    setup = await Conn.open(args.port)  # the room of the chatters
    await setup.command("/login roomkeeper")
    await setup.command("/create quiet")
    setup.close()
    tasks = [asyncio.ensure_future(sample_server(args.pid, stop, samples))]
    tasks += [asyncio.ensure_future(chatter(args.port, i, stop, latencies)) for i in range(args.chatters)]
    tasks += [asyncio.ensure_future(wrong_logins(args.port, "127.0.0.1", stop, tally))
              for _ in range(args.attackers)]
    tasks += [asyncio.ensure_future(registrations(args.port, i, stop, tally))
              for i in range(args.registrars)]
    await asyncio.sleep(args.seconds)
    stop.set()
    await asyncio.wait(tasks, timeout=35)
    registrar.close()
    alive = [s for s in samples if s]
    if len(alive) < len(samples):
        print("the server died during the run")
        return 1
    print(f"mixed: {args.attackers} wrong-password loops + {args.registrars} /register loops, "
          f"{args.seconds} s; {args.chatters} chatters, 2 lines/s each")
    print(f"  chat deliveries: {len(latencies)}, p50 {pct(latencies, 50):.1f} ms, "
          f"p99 {pct(latencies, 99):.1f} ms, max {max(latencies, default=float('nan')):.1f} ms")
    print(f"  server RSS: peak {max(s[1] for s in alive) / 1024:.1f} MiB (VmHWM), "
          f"threads {min(s[2] for s in alive)}..{max(s[2] for s in alive)}")
    print("  answers: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    return 0


async def owner_logins(args, sources):
    stop, tally, samples = asyncio.Event(), {}, []
    registrar = await register_victim(args.port)
    tasks = [asyncio.ensure_future(sample_server(args.pid, stop, samples))]
    tasks += [asyncio.ensure_future(wrong_logins(args.port, s, stop, tally)) for s in sources]
    await asyncio.sleep(2)  # let the flood fill the pool first
    attempts, failed = [], 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        conn = await Conn.open(args.port, "127.0.0.2")
        start = time.monotonic()
        try:
            reply = await conn.command("/login victim right", timeout=30)
            result = reply.get("code", reply.get("type"))
        except asyncio.TimeoutError:
            result, failed = "no answer in 30 s", failed + 1
        attempts.append((time.monotonic() - start, result))
        conn.close()
        await asyncio.sleep(2)
    stop.set()
    await asyncio.wait(tasks, timeout=35)
    registrar.close()
    alive = [s for s in samples if s]
    where = "127.0.0.1" if len(set(sources)) == 1 else f"{len(set(sources))} addresses"
    print(f"{args.mode}: {len(sources)} wrong-password loops from {where}; the owner logs in "
          f"from 127.0.0.2 every 2 s for {args.seconds} s")
    for took, result in attempts:
        print(f"  owner: {result} after {took * 1000:.0f} ms")
    oks = [t for t, r in attempts if r == "ok"]
    print(f"  owner: {len(oks)} of {len(attempts)} in, slowest answer "
          f"{max(t for t, _ in attempts) * 1000:.0f} ms")
    print(f"  server RSS: peak {max(s[1] for s in alive) / 1024:.1f} MiB (VmHWM), "
          f"threads {min(s[2] for s in alive)}..{max(s[2] for s in alive)}")
    print("  answers: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    return 1 if failed or len(alive) < len(samples) else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True, help="the server's pid (RSS, threads)")
    p.add_argument("--mode", choices=("mixed", "one-network", "many-networks"), default="mixed")
    p.add_argument("--attackers", type=int, default=20)
    p.add_argument("--registrars", type=int, default=20)
    p.add_argument("--chatters", type=int, default=5)
    p.add_argument("--seconds", type=int, default=60)
    args = p.parse_args()
    if args.mode == "mixed":
        return asyncio.run(mixed(args))
    sources = (["127.0.0.1"] * args.attackers if args.mode == "one-network"
               else [f"127.0.0.{10 + i}" for i in range(args.attackers)])
    return asyncio.run(owner_logins(args, sources))


if __name__ == "__main__":
    sys.exit(main())
