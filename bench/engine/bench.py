"""The engine's figures (issue 7), all in one run on a private mail lab:

(a) throughput with pacing at zero: 100 mailboxes x 100 prospects into
    Postfix's smtp-sink (IMAP of each mailbox on the lab's Dovecot);
(b) scheduling at scale: 1,000,000 enrollments, 10,000 mailboxes, 1,000
    campaigns: time to find what is due next, peak memory;
(c) reply latency with IDLE: from the reply's delivery into the mailbox to
    the enrollment stopped, through `piculet run`;
(d) 1,000 lab mailboxes in IDLE from one `piculet run`: resident memory per
    mailbox, threads, and a reply to one of them still stopping its
    enrollment;
(e) 200 mailboxes paced 3 s apart, one of whose SMTP servers accepts and
    never answers: how late the others' sends are behind their scheduled
    moments, with 1 worker (the old one-thread engine's behaviour) and with
    the default 4.

Usage: bench.py TOP
"""
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lab_env  # noqa: E402  (bench/lab_env.py)

USERS = int(os.environ.get("BENCH_ENGINE_MAILBOXES", "1000"))
PARTS = os.environ.get("BENCH_ENGINE_PARTS", "abcde")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def piculet(top, db, *args, env=None):
    return subprocess.run([os.path.join(top, "build", "piculet"), *args, "--db", db],
                          check=True, capture_output=True, text=True, env=env).stdout


class Run:
    """`piculet run` in the background, its log read line by line."""

    def __init__(self, top, db, lab, env):
        self.proc = subprocess.Popen(
            [os.path.join(top, "build", "piculet"), "run", "--poll", "3600", "--ca-file",
             lab["LAB_CA_FILE"], "--db", db], env=env, stderr=subprocess.PIPE)
        self.log = []
        self.pending = ""

    def wait_for(self, pattern, seconds):
        """The moment a log line matching PATTERN was read (unbuffered reads,
        so select() sees every byte)."""
        deadline = time.monotonic() + seconds
        rx = re.compile(pattern)
        fd = self.proc.stderr.fileno()
        while True:
            while "\n" in self.pending:
                line, self.pending = self.pending.split("\n", 1)
                self.log.append(line)
                if rx.search(line):
                    return time.monotonic()
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(left, 0))[0] if left > 0 else []
            chunk = os.read(fd, 65536).decode(errors="replace") if ready else ""
            if not chunk:
                raise RuntimeError(f"never saw {pattern!r}; last lines: {self.log[-5:]}")
            self.pending += chunk

    def status(self, key):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def campaign_file(work, name, mailboxes, token):
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as f:
        f.write(f"name: {name}\nwindow: daily 00:00-24:00\ninterval: 0s\n"
                "policies:\n  stop_on_company_reply: false\nmailboxes:\n")
        for m in mailboxes:
            f.write(f"  - {m}\n")
        f.write(f"steps:\n  - subject: \"{token} {{{{first_name}}}}\"\n    body: hello\n"
                f"  - delay: 1d\n    body: again\n")
    return path


def reply(top, lab, env, prospect, maildir, token):
    """PROSPECT answers the message with TOKEN; returns when it is delivered."""
    deadline = time.monotonic() + 20
    original = None
    while original is None and time.monotonic() < deadline:
        for sub in ("new", "cur"):
            d = os.path.join(maildir(prospect), sub)
            for name in os.listdir(d) if os.path.isdir(d) else []:
                text = open(os.path.join(d, name), errors="replace").read()
                if token in text:
                    original = text
        time.sleep(0.01)
    msgid = re.search(r"(?im)^Message-Id:\s*(\S+)", original).group(1)
    found = re.search(r"(?im)^From:\s*(?:.*<([^>]+)>|(\S+@\S+))", original)
    sender = found.group(1) or found.group(2)
    path = os.path.join(tempfile.gettempdir(), f"reply-{os.getpid()}.eml")
    with open(path, "w") as f:
        f.write(f"From: <{prospect}>\r\nTo: <{sender}>\r\nSubject: Re: {token}\r\n"
                f"In-Reply-To: {msgid}\r\n\r\nYes, tell me more.\r\n")
    inbox = os.path.join(maildir(sender), "new")
    before = set(os.listdir(inbox)) if os.path.isdir(inbox) else set()
    subprocess.run([os.path.join(top, "build", "piculet"), "send", "--smtp",
                    f"127.0.0.1:{lab['LAB_SUBMISSION_PORT']}", "--user", prospect,
                    "--password-env", "LAB_PW", "--ca-file", lab["LAB_CA_FILE"], "--from",
                    prospect, "--to", sender, "--message-file", path], check=True,
                   capture_output=True, env=env)
    while time.monotonic() < deadline:
        if os.path.isdir(inbox) and set(os.listdir(inbox)) - before:
            return time.monotonic()
        time.sleep(0.002)
    raise RuntimeError("reply never delivered")


