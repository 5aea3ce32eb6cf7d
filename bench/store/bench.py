"""The store on PostgreSQL beside SQLite, in one run. Usage: bench.py TOP

1. Due-work lookup with 1,000,000 enrollments and 10,000 mailboxes: p99 of
   "what is due next for mailbox M" on PostgreSQL (bench-store) and on
   SQLite (bench-engine schedule), the same rows and questions.
2. Import of N prospects (PICULET_BENCH_IMPORT_ROWS, default 1,000,000) by
   `piculet prospects import` into PostgreSQL, against psql's \\copy of the
   same file into a bare table with the same primary key; then the same
   file imported again (every row an update).
3. Takeover: two `piculet run` on one database with a lease of L seconds
   (PICULET_BENCH_LEASE, default 5); one is killed (SIGKILL) while it
   holds mailboxes; the time from the kill to the other's first send from
   one of them (the mail lab's sender1..8, the prospects its crowd.test).

A throw-away PostgreSQL 15 from scripts/pg-lab; nothing outside it.
4. Sends with 1, 2 and 3 engines on one database, pacing zero, 300 lab
   mailboxes (PICULET_BENCH_SEND_MAILBOXES) x 10 prospects each into
   Postfix's smtp-sink: openings sent per second.

PICULET_BENCH_STORE_PARTS picks parts: l (lookup), i (import), t
(takeover), s (sends); default all."""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def pg_lab(top, work):
    folder = os.path.join(work, "pg")
    os.mkdir(folder)
    subprocess.run([os.path.join(top, "scripts", "pg-lab"), "start", folder], check=True,
                   stdout=subprocess.DEVNULL)
    return folder


def psql(folder, database, sql):
    return subprocess.run(["psql", "-X", "-q", "-At",
                           f"postgresql:///{database}?host={folder}&user=piculet", "-c", sql],
                          check=True, capture_output=True, text=True).stdout


def new_database(folder, name):
    psql(folder, "piculet", f'CREATE DATABASE "{name}"')
    return f"postgresql:///{name}?host={folder}&user=piculet"


def lookup(top, work, folder):
    uri = new_database(folder, "schedule")
    out = subprocess.run([os.path.join(top, "build", "bench", "bench-store"), "schedule", uri,
                          "1000000", "10000", "1000", "1000"],
                         check=True, capture_output=True, text=True).stdout
    print("  PostgreSQL: " + out.strip().replace("\n", "\n  PostgreSQL: "))
    out = subprocess.run([os.path.join(top, "build", "bench", "bench-engine"), "schedule", work,
                          "1000000", "10000", "1000", "1000"],
                         check=True, capture_output=True, text=True).stdout
    print("  SQLite:     " + out.strip().replace("\n", "\n  SQLite:     "))


