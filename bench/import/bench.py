"""Prospect import: N rows of an 8-column CSV into an empty database, then
again as updates, with piculet (all checks on) and, as the ceiling,
sqlite3's own .import into a table with the same primary key, all in one
run. Prints rows/second and peak memory. Usage: bench.py TOP N"""
import os
import random
import subprocess
import sys
import tempfile
import time


def make_csv(path, n):
    rng = random.Random(42)
    with open(path, "w", encoding="utf-8") as f:
        f.write("email,first_name,last_name,company,timezone,role,city,note\n")
        for i in range(n):
            f.write(f"person{i}@company{i % 5000}.example,First{i},Last{i},Company {i % 5000},"
                    f"Europe/Berlin,Role {rng.randrange(20)},City {rng.randrange(500)},"
                    f"a short note about prospect {i}\n")


def run(argv, stdin=None):
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv[0]} failed: {err[-500:]}")
    return wall, usage.ru_maxrss


def main():
    top, n = sys.argv[1], int(sys.argv[2])
    work = tempfile.mkdtemp(prefix="piculet-bench-import-")
    csv = os.path.join(work, "prospects.csv")
    make_csv(csv, n)
    size = os.path.getsize(csv)
    print(f"{n} rows, {size / 1e6:.0f} MB CSV")
    db = os.path.join(work, "piculet.db")
    piculet = os.path.join(top, "build", "piculet")
    wall, rss = run([piculet, "prospects", "import", csv, "--db", db])
    print(f"  piculet import, empty database: {n / wall:9.0f} rows/s ({wall:.1f} s), "
          f"peak RSS {rss / 1024:.0f} MiB")
    wall2, rss2 = run([piculet, "prospects", "import", csv, "--db", db])
    print(f"  piculet import, as updates:     {n / wall2:9.0f} rows/s ({wall2:.1f} s), "
          f"peak RSS {rss2 / 1024:.0f} MiB")
    ceiling_db = os.path.join(work, "ceiling.db")
    script = (".mode csv\n"
              "CREATE TABLE prospect (email TEXT PRIMARY KEY, first_name, last_name, company, "
              "timezone, role, city, note);\n"
              f".import --skip 1 {csv} prospect\n")
    with open(os.path.join(work, "import.sql"), "w") as f:
        f.write(script)
    with open(os.path.join(work, "import.sql")) as f:
        wall3, rss3 = run(["sqlite3", ceiling_db], stdin=f)
    print(f"  sqlite3 .import (ceiling):      {n / wall3:9.0f} rows/s ({wall3:.1f} s), "
          f"peak RSS {rss3 / 1024:.0f} MiB")
    print(f"  piculet at {100 * wall3 / wall:.0f}% of the ceiling (empty database)")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
