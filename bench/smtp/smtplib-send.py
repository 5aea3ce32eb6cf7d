"""Sends N copies of a message file on one connection with Python's smtplib."""
import smtplib
import sys

port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
message = open(path, "rb").read()
with smtplib.SMTP("127.0.0.1", port) as smtp:
    for _ in range(count):
        smtp.sendmail("alice@sender.test", ["carol@prospect.test"], message)