def main():
    top = sys.argv[1]
    bench = os.path.join(top, "build", "bench", "bench-engine")
    work = tempfile.mkdtemp(prefix="pbe-", dir="/tmp")
    os.chmod(work, 0o755)  # the lab's daemons run as other users
    lab_dir = os.path.join(work, "lab")
    subprocess.run([os.path.join(top, "scripts", "mail-lab"), "start", lab_dir, "--users",
                    str(USERS)], check=True, stdout=subprocess.DEVNULL)
    sink = None
    try:
        lab = lab_env.load(os.path.join(lab_dir, "lab.env"))
        env = dict(os.environ, LAB_PW=lab["LAB_PASSWORD"])
        root = lab["LAB_MAIL_ROOT"]

        def maildir(address):
            user, domain = address.split("@")
            return os.path.join(root, domain, user, "Maildir")

        if "a" in PARTS:
            print("(a) throughput, pacing zero: 100 mailboxes x 100 prospects into smtp-sink")
            port = free_port()
            sink = subprocess.Popen(["/usr/sbin/smtp-sink", *(["-u", "nobody"] if os.geteuid() == 0
                                                              else []), "-c",
                                     f"127.0.0.1:{port}", "1000"], stdout=subprocess.DEVNULL)
            time.sleep(0.3)
            for workers in ("1", "2", "4"):
                out = subprocess.run([bench, "throughput", work,
                                      os.path.join(lab_dir, "lab.env"), str(port), "100", "100",
                                      workers], check=True, capture_output=True, text=True,
                                     env=env).stdout
                print("  " + out.strip())

        if "b" in PARTS:
            print("(b) scheduling at scale")
            out = subprocess.run([bench, "schedule", work, "1000000", "10000", "1000", "200"],
                                 check=True, capture_output=True, text=True).stdout
            for line in out.strip().splitlines():
                print("  " + line)

        if "c" in PARTS:
            print("(c) reply latency with IDLE, one mailbox, 10 replies")
            db = os.path.join(work, "latency.db")
            token = f"latency-{os.getpid()}"
            piculet(top, db, "mailbox", "add", "alice@sender.test", "--smtp",
                    f"127.0.0.1:{lab['LAB_SUBMISSION_PORT']}", "--imap",
                    f"127.0.0.1:{lab['LAB_IMAPS_PORT']}", "--password-env", "LAB_PW", env=env)
            prospects = ["carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken",
                         "liz"]
            with open(os.path.join(work, "p.csv"), "w") as f:
                f.write("email,first_name\n")
                for p in prospects:
                    f.write(f"{p}@prospect.test,{p.title()}\n")
            piculet(top, db, "campaign", "create", campaign_file(work, "latency",
                                                                 ["alice@sender.test"], token))
            piculet(top, db, "prospects", "import", os.path.join(work, "p.csv"), "--campaign",
                    "latency")
            piculet(top, db, "campaign", "start", "latency")
            run = Run(top, db, lab, env)
            run.wait_for(r"watching 1 mailbox", 60)
            latencies = []
            for i, p in enumerate(prospects):
                delivered = reply(top, lab, env, f"{p}@prospect.test", maildir, token)
                stopped = run.wait_for(rf"enrollment {i + 1} \({p}@prospect.test\): replied", 30)
                latencies.append(stopped - delivered)
            run.stop()
            latencies.sort()
            print(f"  from delivery to enrollment stopped: median {latencies[4] * 1000:.0f} ms, "
                  f"max {latencies[-1] * 1000:.0f} ms")

        if "d" in PARTS:
            print(f"(d) {USERS} mailboxes in IDLE from one piculet run")
            db = os.path.join(work, "idle.db")
            addresses = [f"sender{i}@sender.test" for i in range(1, USERS + 1)]
            t0 = time.monotonic()
            for a in addresses:
                piculet(top, db, "mailbox", "add", a, "--smtp",
                        f"127.0.0.1:{lab['LAB_SUBMISSION_PORT']}", "--imap",
                        f"127.0.0.1:{lab['LAB_IMAPS_PORT']}", "--password-env", "LAB_PW",
                        env=env)
            token = f"idle-{os.getpid()}"
            piculet(top, db, "campaign", "create", campaign_file(work, "idle", addresses, token))
            with open(os.path.join(work, "one.csv"), "w") as f:
                f.write("email,first_name\nmallory@prospect.test,Mallory\n")
            piculet(top, db, "prospects", "import", os.path.join(work, "one.csv"), "--campaign",
                    "idle")
            piculet(top, db, "campaign", "start", "idle")
            run = Run(top, db, lab, env)
            run.wait_for(rf"watching {USERS} mailbox", 600)
            settled = time.monotonic() - t0
            rss = run.status("VmRSS")
            threads = run.status("Threads")
            delivered = reply(top, lab, env, "mallory@prospect.test", maildir, token)
            stopped = run.wait_for(r"\(mallory@prospect.test\): replied", 30)
            run.stop()
            print(f"  resident {rss / 1024:.1f} MiB in all, {rss / USERS:.0f} KiB per mailbox; "
                  f"threads: {threads}; reply to one of them: enrollment stopped "
                  f"{(stopped - delivered) * 1000:.0f} ms after delivery "
                  f"(set-up and first pass {settled:.0f} s)")
        if "e" in PARTS:
            print("(e) 200 mailboxes paced 3 s, one SMTP server silent, 30 s of piculet run")
            if sink is None:
                port = free_port()
                sink = subprocess.Popen(["/usr/sbin/smtp-sink", *(["-u", "nobody"]
                                                                  if os.geteuid() == 0 else []),
                                         "-c", f"127.0.0.1:{port}", "1000"],
                                        stdout=subprocess.DEVNULL)
                time.sleep(0.3)
            for workers in ("1", "4"):
                out = subprocess.run([bench, "lateness", work, os.path.join(lab_dir, "lab.env"),
                                      str(port), "200", "30", "3", workers], check=True,
                                     capture_output=True, text=True, env=env).stdout
                print("  " + out.strip())

    finally:
        if sink is not None:
            sink.terminate()
        subprocess.run([os.path.join(top, "scripts", "mail-lab"), "stop", lab_dir],
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
