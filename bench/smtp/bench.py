"""SMTP sending benchmark: N messages of about 3 KB into Postfix's smtp-sink
on loopback, by piculet (one session) and its peers, all in one run.

Prints messages/second for each, and for piculet the CPU time per message
and peak memory. Usage: bench.py PICULET_BINARY [N]
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"smtp-sink did not listen on {port}")


def user_option():
    # smtp-sink refuses to run as root without a user to become.
    return ["-u", "nobody"] if os.geteuid() == 0 else []


def make_message(path):
    lines = [
        "From: Alice Example <alice@sender.test>",
        "To: <carol@prospect.test>",
        "Subject: A short question about your team",
        "Date: Thu, 26 Nov 2026 10:00:00 +0000",
        "Message-ID: <bench@sender.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
    ]
    body = ("Hi Carol, I noticed your team is growing and wondered whether a short "
            "call next week would be useful. ")
    text = "\r\n".join(lines) + "\r\n"
    while len(text) < 3000:
        text += body[: 76] + "\r\n" + body[76:] + "\r\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text)


def run(argv, stdin=None):
    """Runs one process; returns (wall seconds, user+sys CPU seconds, peak RSS KiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv[0]} failed ({status}): {err[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def per_process(argv_for, n, message_path):
    start = time.monotonic()
    cpu = 0.0
    for _ in range(n):
        with open(message_path, "rb") as f:
            _, c, _ = run(argv_for(), stdin=f)
        cpu += c
    return time.monotonic() - start, cpu


def main():
    piculet = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    n_slow = int(os.environ.get("BENCH_SMTP_PER_PROCESS_N", n))
    work = tempfile.mkdtemp(prefix="piculet-bench-smtp-")
    message = os.path.join(work, "message.eml")
    size = make_message(message)
    port = free_port()
    # -h: our name, 256: backlog. smtp-sink answers at once and stores nothing.
    sink = subprocess.Popen(["/usr/sbin/smtp-sink", "-h", "sink.test"] + user_option() + [f"127.0.0.1:{port}",
                             "256"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []
    try:
        wait_listening(port)
        print(f"{n} messages of {size} bytes into smtp-sink on 127.0.0.1:{port}")

        wall, _, _ = run(["/usr/sbin/smtp-source", "-d", "-s", "1", "-m", str(n),
                          "-f", "alice@sender.test", "-t", "carol@prospect.test",
                          "-l", str(size), f"127.0.0.1:{port}"])
        results.append(("postfix smtp-source (ceiling, 1 session)", n / wall, None))

        wall, cpu, rss = run([piculet, "send", "--smtp", f"127.0.0.1:{port}", "--plain",
                              "--from", "alice@sender.test", "--to", "carol@prospect.test",
                              "--message-file", message, "--count", str(n)])
        results.append(("piculet send --count (1 session)", n / wall,
                        f"CPU {cpu / n * 1e6:.0f} us/message, peak RSS {rss / 1024:.1f} MiB"))

        py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        wall, cpu, _ = run([py, os.path.join(HERE, "smtplib-send.py"), str(port), str(n),
                            message])
        results.append(("python smtplib (1 connection)", n / wall, None))

        node_modules = os.path.join(HERE, "node_modules", "nodemailer")
        if shutil.which("node") and os.path.isdir(node_modules):
            wall, cpu, _ = run(["node", os.path.join(HERE, "nodemailer-send.js"), str(port),
                                str(n), message])
            results.append(("node nodemailer (pooled, 1 connection)", n / wall, None))
        else:
            results.append(("node nodemailer", None, "not installed (npm install failed?)"))

        wall, _ = per_process(lambda: ["curl", "--silent", "--url", f"smtp://127.0.0.1:{port}",
                                       "--mail-from", "alice@sender.test", "--mail-rcpt",
                                       "carol@prospect.test", "--upload-file", "-"],
                              n_slow, message)
        results.append((f"curl (1 process per message, n={n_slow})", n_slow / wall, None))

        if shutil.which("msmtp"):
            wall, _ = per_process(lambda: ["msmtp", "--host=127.0.0.1", f"--port={port}",
                                           "--tls=off", "--auth=off",
                                           "--from=alice@sender.test",
                                           "carol@prospect.test"], n_slow, message)
            results.append((f"msmtp (1 process per message, n={n_slow})", n_slow / wall,
                            None))
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(work, ignore_errors=True)

    ceiling = results[0][1]
    for name, rate, note in results:
        if rate is None:
            print(f"  {name:48s} {note}")
            continue
        extra = f"  ({note})" if note else ""
        print(f"  {name:48s} {rate:9.0f} messages/s  {100 * rate / ceiling:5.1f}% of ceiling"
              f"{extra}")


if __name__ == "__main__":
    main()
