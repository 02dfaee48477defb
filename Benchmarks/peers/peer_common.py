"""Shared pieces of the peer benchmarks (bench_torch.py, bench_jax.py).

Everything that must be identical across frameworks lives here: the workload list, the
shapes, the data and the initial weights (made with NumPy, so PyTorch and JAX start from
the very same float32 numbers), the timing loop and the JSON schema shared with
`retrograd bench`. W8's data, weights and timing are in moons_protocol.py.

Timing: a workload is a function `run(k)` that performs k iterations (steps, calls,
chains) and waits for the result. It is first run, doubling k, until one call takes at
least the minimum repeat time (this is the warm-up, and it includes any JIT compile);
then it is timed `repeats` times with that k. Each sample is time / k, converted to the
workload's unit; the reported value is the median of the samples.
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

import numpy as np

WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"]

# W1: scalar chain of CHAIN_LENGTH iterations, two ops each.
CHAIN_LENGTH = 2000
CHAIN_OPS = 2 * CHAIN_LENGTH
# W6: square matmul size.
MATMUL_N = 1024
# W7: element count.
ELEMENTWISE_N = 16_777_216

UNITS = {
    "us/op": "lower",
    "us/step": "lower",
    "s": "lower",
    "ms": "lower",
    "MB": "lower",
    "steps/s": "higher",
    "GFLOP/s": "higher",
}


# ----------------------------------------------------------------------------- data


def sin_inputs(n, d, function=np.sin):
    """x[i, j] = function(0.37 * (i * d + j) + 1), as float32 [n, d] (computed in float64)."""
    index = np.arange(n * d, dtype=np.float64).reshape(n, d)
    return function(0.37 * index + 1.0).astype(np.float32)


def cos_inputs(n, d):
    """The DANN target rows: x[i, j] = cos(0.37 * (i * d + j) + 1)."""
    return sin_inputs(n, d, np.cos)


def class_labels(n, classes):
    """y[i] = i mod classes (int64)."""
    return (np.arange(n) % classes).astype(np.int64)


def glorot_uniform(rng, fan_in, fan_out):
    """A [fan_in, fan_out] float32 weight drawn from U(-b, b), b = sqrt(6 / (fan_in + fan_out))."""
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_in, fan_out)).astype(np.float32)


def dense_stack(sizes, seed):
    """[(W [in, out], b [out])] for consecutive sizes: Glorot-uniform weights, zero biases.

    Weights are laid out [in, out] (inputs are rows, y = x @ W + b), as in Retrograd's Dense.
    """
    rng = np.random.default_rng(seed)
    return [
        (glorot_uniform(rng, fan_in, fan_out), np.zeros(fan_out, dtype=np.float32))
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
    ]


# Shapes of W2-W5 (shared so both scripts agree).
W2_SIZES, W2_BATCH, W2_CLASSES = [2, 64, 64, 2], 32, 2
W3_SIZES, W3_BATCH, W3_CLASSES = [784, 512, 512, 10], 128, 10
W4_SIZES, W4_BATCH = [784, 256, 256, 1], 64
W5_FEATURES, W5_LABEL, W5_DOMAIN, W5_BATCH, W5_CLASSES = [784, 256, 128], [128, 10], [128, 64, 1], 64, 10

# W9: the DANN paper's MNIST network on 28x28x3 images (NHWC rows of sin/cos inputs):
# 5x5 'valid' convolutions 3 -> 32 -> 48 (ReLU, 2x2 max pooling after each), 768 features,
# label head 768-100-100-10, domain head 768-100-1; 64 source + 64 target images.
W9_SIZE, W9_CHANNELS, W9_FILTERS, W9_WINDOW, W9_BATCH, W9_CLASSES = 28, 3, [32, 48], 5, 64, 10
W9_FEATURES = 4 * 4 * 48
W9_LABEL, W9_DOMAIN = [W9_FEATURES, 100, 100, 10], [W9_FEATURES, 100, 1]
# W9.run-estimate: the steps of the run it prices (10 epochs of 55,000 images in batches
# of 64; the paper gives no iteration count that could be found).
W9_RUN_STEPS = 8600


def w9_images(function=np.sin):
    """W9's images: [64, 28, 28, 3] float32 NHWC, image i being row i of sin_inputs(64, 2352)."""
    pixels = W9_SIZE * W9_SIZE * W9_CHANNELS
    return sin_inputs(W9_BATCH, pixels, function).reshape(W9_BATCH, W9_SIZE, W9_SIZE, W9_CHANNELS)


