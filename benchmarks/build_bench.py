"""How fast is ``kg build`` compared with spaCy alone? Whole processes, side by side, one run.

    .venv/bin/python benchmarks/build_bench.py                 # 200 articles
    .venv/bin/python benchmarks/build_bench.py --articles 500 --scale 200,2000

The corpus is N articles made from the seed articles (``../shared/seeds``, else ``corpus/``),
repeated with a changed first line so that each is distinct. Every measure is a separate
process, timed from start to exit:

- raw ``nlp.pipe``: ``spacy.load(MODEL)`` and ``nlp.pipe`` over the same files' text, 1 process;
- ``kg build --workers 1 --no-cache`` and ``kg build --no-cache`` (default workers: all cores);
- a cold ``kg build`` (cache on, empty output folder) and a second build on unchanged input;
- with ``--scale A,B``: ``kg build --no-cache`` on A and on B articles, for peak memory.

Peak memory is the highest total PSS (proportional set size: pages shared by forked workers
are counted once) of the process and its children, sampled every 20 ms in the first second,
then every 100 ms, and every 250 ms after 5 s (each sample costs the kernel about 5 ms of CPU
a process, taken from the run it measures). CPU seconds (user +
system, all processes) are shown too: on a shared machine they vary less than wall time. The
load average before and after is printed, so a busy machine shows in the result.
Prints a Markdown table (the README has one) and, with ``--json FILE``, writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "corpus"
KG = [sys.executable, "-m", "kg.cli"]

RAW_PIPE = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load(sys.argv[1])
texts = (p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt")))
for doc in nlp.pipe(texts, batch_size=8):
    pass
"""


@dataclass
class Run:
    name: str
    seconds: float
    cpu_seconds: float  # user + system, all processes
    peak_mb: float
    words: int

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds


def seed_texts() -> list[str]:
    folder = SEEDS if SEEDS.is_dir() else CORPUS
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        sys.exit(f"no .txt articles in {folder}")
    return texts


def make_corpus(folder: Path, count: int) -> int:
    """``count`` distinct articles in ``folder``; returns their number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_texts()
    words = 0
    for i in range(count):
        # A new first line (the title) makes each copy a distinct article.
        text = f"Benchmark article number {i + 1} of {count}\n{seeds[i % len(seeds)]}"
        (folder / f"article_{i + 1:05d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids


def _sample_interval(elapsed: float) -> float:
    """Seconds between two memory samples. Reading a process's PSS costs the kernel about 5 ms
    of CPU: every 20 ms over three processes, the sampler took a fifth of a core from the build
    it measured. Fine at first (short runs), coarser later (a long build's peak lasts)."""
    return 0.02 if elapsed < 1 else 0.1 if elapsed < 5 else 0.25


def timed(name: str, command: list[str], words: int) -> Run:
    """Run ``command`` to completion: wall time, CPU time and the peak PSS of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
        time.sleep(_sample_interval(time.perf_counter() - start))
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{name} failed ({proc.returncode}): {stderr.strip()}")
    run = Run(name, seconds, cpu, peak / 1024, words)
    print(
        f"  {name}: {seconds:.1f} s ({cpu:.1f} s CPU), {run.words_per_second:,.0f} words/s, peak {run.peak_mb:,.0f} MB",
        file=sys.stderr,
    )
    return run


def kg_build(corpus: Path, out: Path, *options: str) -> list[str]:
    return [*KG, "build", str(corpus), "-o", str(out), "--quiet", *options]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="corpus size (default: 200)")
    parser.add_argument("--model", default=None, help="spaCy model (default: kg's default)")
    parser.add_argument("--scale", default=None, help="two sizes A,B: peak memory of kg build on each")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from kg.modelchoice import default_model
    from kg.pipeline import default_workers

    model = args.model or default_model()
    cores = default_workers()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        corpus = work / "corpus"
        words = make_corpus(corpus, args.articles)
        print(f"{args.articles} articles, {words:,} words, model {model}, {cores} cores", file=sys.stderr)
        model_opt = ["--model", model]
        raw = timed("raw nlp.pipe", [sys.executable, "-c", RAW_PIPE, model, str(corpus)], words)
        serial = timed(
            "kg build --workers 1 --no-cache",
            kg_build(corpus, work / "o1", "--workers", "1", "--no-cache", *model_opt),
            words,
        )
        parallel = timed(
            f"kg build --no-cache ({cores} workers)", kg_build(corpus, work / "o2", "--no-cache", *model_opt), words
        )
        cold = timed("kg build, cold cache", kg_build(corpus, work / "o3", *model_opt), words)
        warm = timed("kg build, unchanged input", kg_build(corpus, work / "o3", *model_opt), words)
        same = (work / "o1" / "graph.ttl").read_bytes() == (work / "o2" / "graph.ttl").read_bytes()
        runs = [raw, serial, parallel, cold, warm]
        scale: list[Run] = []
        if args.scale:
            for size in (int(s) for s in args.scale.split(",")):
                folder = work / f"scale-{size}"
                n_words = make_corpus(folder, size)
                scale.append(
                    timed(
                        f"kg build --no-cache, {size} articles",
                        kg_build(folder, work / f"os{size}", "--no-cache", *model_opt),
                        n_words,
                    )
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        (r.name, f"{r.seconds:.1f}", f"{r.cpu_seconds:.1f}", f"{r.words_per_second:,.0f}", f"{r.peak_mb:,.0f}")
        for r in runs + scale
    ]
    print(f"\n{args.articles} articles, {words:,} words; model {model}; {cores} cores; {os.uname().machine}")
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}\n")
    print("| run | seconds | CPU seconds | words/s | peak memory (MB) |\n|---|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    ratios = [
        ("raw nlp.pipe time ÷ kg build --workers 1 --no-cache time", raw.seconds / serial.seconds, "≥ 0.9"),
        (f"raw nlp.pipe time ÷ kg build --no-cache time ({cores} workers)", raw.seconds / parallel.seconds, "≥ 1.8"),
        ("cold build time ÷ second build time (unchanged input)", cold.seconds / warm.seconds, "≥ 30"),
    ]
    if len(scale) == 2:
        ratios.append(
            (
                f"peak memory, {scale[1].name.split(', ')[1]} ÷ {scale[0].name.split(', ')[1]}",
                scale[1].peak_mb / scale[0].peak_mb,
                "≤ 1.5",
            )
        )
    print("\n| measure | value | target |\n|---|---:|---|")
    for name, value, target in ratios:
        print(f"| {name} | {value:.2f} | {target} |")
    print(f"\nSerial and parallel builds wrote byte-identical Turtle: {'yes' if same else 'NO'}")
    if args.json:
        args.json.write_text(
            json.dumps({"runs": [asdict(r) for r in runs + scale], "ratios": ratios, "identical": same}, indent=2),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
