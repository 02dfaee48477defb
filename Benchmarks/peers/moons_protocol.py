"""W8: the two-moons DANN protocol of Ganin et al. (JMLR 2016, section 5.1.1), as the paper
runs it: one source and one target example per SGD step.

Shared by bench_torch.py and bench_jax.py. The data and the initial weights are computed
the way Retrograd's `Benchmarks/RetrogradBenchmarks/MoonsDANNData.swift` computes them,
operation for operation in float64 with the C library's sin/cos, then rounded to float32,
so all frameworks train from the very same numbers (plain Python floats here, not NumPy,
whose vectorised sin and pairwise sums could differ in the last bit).

The network: features Dense 2->15 sigmoid; label head Dense 15->2 (softmax cross-entropy
on the source example); domain head Dense 15->1 (logistic) behind a gradient reversal
layer of fixed scale 6. Loss = cross-entropy + BCE(source's domain logit, 0) +
BCE(target's domain logit, 1), summed. Plain SGD, learning rate 0.05, no momentum.

Timing (the same on every side, `retrograd bench` included): a warm-up epoch of 300
steps from the initial weights that reads every loss (its mean is printed and kept in
the result's note, to check that the sides compute the same thing), then `repeats`
timed repeats of 3,000 steps (10 epochs; 300 with --quick, or when the warm-up epoch took
over a second), continuing the same training. W8 is the median in microseconds per step;
W8.run-estimate is 150,000 times it, in seconds; W8.run is one real 150,000-step run
from fresh initial weights, made when --quick is off and the estimate is at most 30 s.
"""

import math
import time

import numpy as np

import peer_common as common

EXAMPLES = 300  # source and target training points; one epoch is 300 steps
HIDDEN = 15
CLASSES = 2
EPOCHS = 500
FULL_RUN_STEPS = EPOCHS * EXAMPLES  # 150,000
LEARNING_RATE = 0.05
REVERSAL_SCALE = 6.0
ROTATION_DEGREES = 35.0
JITTER = 0.05
# The target example of step s is TARGET_ORDER(s mod 300): a fixed permutation.
ORDER_FACTOR, ORDER_OFFSET = 113, 29

REPEAT_STEPS = 3000
SHORT_REPEAT_STEPS = EXAMPLES
SLOW_EPOCH_SECONDS = 1.0
FULL_RUN_BUDGET_SECONDS = 30.0


# ----------------------------------------------------------------------------- data


