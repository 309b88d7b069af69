"""`python -m factsite`: the same commands as the `factsite` command and this repository's build.py."""

import sys

from factsite.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m factsite"))
