"""What ``make bench`` runs: load the volume into ``cai_bench`` (skipped when it is already there),
then time the pages: people, deadlines, commune lists, annual report (and what its ready rows cost the
writes), the list pages of the network and trainings (10 × the demo volume). Exit status 2 when a p95 misses its bar.

    .venv/bin/python bench/run_all.py [--reload] [--requests 200] [--warmup 20]
"""

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (  # noqa: E402
    followed,
    lists,
    load_network,
    load_paths,
    load_people,
    network,
    paths,
    people,
    report,
)
from bench.common import bench_database_url, setup  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Chargement du volume puis mesures des pages « personnes ».")
    parser.add_argument("--reload", action="store_true", help="recharger les données même si elles sont là")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    database = urlsplit(bench_database_url()).path.lstrip("/")
    print(f"Mesures du {time.strftime('%d/%m/%Y %H:%M')} sur la base {database}")
    setup()
    load_people.load(reload=args.reload)
    load_people.check_sample()
    load_paths.load(reload=args.reload)
    load_network.load(reload=args.reload)
    statuses = [
        people.main(["--requests", str(args.requests), "--warmup", str(args.warmup)]),
        paths.main(["--requests", str(min(args.requests, 100)), "--warmup", str(min(args.warmup, 10))]),
        lists.main([]),
        report.main([]),
        followed.main([]),
        network.main(["--requests", str(args.requests), "--warmup", str(args.warmup)]),
    ]
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
