"""The mail lab's DIR/lab.env (scripts/mail-lab) as a dict, for the
benchmarks that run on a lab."""


def load(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                env[key] = value.strip('"')
    return env
