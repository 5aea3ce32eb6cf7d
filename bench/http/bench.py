"""The HTTP face's figures (issue 14), with `wrk` as the load generator:

(a) the one-click unsubscribe page (GET /u/TOKEN: the token's signature
    checked, the page written) with 100 connections, against nginx serving
    a static 43-byte GIF on the same machine in the same run: requests/s,
    the ratio, p99 latency;
(b) the API over 1,000,000 prospects with 50 connections: a campaign's
    report and pages of prospects from random places: requests/s, p99;
    once with nothing else running, then again while `piculet run` sends
    another campaign of the same database (ten lab mailboxes, pacing zero,
    into smtp-sink), with its sends/s in the same seconds;
(c) webhooks: 10,000 events written to the outbox, delivered to a local
    receiver: events/s and none lost;
(d) the tracked image (GET /o/TOKEN) and link (GET /c/TOKEN: 302) of a
    tracked campaign's enrollment, as a browser fetches them (each one
    recorded: an event written per request, counted on its message and in
    the campaign's report, many to a transaction; since 2026-12-04 by the
    recorder after the answer, and the part fails unless every fetch wrk
    saw answered was written), 100 connections; the openings are sent an
    hour before (until 2026-12-03 they were not, and an open was written
    without its counts); the images of 1,000 messages fetched at random;
    and the first image fetched by Gmail's image proxy (recorded as a
    machine's); each as a ratio to nginx's static GIF measured again in
    this part; then the recorder alone, without HTTP, on one thread
    (bench-record): the fetches a core writes.

Usage: bench.py TOP. The machine's cores are shared by wrk, the server
and, in (b)'s second half, the engine and the mail lab.
"""
import base64
import hashlib
import hmac
import http.server
import os
import random
import re
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import big_campaign  # noqa: E402  (bench/big_campaign.py)
import lab_env  # noqa: E402  (bench/lab_env.py)

