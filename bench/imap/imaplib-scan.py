"""The same header scan with Python's imaplib: login, EXAMINE, one UID FETCH
of every message's header fields (imaplib parses the literals)."""
import imaplib
import os
import ssl
import sys

port, user, ca_file, items = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=ca_file)
imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context)
imap.login(user, os.environ["BENCH_IMAP_PASSWORD"])
imap.select("INBOX", readonly=True)
status, data = imap.uid("FETCH", "1:*", f"({items})")
count = sum(1 for part in data if isinstance(part, tuple))
imap.logout()
print(count)