def make_csv(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write("email,first_name,last_name,company\n")
        for i in range(n):
            f.write(f"person{i}@company{i % 5000}.example,First{i},Last{i},Company {i % 5000}\n")


def timed(argv, env=None):
    start = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.monotonic() - start


def import_rows(top, work, folder):
    n = int(os.environ.get("PICULET_BENCH_IMPORT_ROWS", "1000000"))
    csv = os.path.join(work, "prospects.csv")
    make_csv(csv, n)
    os.chmod(work, 0o755)
    os.chmod(csv, 0o644)
    uri = new_database(folder, "imported")
    env = dict(os.environ, PICULET_KEY_FILE=os.path.join(work, "secret.key"))
    wall = timed([os.path.join(top, "build", "piculet"), "prospects", "import", csv,
                  "--db", uri], env)
    again = timed([os.path.join(top, "build", "piculet"), "prospects", "import", csv,
                   "--db", uri], env)
    bare = new_database(folder, "bare")
    subprocess.run(["psql", "-X", "-q", bare, "-c",
                    "CREATE TABLE prospect (email text PRIMARY KEY, first_name text, "
                    "last_name text, company text)"], check=True)
    ceiling = timed(["psql", "-X", "-q", bare, "-c",
                     f"\\copy prospect FROM '{csv}' WITH (FORMAT csv, HEADER true)"])
    print(f"  piculet prospects import into PostgreSQL: {n / wall:9.0f} rows/s ({wall:.1f} s)")
    print(f"  psql \\copy into a bare table (ceiling):   {n / ceiling:9.0f} rows/s "
          f"({ceiling:.1f} s)")
    print(f"  piculet at {ceiling / wall:.2f}x of \\copy")
    print(f"  the same file again (all updates):        {n / again:9.0f} rows/s ({again:.1f} s)")


def lab_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            env[key] = value.strip("'\"")
    return env


def iso_seconds(stamp):
    """2026-12-02T14:01:20.579Z as seconds since the epoch."""
    return time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone + \
        float("0" + stamp[19:23])


def takeover(top, work, folder):
    lease = int(os.environ.get("PICULET_BENCH_LEASE", "5"))
    lab_dir = os.path.join(work, "lab")
    subprocess.run([os.path.join(top, "scripts", "mail-lab"), "start", lab_dir, "--users", "8"],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        lab = lab_env(os.path.join(lab_dir, "lab.env"))
        uri = new_database(folder, "takeover")
        piculet = os.path.join(top, "build", "piculet")
        env = dict(os.environ, PICULET_KEY_FILE=os.path.join(work, "secret.key"),
                   PICULET_LEASE=str(lease), LAB_PW=lab["LAB_PASSWORD"])
        mailboxes = [f"sender{i}@sender.test" for i in range(1, 9)]
        for address in mailboxes:
            subprocess.run([piculet, "mailbox", "add", address, "--smtp",
                            f"127.0.0.1:{lab['LAB_SUBMISSION_PORT']}", "--imap",
                            f"127.0.0.1:{lab['LAB_IMAPS_PORT']}", "--password-env", "LAB_PW",
                            "--daily-cap", "100000", "--db", uri],
                           check=True, env=env, stdout=subprocess.DEVNULL)
        campaign = os.path.join(work, "takeover.yaml")
        with open(campaign, "w") as f:
            f.write("name: takeover\nmailboxes: [" + ", ".join(mailboxes) + "]\n"
                    "window: daily 00:00-24:00\ndomain_caps: off\ninterval: 1s\n"
                    "daily_limit: 10000\nsteps:\n  - subject: hi\n    body: hello\n")
        csv = os.path.join(work, "takeover.csv")
        with open(csv, "w") as f:
            f.write("email\n" + "".join(f"t{i}@crowd.test\n" for i in range(5000)))
        for argv in (["campaign", "create", campaign],
                     ["prospects", "import", csv, "--campaign", "takeover"],
                     ["campaign", "start", "takeover"]):
            subprocess.run([piculet] + argv + ["--db", uri], check=True, env=env,
                           stdout=subprocess.DEVNULL)
        log_paths = [os.path.join(work, f"engine{i}.log") for i in range(2)]
        logs = [open(path, "w") for path in log_paths]
        engines = [subprocess.Popen([piculet, "run", "--db", uri, "--poll", "1", "--ca-file",
                                     lab["LAB_CA_FILE"]], env=env, stdout=subprocess.DEVNULL,
                                    stderr=logs[i]) for i in range(2)]
        time.sleep(3 * lease)  # both hold their share and send
        held = psql(folder, "takeover",
                    "SELECT m.address FROM mailbox_lease l JOIN mailbox m "
                    "ON m.id = l.mailbox_id "
                    f"WHERE l.holder LIKE '%-{engines[0].pid}-%'").split()
        killed_at = time.time()
        engines[0].send_signal(signal.SIGKILL)
        engines[0].wait()
        time.sleep(3 * lease)
        engines[1].send_signal(signal.SIGTERM)
        engines[1].wait()
        moved = None
        with open(log_paths[1]) as f:
            for line in f:
                if "sent step" not in line:
                    continue
                at = iso_seconds(line.split()[0])
                sender = line.split("mailbox ", 1)[1].split(":", 1)[0]
                if at > killed_at and sender in held:
                    moved = at - killed_at
                    break
        if moved is None:
            print(f"  takeover: no moved mailbox sent within {3 * lease} s (FAILED)")
        else:
            print(f"  takeover after kill -9 ({len(held)} of 8 mailboxes held, lease {lease} s, "
                  f"passes at most {lease / 3:.1f} s apart): first send from a moved "
                  f"mailbox {moved:.2f} s after the kill (target: lease + one pass = "
                  f"{lease + lease / 3:.1f} s)")
    finally:
        subprocess.run([os.path.join(top, "scripts", "mail-lab"), "stop", lab_dir],
                       stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sends(top, work, folder):
    """K engines (1, 2, 3) on one database, pacing zero, M mailboxes (IMAP
    on the lab's Dovecot, SMTP into Postfix's smtp-sink): openings sent per
    second from the engines' start to the last one recorded sent."""
    mailboxes = int(os.environ.get("PICULET_BENCH_SEND_MAILBOXES", "300"))
    per_mailbox = int(os.environ.get("PICULET_BENCH_SEND_PER_MAILBOX", "10"))
    lab_dir = os.path.join(work, "lab-sends")
    subprocess.run([os.path.join(top, "scripts", "mail-lab"), "start", lab_dir, "--users",
                    str(mailboxes)], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    sink = subprocess.Popen(["/usr/sbin/smtp-sink", *(["-u", "nobody"] if os.geteuid() == 0
                                                      else []), "-c", f"127.0.0.1:{port}",
                             "1000"], stdout=subprocess.DEVNULL)
    try:
        lab_env_path = os.path.join(lab_dir, "lab.env")
        lab = lab_env(lab_env_path)
        piculet = os.path.join(top, "build", "piculet")
        for k in (1, 2, 3):
            name = f"sends{k}"
            uri = new_database(folder, name)
            total = int(subprocess.run(
                [os.path.join(top, "build", "bench", "bench-engine"), "build", uri,
                 lab_env_path, str(port), str(mailboxes), str(per_mailbox)],
                check=True, capture_output=True, text=True).stdout)
            env = dict(os.environ, PICULET_KEY_FILE=os.path.join(work, "secret.key"),
                       BENCH_PW=lab["LAB_PASSWORD"])
            start = time.monotonic()
            engines = [subprocess.Popen([piculet, "run", "--db", uri, "--poll", "1",
                                         "--ca-file", lab["LAB_CA_FILE"]], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                       for _ in range(k)]
            settled = 0
            deadline = start + 120
            # Settled: sent, or held as uncertain (a step begun as its
            # mailbox moved to another engine, which cannot know it left).
            while settled < total and time.monotonic() < deadline:
                time.sleep(0.1)
                settled = int(psql(folder, name,
                                   "SELECT count(*) FROM message "
                                   "WHERE state IN ('sent', 'uncertain', 'failed')"))
            wall = time.monotonic() - start
            sent, uncertain = (int(x) for x in psql(
                folder, name, "SELECT count(*) FILTER (WHERE state = 'sent'), "
                "count(*) FILTER (WHERE state = 'uncertain') FROM message").strip().split("|"))
            if settled < total:
                print("  unsettled after 120 s:", psql(
                    folder, name, "SELECT e.id, e.state, e.next_due_at, e.mailbox_id, "
                    "m.state, m.created_at, l.holder, l.token FROM enrollment e "
                    "LEFT JOIN message m ON m.enrollment_id = e.id "
                    "LEFT JOIN mailbox_lease l ON l.mailbox_id = coalesce(m.mailbox_id, "
                    "e.mailbox_id) WHERE e.state != 'completed'").strip())
            by_engine = psql(folder, name,
                             "SELECT count(DISTINCT holder) FROM mailbox_lease "
                             "WHERE holder != ''").strip()
            for engine in engines:
                engine.send_signal(signal.SIGTERM)
            for engine in engines:
                engine.wait(60)
            print(f"  {k} engine(s), {mailboxes} mailboxes x {per_mailbox}: {sent} of {total} "
                  f"sent, {uncertain} uncertain, in {wall:.1f} s: {sent / wall:.0f} sends/s "
                  f"(mailboxes held by {by_engine} engine(s) at the end)")
    finally:
        sink.terminate()
        subprocess.run([os.path.join(top, "scripts", "mail-lab"), "stop", lab_dir],
                       stdout=subprocess.DEVNULL)


def main():
    top = sys.argv[1]
    work = tempfile.mkdtemp(prefix="piculet-bench-store-")
    os.chmod(work, 0o755)  # the PostgreSQL lab runs as nobody when started as root
    folder = pg_lab(top, work)
    try:
        parts = os.environ.get("PICULET_BENCH_STORE_PARTS", "lits")
        if "l" in parts:
            print("due-work lookup, 1,000,000 enrollments, 10,000 mailboxes:")
            lookup(top, work, folder)
        if "i" in parts:
            print("import:")
            import_rows(top, work, folder)
        if "t" in parts:
            print("several engines:")
            takeover(top, work, folder)
        if "s" in parts:
            print("sends with 1, 2, 3 engines, pacing zero, into smtp-sink:")
            sends(top, work, folder)
    finally:
        subprocess.run([os.path.join(top, "scripts", "pg-lab"), "stop", folder],
                       stdout=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
