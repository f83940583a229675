"""How long the HTML network takes to be drawn and settled in headless Chromium.

    .venv/bin/python benchmarks/viz_bench.py            # 1,000 and 5,000 entities, 3 runs each
    .venv/bin/python benchmarks/viz_bench.py 5000 --runs 1

For each size, a synthetic graph in our model (benchmarks/synthetic.py -> kg.graph.build_graph)
is written with kg.export_html.write_html and opened from file:// in Chromium with no network.
Times are from navigation start (the page's performance clock) to:
  parsed   -- DOMContentLoaded: the inlined vis-network and data are parsed;
  settled  -- vis-network's stabilizationIterationsDone: the layout is done, physics off;
  drawn    -- the first frame drawn after that.
Needs the dev extra (playwright) and /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from synthetic import synthetic_knowledge  # benchmarks/synthetic.py

from kg.export_html import write_html
from kg.graph import build_graph

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
]
TIMINGS = """() => {
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  return {parsed: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
          settled: mark("newsgraph-settled"), drawn: mark("newsgraph-drawn"),
          nodes: network.body.data.nodes.length, edges: network.body.data.edges.length};
}"""


def measure(size: int, runs: int, browser, folder: Path) -> dict:
    started = time.perf_counter()
    graph = build_graph(synthetic_knowledge(size))
    page_file = folder / f"network-{size}.html"
    write_html(graph, page_file)
    export_seconds = time.perf_counter() - started
    results = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-drawn=true]", state="attached", timeout=600_000)
        results.append(page.evaluate(TIMINGS))
        context.close()
    summary = {key: statistics.median(r[key] for r in results) / 1000 for key in ("parsed", "settled", "drawn")}
    return {
        "size": size,
        "nodes": results[0]["nodes"],
        "edges": results[0]["edges"],
        "megabytes": page_file.stat().st_size / 1e6,
        "export": export_seconds,
        **summary,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("viz_bench: needs chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print("entities relations   MB  export_s  parsed_s  settled_s  drawn_s  (median of", args.runs, "runs)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        for size in args.sizes:
            r = measure(size, args.runs, browser, Path(tmp))
            print(
                f"{r['nodes']:8d} {r['edges']:9d} {r['megabytes']:5.1f} {r['export']:9.1f} "
                f"{r['parsed']:9.1f} {r['settled']:10.1f} {r['drawn']:8.1f}",
                flush=True,
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
