"""Train the reader's dependency parser from UD English EWT and install it in the package.

    python scripts/train_parser.py [--treebank DIR] [--build DIR] [--steps N]

Steps: convert the CoNLL-U files with spaCy's `conllu` converter, train with
`scripts/parser/config.cfg` (fixed seed, bounded steps), copy the best pipeline to
`src/allies/data/parser/` (without the training-only files), write the licence notice beside
it and print LAS/UAS, POS and lemma accuracy on the EWT test split. `make model` runs it;
`make test` never does (the trained pipeline is committed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "parser" / "config.cfg"
TARGET = ROOT / "src" / "allies" / "data" / "parser"
DEFAULT_TREEBANK = ROOT.parent / "shared" / "treebanks" / "ud-english-ewt"
SPLITS = ("train", "dev", "test")

NOTICE = """\
# The reader's dependency parser

A spaCy pipeline (tok2vec, morphologizer, trainable lemmatizer, parser) trained by this
project with `make model` (`scripts/train_parser.py`, `scripts/parser/config.cfg`) from the
Universal Dependencies English Web Treebank (UD English EWT), by the UD English EWT team
(Silveira et al. 2014; Universal Dependencies contributors), https://universaldependencies.org/.

The treebank is licensed under CC BY-SA 4.0. These model files are a derived work of it and
are licensed under CC BY-SA 4.0 too (https://creativecommons.org/licenses/by-sa/4.0/). The
treebank text itself is not included. Figures: `docs/reader.md`, "The parser".
"""


def _run(args: list[str]) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--treebank", type=Path, default=DEFAULT_TREEBANK,
                    help="folder holding en_ewt-ud-{train,dev,test}.conllu")
    ap.add_argument("--build", type=Path, default=ROOT / "build" / "parser",
                    help="scratch folder for converted corpora and checkpoints")
    ap.add_argument("--steps", type=int, default=None,
                    help="override training.max_steps (default: the config's)")
    ap.add_argument("--skip-train", action="store_true",
                    help="evaluate and install the pipeline already in BUILD/model/model-best")
    ap.add_argument("--no-install", action="store_true",
                    help="train and evaluate, but leave src/allies/data/parser alone")
    a = ap.parse_args(argv)

    files = {s: a.treebank / f"en_ewt-ud-{s}.conllu" for s in SPLITS}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        print(f"error: treebank file not found: {missing[0]}; pass --treebank DIR "
              "(the folder with the UD English EWT .conllu files)", file=sys.stderr)
        return 1

    py = sys.executable
    corpus = a.build / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for f in files.values():
        _run([py, "-m", "spacy", "convert", str(f), str(corpus), "--converter", "conllu",
              "-n", "10"])
    out = a.build / "model"
    best = out / "model-best"
    train_s = 0.0
    if not a.skip_train:
        if out.exists():
            shutil.rmtree(out)
        cmd = [py, "-m", "spacy", "train", str(CONFIG), "--output", str(out),
               "--paths.train", str(corpus / "en_ewt-ud-train.spacy"),
               "--paths.dev", str(corpus / "en_ewt-ud-dev.spacy")]
        if a.steps:
            cmd += ["--training.max_steps", str(a.steps)]
        t0 = time.perf_counter()
        _run(cmd)
        train_s = time.perf_counter() - t0
    if not (best / "meta.json").is_file():
        print(f"error: no trained pipeline in {best}; run without --skip-train", file=sys.stderr)
        return 1

    scores_path = a.build / "test-scores.json"
    _run([py, "-m", "spacy", "evaluate", str(best), str(corpus / "en_ewt-ud-test.spacy"),
          "--output", str(scores_path)])
    scores = json.loads(scores_path.read_text(encoding="utf-8"))

    if not a.no_install:
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(best, TARGET)
        # the saved config records the training paths: keep this machine's paths out
        cfg_path = TARGET / "config.cfg"
        cfg = cfg_path.read_text(encoding="utf-8")
        for split in ("train", "dev"):
            cfg = cfg.replace(f'"{corpus / f"en_ewt-ud-{split}.spacy"}"', "null")
        cfg_path.write_text(cfg, encoding="utf-8")
        meta_path = TARGET / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update({
            "name": "allies_parser",
            "description": "Dependency parser for the allies news reader, trained on "
                           "UD English EWT.",
            "license": "CC BY-SA 4.0",
            "sources": [{"name": "UD English EWT", "url": "https://universaldependencies.org/",
                         "license": "CC BY-SA 4.0"}],
            "test_scores": {k: round(float(scores[k]), 4)
                            for k in ("dep_las", "dep_uas", "pos_acc", "lemma_acc")
                            if k in scores},
        })
        meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (TARGET / "NOTICE.md").write_text(NOTICE, encoding="utf-8")
        size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
        print(f"installed {TARGET.relative_to(ROOT)} ({size / 1e6:.1f} MB)")

    if train_s:
        print(f"training took {train_s / 60:.1f} min")
    for k in ("dep_las", "dep_uas", "pos_acc", "lemma_acc", "speed"):
        if k in scores:
            print(f"test {k}: {scores[k]:.4f}" if k != "speed" else f"test {k}: {scores[k]:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
