#!/usr/bin/env python3
"""Prints the Retrograd / peer ratio table (markdown) from the JSON files of one run.

    python3 Benchmarks/peers/ratio_table.py DIR [--output table.md]
    python3 Benchmarks/peers/ratio_table.py retrograd.json pytorch-eager.json ...

Reads every *.json in DIR (or the files given) that has "framework" and "results": the
files of `retrograd bench --json` and of the peer scripts. Files of the same framework and
variant are merged (W3 and W9 each run in a process of their own for W3.memory and
W9.memory); if a result appears twice, the one from the file with fewer results wins (the
process that ran one workload alone).

A ratio says how many times better Retrograd is than the peer: peer / Retrograd for
lower-is-better units (us/op, us/step, ms, s, MB), Retrograd / peer for higher-is-better
ones (steps/s, GFLOP/s). Above 1 means Retrograd wins. Standard library only.
"""

import argparse
import glob
import json
import os
import sys

# (column key, heading); the key is framework/variant.
PEERS = [
    ("pytorch/eager", "PyTorch eager"),
    ("jax/eager", "JAX eager"),
    ("jax/jit", "JAX jit"),
]

# Workload rows in order: (result id, description).
ROWS = [
    ("W1.forward", "W1 scalar chain, forward (per op)"),
    ("W1.backward", "W1 scalar chain, forward + backward (per op)"),
    ("W2", "W2 MLP 2-64-64-2, Adam, batch 32"),
    ("W3", "W3 MLP 784-512-512-10, Adam, batch 128"),
    ("W3.memory", "W3 peak memory (process RSS)"),
    ("W4", "W4 critic + gradient penalty, Adam, batch 64"),
    ("W5", "W5 DANN step, SGD momentum, 64+64 rows"),
    ("W6", "W6 matmul 1024^3 float32"),
    ("W6.blas-direct", "W6 reference: the BLAS sgemm called directly"),
    ("W6.fallback", "W6 with Retrograd's fallback GEMM (no BLAS)"),
    ("W7.forward", "W7 sum(exp(x)*x+1), 16M floats, forward"),
    ("W7.backward", "W7 sum(exp(x)*x+1), 16M floats, forward + backward"),
    ("W8", "W8 DANN moons, paper protocol, 1 source + 1 target example per SGD step"),
    ("W8.run-estimate", "W8 a 150,000-step run, estimated (150,000 x per step)"),
    ("W8.run", "W8 one real 150,000-step run"),
    ("W9", "W9 DANN step, paper's MNIST CNN, 64+64 images 28x28x3, SGD momentum"),
    ("W9.memory", "W9 peak memory (process RSS)"),
    ("W9.run-estimate", "W9 an 8,600-step MNIST -> MNIST-M run, estimated (8,600 x per step)"),
    ("W9.conv", "W9 conv layer 5x5, 64x28x28x32 -> 48, forward + backward"),
    ("W9.conv.gemm", "W9 reference: the layer's three GEMMs alone"),
]

# The targets: result id -> [(peer key, minimum ratio, text)].
TARGETS = {
    "W1.backward": [("pytorch/eager", 50.0, ">= 50x PyTorch eager")],
    "W2": [("pytorch/eager", 5.0, ">= 5x PyTorch eager"), ("jax/jit", 1.0, "faster than JAX jit")],
    "W3": [("pytorch/eager", 1.5, ">= 1.5x PyTorch eager"), ("jax/jit", 1.0, ">= JAX jit")],
    "W4": [("pytorch/eager", 1.5, ">= 1.5x PyTorch eager"), ("jax/jit", 1.0, ">= JAX jit")],
    "W5": [("pytorch/eager", 1.5, ">= 1.5x PyTorch eager"), ("jax/jit", 1.0, ">= JAX jit")],
    "W6": [("blas", 0.95, ">= 95% of OpenBLAS direct")],
    "W6.fallback": [("blas", 0.60, ">= 60% of OpenBLAS direct")],
    "W7.backward": [("pytorch/eager", 3.0, ">= 3x PyTorch eager")],
    "W3.memory": [("pytorch/eager", 4.0, "<= 1/4 of PyTorch's")],
    "W8": [("jax/jit", 2.0, ">= 2x faster than JAX jit"), ("pytorch/eager", 20.0, ">= 20x PyTorch eager")],
    "W8.run": [("jax/jit", 2.0, ">= 2x faster than JAX jit")],
    "W9": [("pytorch/eager", 1.5, ">= 1.5x PyTorch eager"), ("jax/jit", 1.0, ">= JAX jit")],
    "W9.conv": [("gemm", 0.60, ">= 60% of its GEMMs' rate")],
}

