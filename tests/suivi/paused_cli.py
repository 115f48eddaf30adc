"""`pilier-eco suivi ARGS…` with a pause in the middle of a recording, for the kill and concurrency tests.

    python tests/suivi/paused_cli.py SECONDS enregistrer classeur.xlsx --base suivi.sqlite

Once the first table of a snapshot's rows is written (indicators), inside the transaction, it prints
`PAUSE-ENREGISTREMENT` on stderr and sleeps SECONDS: the test kills it there, or starts a second writer.
The hook lives here, not in the library: `toolkit.suivi.store` knows nothing of it.
"""

from __future__ import annotations

import sys
import time
from typing import Any


def run(seconds: float, args: list[str]) -> None:
    from toolkit.cli.app import main
    from toolkit.suivi import store

    original = store._insert_children
    calls = 0

    def paused(*a: Any, **kw: Any) -> None:
        nonlocal calls
        original(*a, **kw)
        calls += 1
        if calls == 1:
            print("PAUSE-ENREGISTREMENT", file=sys.stderr, flush=True)
            time.sleep(seconds)

    store._insert_children = paused
    sys.argv = ["pilier-eco", "suivi", *args]
    main()


if __name__ == "__main__":
    run(float(sys.argv[1]), sys.argv[2:])