def w9_filters(seed):
    """[(filter [5, 5, in, out] HWIO, bias [out])] of W9's two convolutions: Glorot uniform
    with a convolution's fans (fan-in 5*5*in, fan-out 5*5*out, as Keras and Retrograd's
    Conv2D compute them), zero biases."""
    rng = np.random.default_rng(seed)
    area = W9_WINDOW * W9_WINDOW
    layers = []
    for fan_in, fan_out in zip([W9_CHANNELS] + W9_FILTERS[:-1], W9_FILTERS):
        bound = math.sqrt(6.0 / (area * fan_in + area * fan_out))
        weight = rng.uniform(-bound, bound, size=(W9_WINDOW, W9_WINDOW, fan_in, fan_out)).astype(np.float32)
        layers.append((weight, np.zeros(fan_out, dtype=np.float32)))
    return layers


def w9_loss_note(loss):
    return "loss at step 0 (initial weights): %.6f" % loss


def w9_run_estimate(entry):
    """W9.run-estimate: W9_RUN_STEPS x each W9 sample (ms), in seconds."""
    samples = rounded([value * W9_RUN_STEPS / 1e3 for value in entry["samples"]])
    estimate = result("W9.run-estimate", "s", samples,
                      note="8,600 x the W9 samples (an assumed run length: 10 epochs of 55,000 images, 64 + 64 per step)")
    log("  %-12s %12.5g %-8s (8,600 x the W9 samples)" % ("W9.run-estimate", estimate["value"], "s"))
    return estimate


def w7_inputs():
    """W7's vector: sin(0.37 * i + 1), 16,777,216 float32 values in [-1, 1]."""
    return sin_inputs(ELEMENTWISE_N, 1).reshape(ELEMENTWISE_N)


# ----------------------------------------------------------------------------- CLI