# Results measured against another of Retrograd's own: result id -> (ratio key, reference id).
OWN_REFERENCES = {"W6": ("blas", "W6.blas-direct"), "W6.fallback": ("blas", "W6.blas-direct"),
                  "W9.conv": ("gemm", "W9.conv.gemm")}

# W2 must be strictly faster than JAX jit; the others only "at least".
STRICT = {("W2", "jax/jit")}

LOWER = {"us/op", "us/step", "ms", "s", "MB"}


def load(paths):
    documents = []
    for path in paths:
        try:
            with open(path) as handle:
                payload = json.load(handle)
        except (OSError, ValueError) as error:
            print("ratio_table: skipping %s: %s" % (path, error), file=sys.stderr)
            continue
        for document in payload if isinstance(payload, list) else [payload]:
            if isinstance(document, dict) and "framework" in document and "results" in document:
                document["_path"] = path
                documents.append(document)
    return documents


def merge(documents):
    """{framework/variant: {"documents": [...], "results": {id: result}}}"""
    groups = {}
    # Files with more results first, so the single-workload processes override them.
    for document in sorted(documents, key=lambda d: (-len(d["results"]), d["_path"])):
        framework = str(document["framework"]).lower()
        variant = str(document.get("variant") or "eager").lower()
        key = framework + "/" + variant if framework != "retrograd" else "retrograd"
        group = groups.setdefault(key, {"documents": [], "results": {}})
        group["documents"].append(document)
        for entry in document["results"]:
            group["results"][entry["id"]] = entry
    return groups


def better_lower(entry):
    better = entry.get("better")
    if better in ("lower", "higher"):
        return better == "lower"
    return entry.get("unit") in LOWER


def ratio(retrograd, peer):
    """How many times better Retrograd is (None when a value is missing or zero)."""
    if not retrograd or not peer:
        return None
    a, b = retrograd.get("value"), peer.get("value")
    if not a or not b:
        return None
    return b / a if better_lower(retrograd) else a / b


def number(value):
    if value is None:
        return "–"
    magnitude = abs(value)
    if magnitude >= 1000:
        return "{:,.0f}".format(value)
    if magnitude >= 100:
        return "%.0f" % value
    if magnitude >= 10:
        return "%.1f" % value
    if magnitude >= 1:
        return "%.2f" % value
    return "%.3g" % value


def times(value):
    if value is None:
        return "–"
    return ("%.2f×" if value < 10 else "%.1f×" if value < 100 else "%.0f×") % value


def target_cells(identifier, ratios):
    targets = TARGETS.get(identifier)
    if not targets:
        return "", ""
    texts, verdicts = [], []
    for peer, minimum, text in targets:
        texts.append(text)
        value = ratios.get(peer)
        if value is None:
            verdicts.append("n/a")
        elif value > minimum if (identifier, peer) in STRICT else value >= minimum:
            verdicts.append("met")
        else:
            verdicts.append("**missed**")
    return "; ".join(texts), "; ".join(verdicts)


def describe(key, group):
    document = group["documents"][0]
    threads = sorted({str(d.get("threads", "?")) for d in group["documents"]})
    name = {"retrograd": "Retrograd", "pytorch/eager": "PyTorch eager", "jax/eager": "JAX eager",
            "jax/jit": "JAX jit"}.get(key, key)
    line = "%s %s: %s thread%s; backend %s" % (
        name, document.get("version", "?"), "/".join(threads), "" if threads == ["1"] else "s",
        document.get("backend", "?"))
    extras = []
    if "interop_threads" in document:
        extras.append("%s inter-op threads" % document["interop_threads"])
    if "xla_flags" in document:
        extras.append("XLA_FLAGS=%r" % document["xla_flags"])
    others = [d["other_processes_cpu_percent"] for d in group["documents"]
              if isinstance(d.get("other_processes_cpu_percent"), (int, float))]
    if others:
        extras.append("other processes used %s%% of the CPUs meanwhile" % "/".join("%.0f" % v for v in others))
    if extras:
        line += " (" + ", ".join(extras) + ")"
    return line


