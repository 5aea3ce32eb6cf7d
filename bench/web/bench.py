"""The dashboard's figures (issue 16), measured in Debian's chromium driven
by playwright-core (tests/web/node_modules, installed by scripts/deps):

(a) the first load of the dashboard, signed in, each time in a fresh
    browser context (nothing cached): bytes transferred (compressed, as
    sent) for the page, its script, style and icon, and the time from the
    navigation's start until the status table is drawn; median of 10;
(b) over a database of 1,000,000 prospects (imported and enrolled by
    `piculet prospects import`) and 10,000 replies (written straight into
    the inbound table): the replies inbox and the prospects list, time to
    the first page drawn and to each next page drawn (median of 10), and
    the browser's memory after it all (the page's JS heap; the resident
    memory of every chromium process);
(c) the campaign editor's field counts over the same prospects (`POST
    /api/v1/campaigns/fields` for a draft using first_name, company and a
    field nobody has: one counting scan per field over every prospect), as
    the page asks when a file's {{...}} change; median of 10.

Usage: bench.py TOP. BENCH_WEB_PROSPECTS and BENCH_WEB_REPLIES change the
sizes.
"""
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import big_campaign  # noqa: E402  (bench/big_campaign.py)

PROSPECTS = int(os.environ.get("BENCH_WEB_PROSPECTS", "1000000"))
REPLIES = int(os.environ.get("BENCH_WEB_REPLIES", "10000"))
PASSWORD = "the bench's long password"


def make_database(top, work):
    db = os.path.join(work, "web.db")
    big_campaign.make(top, work, db, PROSPECTS)
    big_campaign.piculet(top, db, "user", "add", "owner@example.test", "--role", "owner",
            "--password-env", "BENCH_PW", env={"BENCH_PW": PASSWORD})
    # The replies, as the engine would have written them: one per
    # enrollment, an hour apart.
    with sqlite3.connect(db) as con:
        con.executemany(
            "INSERT INTO inbound (mailbox_id, message_id, enrollment_id, class, from_address, "
            "subject, reply_text, received_at, intent) VALUES (1, ?, ?, 'reply', ?, ?, ?, ?, ?)",
            ((f"r{i}@co.test", i + 1, f"p{i:07d}@co{i % 5000}.test", "Re: Hi",
              f"Thanks, tell me more ({i}).", 1_764_000_000_000_000 + i * 3_600_000_000,
              ("interested", "later", "meeting", "not_interested")[i % 4])
             for i in range(REPLIES)))
    return db


DRAFT = ("name: Draft\nmailboxes: [a@s.test]\nsteps:\n"
         "  - subject: 'Hi {{first_name}}'\n"
         "    body: 'At {{company|your team}} as {{favourite_colour}}?'\n")


def field_counts_ms(top, db, base):
    """Median time of the editor's field counts over every prospect."""
    key = big_campaign.piculet(top, db, "apikey", "create", "bench").strip()
    body = json.dumps({"definition": DRAFT}).encode()
    times = []
    answer = None
    for _ in range(10):
        request = urllib.request.Request(
            f"{base}/api/v1/campaigns/fields", data=body, method="POST",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=120) as reply:
            answer = json.loads(reply.read())
        times.append((time.monotonic() - started) * 1000)
    missing = {f["name"]: f.get("missing") for f in answer["fields"]}
    return statistics.median(times), answer["prospects"], missing


def main():
    top = sys.argv[1]
    node_modules = os.path.join(top, "tests", "web", "node_modules", "playwright-core")
    if not os.path.isdir(node_modules) or shutil.which("chromium") is None:
        sys.exit("bench/web: playwright-core or chromium is missing (make bench installs them)")
    work = tempfile.mkdtemp(prefix="piculet-bench-web-")
    serve = None
    try:
        db = make_database(top, work)
        serve = subprocess.Popen(
            [os.path.join(top, "build", "piculet"), "serve", "--listen", "127.0.0.1:0",
             "--rate-limit", "0", "--db", db],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        base = re.search(r"(http://\S+)/api/v1", serve.stdout.readline()).group(1)
        out = subprocess.run(
            ["node", os.path.join(top, "bench", "web", "measure.mjs")], check=True,
            capture_output=True, text=True, cwd=os.path.join(top, "tests", "web"),
            env=dict(os.environ, BENCH_WEB_BASE=base, BENCH_WEB_EMAIL="owner@example.test",
                     BENCH_WEB_PASSWORD=PASSWORD,
                     BENCH_WEB_MODULES=os.path.join(top, "tests", "web", "package.json"))).stdout
        f = json.loads(out)
        print(f"(a) first load: {f['bytes'] / 1024:.1f} KB transferred (target <= 150 KB); "
              f"first render {f['first_render_ms']:.0f} ms, median of 10 "
              f"(target <= 300 ms)")
        print(f"(b) replies inbox over {REPLIES:,} replies: first page {f['replies_first_ms']:.0f}"
              f" ms (target <= 200 ms), next page {f['replies_next_ms']:.0f} ms "
              f"(target <= 100 ms), medians of 10")
        print(f"    prospects list over {PROSPECTS:,} prospects: first page "
              f"{f['prospects_first_ms']:.0f} ms (target <= 200 ms), next page "
              f"{f['prospects_next_ms']:.0f} ms (target <= 100 ms), medians of 10")
        print(f"    browser memory after both: the page's JS heap {f['heap_mb']:.1f} MB, "
              f"every chromium process {f['pss_mb']:.0f} MB (proportional set size), the "
              f"page's renderer {f['renderer_mb']:.0f} MB (target <= 150 MB; every renderer: "
              f"{', '.join(f'{m:.0f}' for m in f['renderers_mb'])} MB)")
        counted_ms, counted, missing = field_counts_ms(top, db, base)
        print(f"(c) the editor's field counts over {counted:,} prospects (3 fields): "
              f"{counted_ms:.0f} ms, median of 10 (missing: {missing})")
    finally:
        if serve is not None:
            serve.terminate()
            serve.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
