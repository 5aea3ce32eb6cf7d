"""A database with one campaign of many prospects, as the HTTP and web
benchmarks both want it: a mailbox that is never reached, a draft
campaign "Big", and N prospects imported and enrolled by `piculet
prospects import` (their addresses p0000000@co0.test ... over 5,000
companies)."""
import os
import subprocess
import time


def piculet(top, db, *args, env=None):
    return subprocess.run([os.path.join(top, "build", "piculet"), *args, "--db", db],
                          check=True, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {}))).stdout


def make(top, work, db, prospects):
    csv = os.path.join(work, "p.csv")
    with open(csv, "w") as f:
        f.write("email,first_name,company\n")
        for i in range(prospects):
            f.write(f"p{i:07d}@co{i % 5000}.test,P{i},Co {i % 5000}\n")
    yaml = os.path.join(work, "c.yaml")
    open(yaml, "w").write("name: Big\nmailboxes: [a@s.test]\nsteps:\n  - subject: Hi\n"
                          "    body: Hello\n")
    piculet(top, db, "mailbox", "add", "a@s.test", "--smtp", "127.0.0.1:1", "--imap",
            "127.0.0.1:1", "--password-env", "X")
    piculet(top, db, "campaign", "create", yaml)
    started = time.monotonic()
    piculet(top, db, "prospects", "import", csv, "--campaign", "Big")
    print(f"    ({prospects:,} prospects imported and enrolled in "
          f"{time.monotonic() - started:.0f} s)")