def parse_arguments(description, variants=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--workload", default=",".join(WORKLOADS),
        help="comma-separated workloads (default: all of %s)" % ",".join(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats (default 7; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (a smoke test, not a measurement)")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    if variants:
        parser.add_argument(
            "--variant", default="all", choices=variants + ["all"],
            help="which variant(s) to run (default: all)")
    arguments = parser.parse_args()
    selected = [w.strip().upper() for w in arguments.workload.split(",") if w.strip()]
    unknown = [w for w in selected if w not in WORKLOADS]
    if unknown:
        parser.error("unknown workload(s): %s (known: %s)" % (", ".join(unknown), ", ".join(WORKLOADS)))
    arguments.workloads = [w for w in WORKLOADS if w in selected]
    if arguments.repeats is None:
        arguments.repeats = 3 if arguments.quick else 7
    if arguments.repeats < 1:
        parser.error("--repeats must be at least 1")
    arguments.min_time = 0.05 if arguments.quick else 0.2
    return arguments


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- timing


def measure(run, repeats, min_time, max_iterations=1 << 20):
    """Seconds per iteration of run(k), one sample per repeat (see the module docstring).

    Returns (samples, k, warm-up seconds).
    """
    iterations = 1
    warm_start = time.perf_counter()
    while True:
        start = time.perf_counter()
        run(iterations)
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or iterations >= max_iterations:
            break
        # Aim a little past the minimum, but at most 10x more work per try.
        scale = min_time * 1.2 / max(elapsed, 1e-9)
        iterations = min(max_iterations, max(iterations + 1, min(int(math.ceil(iterations * scale)), iterations * 10)))
    warm_up = time.perf_counter() - warm_start
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(iterations)
        samples.append((time.perf_counter() - start) / iterations)
    return samples, iterations, warm_up


def result(identifier, unit, samples, note=None):
    entry = {
        "id": identifier,
        "unit": unit,
        "better": UNITS[unit],
        "value": statistics.median(samples),
        "samples": list(samples),
    }
    if note:
        entry["note"] = note
    return entry


def rounded(values, digits=6):
    return [float("%.*g" % (digits, v)) for v in values]


def timed_result(identifier, unit, run, arguments, per_iteration=None, note=None):
    """Measures run and converts seconds per iteration to unit.

    per_iteration: how many units of work one iteration is (ops for us/op, FLOPs for
    GFLOP/s); ignored for steps/s and ms.
    """
    seconds, iterations, warm_up = measure(run, arguments.repeats, arguments.min_time)
    if unit == "us/op":
        samples = [s / per_iteration * 1e6 for s in seconds]
    elif unit == "ms":
        samples = [s * 1e3 for s in seconds]
    elif unit == "steps/s":
        samples = [1.0 / s for s in seconds]
    elif unit == "GFLOP/s":
        samples = [per_iteration / s / 1e9 for s in seconds]
    else:
        raise ValueError(unit)
    samples = rounded(samples)
    entry = result(identifier, unit, samples, note)
    log("  %-12s %12.5g %-8s (median of %d repeats x %d iterations; warm-up %.2f s)"
        % (identifier, entry["value"], unit, len(samples), iterations, warm_up))
    return entry


def peak_rss_mb():
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        peak /= 1024
    return peak / 1024.0


def memory_result(workloads):
    """W3.memory or W9.memory, only when the process ran W3 or W9 alone (otherwise other
    workloads' peaks leak in)."""
    if workloads not in (["W3"], ["W9"]):
        return None
    identifier = workloads[0] + ".memory"
    entry = result(identifier, "MB", [round(peak_rss_mb(), 1)],
                   note="peak RSS of the whole process (ru_maxrss), %s run alone" % workloads[0])
    log("  %-12s %12.5g %-8s (peak RSS of the process)" % (identifier, entry["value"], "MB"))
    return entry


# ----------------------------------------------------------------------------- JSON


def load_average():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


START_LOAD = load_average()


def busy_seconds():
    """(seconds all CPUs spent busy since boot, from /proc/stat; this process's CPU seconds)."""
    own = sum(os.times()[:4])
    try:
        with open("/proc/stat") as handle:
            fields = [int(value) for value in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None, own
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    busy = sum(fields[:8]) - fields[3] - fields[4]
    return busy / os.sysconf("SC_CLK_TCK"), own


START_BUSY = busy_seconds()
START_WALL = time.monotonic()


def other_processes_cpu_percent():
    """Share of the machine's CPU time that other processes used while this one ran.

    Other processes on the same 2 cores distort every number (OpenMP thread teams suffer
    most: a step of a small MLP can get 100x slower), so each JSON file keeps this.
    """
    (busy_start, own_start), (busy_end, own_end) = START_BUSY, busy_seconds()
    if busy_start is None or busy_end is None:
        return None
    wall = time.monotonic() - START_WALL
    others = (busy_end - busy_start) - (own_end - own_start)
    return round(max(0.0, 100.0 * others / (wall * (os.cpu_count() or 1))), 1)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    return {"cpus": os.cpu_count(), "model": cpu_model()}


def package_versions(names):
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions


def document(framework, variant, version, backend, threads, results, arguments, packages, notes):
    return {
        "framework": framework,
        "variant": variant,
        "version": version,
        "backend": backend,
        "threads": threads,
        "machine": machine(),
        "results": results,
        # Extra keys (ratio_table.py ignores what it does not know):
        "packages": packages,
        "settings": {
            "workloads": arguments.workloads,
            "repeats": arguments.repeats,
            "min_repeat_seconds": arguments.min_time,
            "quick": arguments.quick,
        },
        "notes": notes,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        # Other processes on the machine distort every number; see other_processes_cpu_percent.
        "load_average": {"start": START_LOAD, "end": load_average()},
        "other_processes_cpu_percent": other_processes_cpu_percent(),
    }


def write_json(path, payload):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=2)
        handle.write("\n")
    log("wrote %s" % path)