PROSPECTS = int(os.environ.get("BENCH_HTTP_PROSPECTS", "1000000"))
EVENTS = int(os.environ.get("BENCH_HTTP_EVENTS", "10000"))
DURATION = os.environ.get("BENCH_HTTP_DURATION", "10s")
# (b)'s sending campaign: enough that `piculet run` is still sending when
# both measurements end.
LIVE = int(os.environ.get("BENCH_HTTP_LIVE", "100000"))
# (d)'s fetches written by the recorder alone (bench-record).
RECORDED_ALONE = os.environ.get("BENCH_HTTP_RECORDED", "500000")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def piculet(top, db, *args, env=None):
    done = subprocess.run([os.path.join(top, "build", "piculet"), *args, "--db", db],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"piculet {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout



# Requests wrk saw answered, all runs together: (d) checks each was written.
ANSWERED = [0]


def wrk(url, connections, script=None, headers=()):
    command = ["wrk", "-t2", "-c%d" % connections, "-d" + DURATION, "--latency"]
    for h in headers:
        command += ["-H", h]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    ANSWERED[0] += int(re.search(r"(\d+) requests in", out).group(1))
    return rate, float(p99.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0


def unsubscribe_token(key_path, enrollment_id):
    """As engine_links makes it: the id, and 16 bytes of HMAC-SHA256 under
    the seal key of "piculet unsubscribe v1\\0" + the id."""
    key = open(key_path, "rb").read()
    ident = struct.pack(">Q", enrollment_id)
    signature = hmac.new(key, b"piculet unsubscribe v1\x00" + ident, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(ident + signature[:16]).decode()


def tracking_token(key_path, kind, enrollment_id, step, url=b""):
    """As engine_tracking makes it: kind, id, step, [url], and 16 bytes of
    HMAC-SHA256 under the seal key of "piculet track v1\\0" + those."""
    key = open(key_path, "rb").read()
    data = kind + struct.pack(">QH", enrollment_id, step) + url
    signature = hmac.new(key, b"piculet track v1\x00" + data, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(data + signature[:16]).decode().rstrip("=")


class Serve:
    def __init__(self, top, db, *extra):
        self.proc = subprocess.Popen(
            [os.path.join(top, "build", "piculet"), "serve", "--listen", "127.0.0.1:0",
             "--rate-limit", "0", "--threads", "4", "--db", db, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        self.base = re.search(r"(http://\S+)/api/v1", line).group(1)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def nginx_gif(work):
    """nginx serving a 43-byte GIF on loopback; its URL and process."""
    work = tempfile.mkdtemp(prefix="nginx-", dir=work)
    root = os.path.join(work, "www")
    os.makedirs(root)
    gif = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
    open(os.path.join(root, "p.gif"), "wb").write(gif)
    port = free_port()
    conf = os.path.join(work, "nginx.conf")
    open(conf, "w").write(f"""
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx.err;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    proc = subprocess.Popen(["nginx", "-c", conf], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"http://127.0.0.1:{port}/p.gif", proc


def nginx_rate(work):
    """nginx's static GIF with 100 connections: requests/s, p99 (ms)."""
    url, nginx = nginx_gif(work)
    try:
        theirs, theirs_p99, _ = wrk(url, 100)
    finally:
        nginx.terminate()
        nginx.wait()
    return theirs, theirs_p99


def part_a(top, work):
    db = os.path.join(work, "a.db")
    piculet(top, db, "blacklist", "list")  # creates the database
    serve = Serve(top, db)
    key_path = os.path.join(work, "secret.key")
    token = unsubscribe_token(key_path, 42)
    try:
        ours, ours_p99, bad = wrk(serve.base + "/u/" + token, 100)
    finally:
        serve.stop()
    theirs, theirs_p99 = nginx_rate(work)
    print(f"(a) unsubscribe page: {ours:,.0f} requests/s, p99 {ours_p99:.1f} ms ({bad} not 2xx); "
          f"nginx static GIF: {theirs:,.0f}/s, p99 {theirs_p99:.1f} ms; "
          f"ratio {ours / theirs:.2f}x (target >= 0.5x)")


def sending_engine(top, work, db, lab_dir, procs):
    """Campaigns "Live1".. of LIVE prospects in all (a campaign opens at
    most 10,000 a day) from ten lab mailboxes, pacing zero, into Postfix's
    smtp-sink (IMAP on the lab's Dovecot), and `piculet run` sending them,
    once it has sent its first message; the sink and the run are added to
    @procs as they start."""
    lab = lab_env.load(os.path.join(lab_dir, "lab.env"))
    env = dict(os.environ, LAB_PW=lab["LAB_PASSWORD"])
    port = free_port()
    procs.append(subprocess.Popen(
        ["/usr/sbin/smtp-sink", *(["-u", "nobody"] if os.geteuid() == 0 else []), "-c",
         f"127.0.0.1:{port}", "1000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    senders = [f"sender{i}@sender.test" for i in range(1, 11)]
    for address in senders:
        piculet(top, db, "mailbox", "add", address, "--smtp", f"127.0.0.1:{port}",
                "--smtp-security", "none", "--smtp-user", "", "--imap",
                f"127.0.0.1:{lab['LAB_IMAPS_PORT']}", "--password-env", "LAB_PW",
                "--daily-cap", str(LIVE), "--ramp", "off", "--interval-min", "0",
                "--interval-max", "0", env=env)
    per_campaign = 10000
    for n, first in enumerate(range(0, LIVE, per_campaign), 1):
        name = f"Live{n}"
        yaml = os.path.join(work, name + ".yaml")
        open(yaml, "w").write(f"name: {name}\nwindow: daily 00:00-24:00\ninterval: 0s\n"
                              f"daily_limit: {per_campaign}\ndomain_caps: off\n"
                              f"mailboxes: [{', '.join(senders)}]\n"
                              "steps:\n  - subject: A question for {{first_name}}\n"
                              "    body: Hi {{first_name}}, a short question.\n")
        csv = os.path.join(work, name + ".csv")
        with open(csv, "w") as f:
            f.write("email,first_name\n")
            for i in range(first, min(first + per_campaign, LIVE)):
                f.write(f"l{i:07d}@live{i % 500}.test,L{i}\n")
        piculet(top, db, "campaign", "create", yaml)
        piculet(top, db, "prospects", "import", csv, "--campaign", name)
        piculet(top, db, "campaign", "start", name)
    procs.append(subprocess.Popen(
        [os.path.join(top, "build", "piculet"), "run", "--poll", "3600", "--ca-file",
         lab["LAB_CA_FILE"], "--db", db], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL))
    for _ in range(600):
        if sent(db) > 0:
            return procs[-1]
        time.sleep(0.1)
    raise RuntimeError("piculet run sent nothing in 60 s")


def sent(db):
    with sqlite3.connect(db, timeout=60) as con:
        return con.execute("SELECT count(*) FROM message WHERE state = 'sent'").fetchone()[0]


def part_b(top, work):
    db = os.path.join(work, "b.db")
    big_campaign.make(top, work, db, PROSPECTS)
    key = piculet(top, db, "apikey", "create", "bench").strip()
    script = os.path.join(work, "pages.lua")
    open(script, "w").write(
        "math.randomseed(7)\n"
        "request = function()\n"
        "  local n = math.random(0, %d)\n"
        "  return wrk.format('GET', string.format("
        "'/api/v1/prospects?limit=100&after=p%%07d%%%%40co%%d.test', n, n %% 5000))\n"
        "end\n" % (PROSPECTS - 1))
    auth = "Authorization: Bearer " + key

    def measure(label):
        serve = Serve(top, db)
        try:
            before = sent(db)
            started = time.monotonic()
            report, report_p99, bad1 = wrk(serve.base + "/api/v1/campaigns/Big/report", 50,
                                           headers=[auth])
            pages, pages_p99, bad2 = wrk(serve.base, 50, script=script, headers=[auth])
            sends = (sent(db) - before) / (time.monotonic() - started)
        finally:
            serve.stop()
        print(f"(b) {label}: report over {PROSPECTS:,} enrollments: {report:,.0f} requests/s, "
              f"p99 {report_p99:.1f} ms ({bad1} not 2xx); pages of 100 prospects from random "
              f"places: {pages:,.0f}/s, p99 {pages_p99:.1f} ms ({bad2} not 2xx) "
              f"(target p99 <= 50 ms)" + (f"; {sends:,.0f} messages sent/s meanwhile"
                                           if sends else ""))

    measure("nothing else running")
    lab_dir = os.path.join(work, "lab")
    os.chmod(work, 0o755)  # the lab's daemons run as other users
    subprocess.run([os.path.join(top, "scripts", "mail-lab"), "start", lab_dir, "--users", "10"],
                   check=True, stdout=subprocess.DEVNULL)
    procs = []
    try:
        run = sending_engine(top, work, db, lab_dir, procs)
        measure("while piculet run sends")
        if run.poll() is not None:
            raise RuntimeError("piculet run ended during the measurement")
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=60)
        subprocess.run([os.path.join(top, "scripts", "mail-lab"), "stop", lab_dir],
                       stdout=subprocess.DEVNULL)


class Receiver(http.server.BaseHTTPRequestHandler):
    ids = set()
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with Receiver.lock:
            Receiver.ids.add(self.headers["webhook-id"])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        del body

    def log_message(self, *args):
        pass


def part_c(top, work):
    db = os.path.join(work, "c.db")
    piculet(top, db, "blacklist", "list")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/hook" % server.server_address[1]
    piculet(top, db, "webhook", "add", url)
    # Events as the engine writes them, with their outbox rows (what
    # store_event_add does in one savepoint), written straight in SQL.
    con = sqlite3.connect(db)
    now = int(time.time() * 1_000_000)
    con.executemany("INSERT INTO event (id, at, kind, detail) VALUES (?, ?, 'sent', '250 ok')",
                    [(i, now) for i in range(1, EVENTS + 1)])
    con.executemany(
        "INSERT INTO webhook_delivery (webhook_id, event_id, type, payload, created_at, "
        "next_at) VALUES (1, ?, 'message.sent', ?, ?, ?)",
        [(i, '{"type":"message.sent","data":{"event_id":%d}}' % i, now, now)
         for i in range(1, EVENTS + 1)])
    con.commit()
    con.close()
    started = time.monotonic()
    serve = Serve(top, db)
    try:
        while True:
            with Receiver.lock:
                got = len(Receiver.ids)
            if got >= EVENTS or time.monotonic() - started > 600:
                break
            time.sleep(0.2)
        took = time.monotonic() - started
    finally:
        serve.stop()
        server.shutdown()
    con = sqlite3.connect(db)
    delivered = con.execute(
        "SELECT count(*) FROM webhook_delivery WHERE state = 'delivered'").fetchone()[0]
    con.close()
    print(f"(c) webhooks: {got:,} of {EVENTS:,} events received in {took:.1f} s "
          f"({got / took:,.0f}/s, one subscription: in order, one at a time); "
          f"{delivered:,} marked delivered; none lost: {got == EVENTS}")


def part_d(top, work):
    db = os.path.join(work, "d.db")
    env = dict(os.environ, PW="unused")
    subprocess.run([os.path.join(top, "build", "piculet"), "mailbox", "add", "alice@sender.test",
                    "--smtp", "127.0.0.1:9", "--imap", "127.0.0.1:9", "--password-env", "PW",
                    "--db", db], check=True, capture_output=True, env=env)
    yaml = os.path.join(work, "t.yaml")
    open(yaml, "w").write("name: Tracked\nmailboxes: [alice@sender.test]\n"
                          "tracking_domain: https://links.example.test\n"
                          "track_opens: true\ntrack_clicks: true\n"
                          "steps:\n  - subject: Hi\n    body: \"See https://example.test/\"\n")
    csv = os.path.join(work, "t.csv")
    open(csv, "w").write("email\n" + "".join(f"p{i}@example.test\n" for i in range(1, 1001)))
    piculet(top, db, "campaign", "create", yaml)
    piculet(top, db, "prospects", "import", csv, "--campaign", "Tracked")
    key_path = os.path.join(work, "secret.key")
    piculet(top, db, "campaign", "start", "Tracked")
    # Each prospect's opening as sent an hour ago (the mailbox leads nowhere,
    # so the rows are written here): an open then counts on its message and
    # in the campaign's report, as it does for real mail.
    sent_at = int(time.time() * 1e6) - 3600 * 1000000
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO message (enrollment_id, step, message_id, state, sent_at, "
                  "mailbox_id, subject, created_at) SELECT id, 1, 'bench-' || id || "
                  "'@sender.test', 'sent', ?1, coalesce(mailbox_id, (SELECT id FROM mailbox)), "
                  "'Hi', ?1 FROM enrollment",
                  (sent_at,))
    # The recorder on its own measures on a copy as it is now.
    alone_db = os.path.join(work, "d-alone.db")
    with sqlite3.connect(db) as c:
        c.execute("VACUUM INTO ?", (alone_db,))
    serve = Serve(top, db)
    browser = ("User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
               "Gecko) Chrome/120.0 Safari/537.36")
    proxy = ("User-Agent: Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via "
             "ggpht.com GoogleImageProxy)")
    try:
        ANSWERED[0] = 0
        image = serve.base + "/o/" + tracking_token(key_path, b"o", 1, 1)
        link = serve.base + "/c/" + tracking_token(key_path, b"c", 1, 1,
                                                   b"https://example.test/")
        opens, opens_p99, bad1 = wrk(image, 100, headers=[browser])
        # The images of a thousand messages, each fetch one of them at random.
        script = os.path.join(work, "many.lua")
        tokens = ", ".join('"%s"' % tracking_token(key_path, b"o", e, 1) for e in range(1, 1001))
        open(script, "w").write(f"local t = {{{tokens}}}\n"
                                "request = function()\n"
                                "  return wrk.format(\"GET\", \"/o/\" .. t[math.random(#t)])\n"
                                "end\n")
        spread, spread_p99, bad4 = wrk(serve.base, 100, script=script, headers=[browser])
        clicks, clicks_p99, bad2 = wrk(link, 100, headers=[browser])
        proxied, proxied_p99, bad3 = wrk(image, 100, headers=[proxy])
        answered = ANSWERED[0]
    finally:
        serve.stop()
    theirs, _ = nginx_rate(work)
    events = sqlite3.connect(db).execute(
        "SELECT kind, count(*) FROM event WHERE kind IN ('open', 'click', 'machine_fetch') "
        "GROUP BY kind ORDER BY kind").fetchall()
    counted = sqlite3.connect(db).execute(
        "SELECT sum(opens), sum(clicks) FROM message").fetchone()
    # wrk stops counting before the server stops answering: at least as
    # many written as it saw answered, none lost.
    if sum(dict(events).values()) < answered:
        raise RuntimeError(f"(d) {answered} fetches answered, {dict(events)} written")
    if counted != (dict(events).get("open", 0), dict(events).get("click", 0)):
        raise RuntimeError(f"(d) the messages count {counted} opens and clicks, the events "
                           f"say {dict(events)}")
    print(f"(d) tracked image: {opens:,.0f} requests/s ({opens / theirs:.2f}x nginx), "
          f"p99 {opens_p99:.1f} ms ({bad1} not 2xx); "
          f"the images of 1,000 messages at random: {spread:,.0f}/s ({spread / theirs:.2f}x), "
          f"p99 {spread_p99:.1f} ms ({bad4} not 2xx); "
          f"tracked link (302): {clicks:,.0f}/s ({clicks / theirs:.2f}x), "
          f"p99 {clicks_p99:.1f} ms ({bad2} not 2xx/3xx); "
          f"the image through Gmail's proxy: {proxied:,.0f}/s ({proxied / theirs:.2f}x), "
          f"p99 {proxied_p99:.1f} ms ({bad3} not 2xx); nginx's static GIF in the same part: "
          f"{theirs:,.0f}/s (target >= 0.5x); {answered:,} answered, events written: "
          f"{dict(events)}")
    alone = subprocess.run([os.path.join(top, "build", "bench", "bench-record"), alone_db, "1000",
                            RECORDED_ALONE, "4096"], check=True, capture_output=True, text=True)
    print(f"(d) the recorder alone, one thread, the images of 1,000 messages at random: "
          f"{alone.stdout.strip()}")


def main():
    top = sys.argv[1]
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool):
            sys.exit(f"bench/http: {tool} is missing (make bench installs it)")
    work = tempfile.mkdtemp(prefix="piculet-bench-http-")
    try:
        parts = os.environ.get("BENCH_HTTP_PARTS", "abcd")
        if "a" in parts:
            part_a(top, work)
        if "b" in parts:
            part_b(top, work)
        if "c" in parts:
            part_c(top, work)
        if "d" in parts:
            part_d(top, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