def table(groups):
    lines = []
    retrograd = groups.get("retrograd", {"results": {}, "documents": []})
    r_results = retrograd["results"]
    present = [(key, heading) for key, heading in PEERS if key in groups]
    others = sorted(key for key in groups if key != "retrograd" and key not in dict(PEERS))
    present += [(key, key) for key in others]

    header = ["workload", "unit", "Retrograd"] + [h for _, h in present]
    header += ["Retrograd vs %s" % h for _, h in present] + ["target", "met?"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] * 2 + ["---:"] * (1 + 2 * len(present)) + ["---"] * 2) + "|")

    identifiers = [identifier for identifier, _ in ROWS]
    seen = set(identifiers)
    for group in groups.values():
        for identifier in group["results"]:
            if identifier not in seen:
                seen.add(identifier)
                identifiers.append(identifier)
    descriptions = dict(ROWS)
    for identifier in identifiers:
        entries = {key: groups[key]["results"].get(identifier) for key, _ in present}
        mine = r_results.get(identifier)
        if mine is None and not any(entries.values()):
            continue
        unit = (mine or next(e for e in entries.values() if e)).get("unit", "")
        ratios = {key: ratio(mine, entry) for key, entry in entries.items()}
        own = OWN_REFERENCES.get(identifier)
        if own:
            ratios[own[0]] = ratio(mine, r_results.get(own[1]))
        target, verdict = target_cells(identifier, ratios)
        if own and ratios.get(own[0]) is not None:
            target += " (now %.0f%%)" % (100 * ratios[own[0]])
        row = [descriptions.get(identifier, identifier), unit, number(mine.get("value") if mine else None)]
        row += [number(entries[key].get("value")) if entries[key] else "–" for key, _ in present]
        row += [times(ratios[key]) for key, _ in present]
        row += [target, verdict]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def footer(groups):
    lines = ["", "Ratios: how many times better Retrograd is (peer/Retrograd for times and memory, "
             "Retrograd/peer for rates); above 1 Retrograd wins. Values are medians of the repeats."]
    order = ["retrograd"] + [key for key, _ in PEERS] + sorted(k for k in groups if k not in ("retrograd",) + tuple(k for k, _ in PEERS))
    for key in order:
        if key in groups:
            lines.append("- " + describe(key, groups[key]))
    machines = []
    for group in groups.values():
        for document in group["documents"]:
            machine = document.get("machine") or {}
            text = "%s × %s" % (machine.get("cpus", "?"), machine.get("model", "?"))
            if text not in machines:
                machines.append(text)
    lines.append("- machine: " + ("; ".join(machines) if machines else "unknown")
                 + ("" if len(machines) <= 1 else " (**the files come from different machines**)"))
    if any((d.get("settings") or {}).get("quick") for g in groups.values() for d in g["documents"]):
        lines.append("- **--quick run: short repeats, not a measurement**")
    busy = [d["other_processes_cpu_percent"] for g in groups.values() for d in g["documents"]
            if isinstance(d.get("other_processes_cpu_percent"), (int, float))]
    if busy and max(busy) > 10:
        lines.append("- **other processes used up to %.0f%% of the CPUs during this run: the numbers are distorted "
                     "(multi-threaded peers, OpenMP above all, suffer most); rerun on an idle machine**" % max(busy))
    if "W1.backward" in groups.get("jax/jit", {}).get("results", {}):
        lines.append("- JAX jit W1: XLA compiles the whole 4,000-op chain into one fused computation (its gradient, "
                     "which does not depend on x, folds to a constant), so it measures one call, not per-op dispatch.")
    if any("W8.run-estimate" in group["results"] for group in groups.values()):
        lines.append("- W8.run is one real 150,000-step run, made only where the estimate (150,000 x the median step) "
                     "is at most 30 s and not with --quick; W8.run-estimate is there for every side.")
    if any("W9.run-estimate" in group["results"] for group in groups.values()):
        lines.append("- W9.run-estimate prices an assumed run of 8,600 steps (10 epochs of MNIST's 55,000 training "
                     "images in batches of 64 + 64); the paper gives no iteration count that could be found. "
                     "PyTorch runs W9 in NCHW, its native layout; Retrograd and JAX in NHWC.")
    if "retrograd" not in groups:
        lines.append("- **no Retrograd results in this run**: the ratio columns are empty")
    return lines


def main():
    parser = argparse.ArgumentParser(description="Retrograd / peer ratio table from bench JSON files")
    parser.add_argument("inputs", nargs="+", help="a run directory, or JSON files")
    parser.add_argument("--output", help="also write the table to this file")
    arguments = parser.parse_args()
    paths = []
    for item in arguments.inputs:
        if os.path.isdir(item):
            paths.extend(sorted(glob.glob(os.path.join(item, "*.json"))))
        else:
            paths.append(item)
    documents = load(paths)
    if not documents:
        print("ratio_table: no benchmark JSON found in %s" % ", ".join(arguments.inputs), file=sys.stderr)
        return 1
    groups = merge(documents)
    text = "\n".join(table(groups) + footer(groups)) + "\n"
    sys.stdout.write(text)
    if arguments.output:
        with open(arguments.output, "w") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