def moon(i):
    """Point i of the noiseless moons: class i mod 2, at angle pi * (i div 2) / 149."""
    t = math.pi * (i // 2) / (EXAMPLES // 2 - 1)
    if i % 2 == 0:
        return math.cos(t), math.sin(t)
    return 1 - math.cos(t), 0.5 - math.sin(t)


def jitter(i, function):
    """0.05 * function(0.37 * (2i + j) + 1) for the two coordinates j = 0, 1."""
    return JITTER * function(0.37 * (2 * i) + 1), JITTER * function(0.37 * (2 * i + 1) + 1)


def data():
    """(source [300, 2] float32, labels [300] int64, target [300, 2] float32, target order).

    Source i = moon(i) + jitter with sin; target i = moon(i) + jitter with cos, rotated by
    35 degrees (counter-clockwise) about the mean of the source points.
    """
    source = []
    for i in range(EXAMPLES):
        (x, y), (dx, dy) = moon(i), jitter(i, math.sin)
        source.append((x + dx, y + dy))
    mean_x, mean_y = 0.0, 0.0
    for x, y in source:
        mean_x += x
        mean_y += y
    mean_x, mean_y = mean_x / EXAMPLES, mean_y / EXAMPLES
    angle = ROTATION_DEGREES * math.pi / 180
    c, s = math.cos(angle), math.sin(angle)
    target = []
    for i in range(EXAMPLES):
        (x, y), (dx, dy) = moon(i), jitter(i, math.cos)
        u, v = x + dx - mean_x, y + dy - mean_y
        target.append((c * u - s * v + mean_x, s * u + c * v + mean_y))
    labels = np.arange(EXAMPLES, dtype=np.int64) % CLASSES
    order = [(ORDER_FACTOR * i + ORDER_OFFSET) % EXAMPLES for i in range(EXAMPLES)]
    return np.array(source, dtype=np.float32), labels, np.array(target, dtype=np.float32), order


def filled(rows, columns, function):
    """A [rows, columns] float32 weight in Glorot's range: b * function(0.37 * (i * columns + j) + 1)."""
    bound = math.sqrt(6.0 / (rows + columns))
    values = [[bound * function(0.37 * (i * columns + j) + 1) for j in range(columns)] for i in range(rows)]
    return np.array(values, dtype=np.float32)


def initial_weights():
    """{"features", "label", "domain"}: (W [in, out], b [out]) float32, y = x @ W + b.

    Features 2x15 with sin, label head 15x2 with cos, both in Glorot's range; the domain
    head and every bias zero.
    """
    return {
        "features": (filled(2, HIDDEN, math.sin), np.zeros(HIDDEN, dtype=np.float32)),
        "label": (filled(HIDDEN, CLASSES, math.cos), np.zeros(CLASSES, dtype=np.float32)),
        "domain": (np.zeros((HIDDEN, 1), dtype=np.float32), np.zeros(1, dtype=np.float32)),
    }


# ----------------------------------------------------------------------------- timing


def results(make_trainer, arguments, note=None):
    """W8, W8.run-estimate and (when it fits) W8.run.

    make_trainer() starts a fresh training at the initial weights and returns
    (steps, losses): steps(k) runs the next k steps and waits for them; losses(k) runs
    the next k steps and returns each one's loss as a Python float.
    """
    steps, losses = make_trainer()
    start = time.perf_counter()
    first_epoch = losses(EXAMPLES)
    epoch_seconds = time.perf_counter() - start
    mean_loss = sum(first_epoch) / len(first_epoch)
    short = arguments.quick or epoch_seconds > SLOW_EPOCH_SECONDS
    repeat_steps = SHORT_REPEAT_STEPS if short else REPEAT_STEPS
    samples = []
    for _ in range(arguments.repeats):
        start = time.perf_counter()
        steps(repeat_steps)
        samples.append((time.perf_counter() - start) / repeat_steps * 1e6)
    samples = common.rounded(samples)
    text = "first epoch (300 steps from the initial weights): mean loss %.6f; %d repeats of %d steps" % (
        mean_loss, len(samples), repeat_steps)
    if note:
        text += "; " + note
    per_step = common.result("W8", "us/step", samples, text)
    common.log("  %-16s %12.5g %-8s (median of %d repeats x %d steps; first-epoch mean loss %.6f)"
               % ("W8", per_step["value"], "us/step", len(samples), repeat_steps, mean_loss))
    estimate = common.result(
        "W8.run-estimate", "s", common.rounded([value * FULL_RUN_STEPS / 1e6 for value in samples]),
        "150,000 \u00d7 the W8 samples")
    skipped = None
    if arguments.quick:
        skipped = "no W8.run with --quick"
    elif estimate["value"] > FULL_RUN_BUDGET_SECONDS:
        skipped = "no W8.run: the estimate exceeds the %.0f s budget" % FULL_RUN_BUDGET_SECONDS
    if skipped:
        estimate["note"] += "; " + skipped
    common.log("  %-16s %12.5g %-8s (%s)" % ("W8.run-estimate", estimate["value"], "s", estimate["note"]))
    if skipped:
        return [per_step, estimate]
    run_steps, _ = make_trainer()
    start = time.perf_counter()
    run_steps(FULL_RUN_STEPS)
    seconds = time.perf_counter() - start
    common.log("  %-16s %12.5g %-8s (one 150,000-step run)" % ("W8.run", seconds, "s"))
    return [per_step, estimate, common.result("W8.run", "s", common.rounded([seconds]),
                                              "one real 150,000-step run from fresh initial weights")]
