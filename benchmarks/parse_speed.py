"""Cost of the dependency parser: import, load, and parse time per sentence.

    .venv/bin/python benchmarks/parse_speed.py [--sentences 200] [--repeat 3]

Prints, in one run: `import allies.read` time (the baseline: no spaCy), `import spacy`
time and the shipped pipeline's load time (each in a fresh interpreter, best of --repeat),
then per-sentence parse time (median, p95, one sentence per call) and the batched rate
(`parse()` on all sentences at once) over news-like sentences written for this benchmark,
and the model's size on disk.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from allies.read import syntax

ACTORS = ["The United States", "NATO", "President Biden", "Allied leaders", "The State Department",
          "Washington", "The alliance", "The White House", "Congress", "The Secretary of State"]
COUNTRIES = ["Colombia", "Qatar", "Kenya", "Finland and Sweden", "Montenegro", "North Macedonia",
             "Brazil", "Tunisia", "Georgia and Ukraine", "the Philippines"]
TEMPLATES = [
    "{a} designated {c} a major non-NATO ally on Thursday.",
    "{a} said it would invite {c} to join the alliance at the summit next month.",
    "Defying Moscow, {c} formally joined NATO on Tuesday, officials said.",
    "{a} agreed to invite {c} to begin accession talks.",
    "Officials in the capital said {c} could become a member within a year if the "
    "ratifications go smoothly.",
    "{a} did not name {c} a major non-NATO ally, despite months of lobbying by its "
    "government.",
    "After meeting the prime minister on March 10, {a} announced that {c} would be granted "
    "the status.",
    "Analysts said the decision to favour {c} joining the bloc reflected worries about "
    "regional security.",
    "The move, which {a} had hinted at for weeks, makes {c} one of about twenty countries "
    "with the designation.",
    "{c}, which applied in May, is expected to become the alliance's newest member once all "
    "members have ratified the protocol.",
    "Lawmakers urged {a} to designate {c} as a major non-NATO ally, but no decision has been "
    "announced.",
    "In a statement, {a} welcomed {c} as the thirty-first member of the North Atlantic "
    "Treaty Organization.",
    "The designation gives {c} access to surplus military equipment and priority delivery "
    "of defense articles.",
    "{a} notified Congress of its intent to designate {c}, starting a thirty-day review.",
    "Critics warned that inviting {c} would provoke Russia and divide the alliance.",
    "The agreement, signed in Brussels, commits {c} to spending two percent of its economic "
    "output on defense.",
    "{c} has been a close partner of {a} for decades but has never sought formal membership.",
    "Speaking to reporters, {a} said talks with {c} were continuing.",
    "{a} and its partners pledged to support {c} for as long as it takes.",
    "It was not clear whether {c} would accept the offer before the end of the year.",
]


def sentences(n: int) -> list[str]:
    """``n`` distinct sentences, round robin over the templates (10 fillers each)."""
    out = []
    for k in range(n):
        j, m = k % len(TEMPLATES), k // len(TEMPLATES)
        s = TEMPLATES[j].format(a=ACTORS[(j + m) % len(ACTORS)],
                                c=COUNTRIES[(3 * j + m) % len(COUNTRIES)])
        out.append(s[0].upper() + s[1:])
    return out


def fresh(code: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
        best = min(best, float(p.stdout.strip()))
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    if not syntax.available():
        print("the parser is not available (install the 'parse' extra; the model ships in "
              "src/allies/data/parser)")
        return 1
    timer = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"
    base = fresh(timer.format("import allies.read"), a.repeat)
    imp = fresh(timer.format("import spacy"), a.repeat)
    load = fresh("import spacy, time; from allies.read import syntax; "
                 "t = time.perf_counter(); syntax.load(); print(time.perf_counter() - t)",
                 a.repeat)
    print(f"import allies.read (baseline)  {base * 1000:8.0f} ms")
    print(f"import spacy                   {imp * 1000:8.0f} ms")
    print(f"load the shipped pipeline      {load * 1000:8.0f} ms  (after import spacy)")

    sents = sentences(a.sentences)
    words = sum(len(s.split()) for s in sents)
    syntax.parse(sents[:10])  # warm up
    one: list[float] = []
    for _ in range(a.repeat):
        for s in sents:
            t = time.perf_counter()
            syntax.parse([s])
            one.append(time.perf_counter() - t)
    one.sort()
    p95 = one[int(0.95 * (len(one) - 1))]
    t = time.perf_counter()
    for _ in range(a.repeat):
        syntax.parse(sents)
    batch = (time.perf_counter() - t) / a.repeat
    print(f"{len(sents)} sentences, {words / len(sents):.1f} words on average")
    print(f"parse one sentence per call    median {statistics.median(one) * 1000:.2f} ms, "
          f"p95 {p95 * 1000:.2f} ms")
    print(f"parse all in one call          {batch / len(sents) * 1000:.2f} ms a sentence, "
          f"{words / batch:,.0f} words/s")
    size = sum(p.stat().st_size for p in syntax.model_path().rglob("*") if p.is_file())
    print(f"model on disk                  {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
