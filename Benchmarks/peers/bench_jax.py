#!/usr/bin/env python3
"""JAX (CPU), eager and jit, on Retrograd's benchmark workloads W1-W9.

    python bench_jax.py [--variant eager|jit|all] [--workload W1,W3] [--repeats N] [--quick] [--json FILE]

Same shapes, initial weights (Glorot uniform from NumPy, zero biases), data and steps as
`retrograd bench`; see peer_common.py and scripts/bench-peers. Optimizers from optax.

Variants: "eager" calls the Python functions (jax.grad, jax.vmap and optax included)
without jax.jit, so every primitive is dispatched on its own; "jit" wraps the whole step
(or the whole W1 chain, matmul, W7 function) in jax.jit. Compilation happens during the
warm-up, before any timed repeat, and its time is reported in the result's note. Every
timed call ends with block_until_ready.

One JSON file per variant (the schema has one "variant"): with one variant, --json FILE
is written as given; with --variant all, "{variant}" in FILE is replaced by the variant's
name, or else "-eager" / "-jit" goes before the extension (jax.json -> jax-eager.json,
jax-jit.json).
"""

import functools
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moons_protocol as moons  # noqa: E402
import peer_common as common  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

VARIANTS = ["eager", "jit"]


def dense_params(sizes, seed):
    return [(jnp.asarray(weight), jnp.asarray(bias)) for weight, bias in common.dense_stack(sizes, seed)]


def mlp(params, x, activation):
    for weight, bias in params[:-1]:
        x = activation(x @ weight + bias)
    weight, bias = params[-1]
    return x @ weight + bias


def block(tree):
    jax.block_until_ready(tree)


class Variant:
    """Wraps functions for one variant and keeps compile times."""

    def __init__(self, name):
        self.name = name
        self.jit = name == "jit"

    def wrap(self, function):
        return jax.jit(function) if self.jit else function

    def compile_note(self, seconds):
        if not self.jit:
            return "no jit: primitives dispatched one by one"
        return "jax.jit; first call (trace + compile + run) %.2f s, excluded from the timing" % seconds


def repeated(function, x):
    """A runner that calls `function(x)` k times and waits for the last result."""
    def run(k):
        for _ in range(k):
            result = function(x)
        block(result)
    return run


def first_call_seconds(function, *arguments):
    start = time.perf_counter()
    block(function(*arguments))
    return time.perf_counter() - start


# ----------------------------------------------------------------------------- workloads


def chain(x):
    y = x
    for _ in range(common.CHAIN_LENGTH):
        y = y * 1.0001 + 0.0001
    return y


def w1(variant, arguments):
    x = jnp.asarray(1.0, dtype=jnp.float32)
    forward = variant.wrap(chain)
    backward = variant.wrap(jax.grad(chain))
    forward_first = first_call_seconds(forward, x)
    backward_first = first_call_seconds(backward, x)

    run_forward, run_backward = repeated(forward, x), repeated(backward, x)

    return [
        common.timed_result("W1.forward", "us/op", run_forward, arguments, common.CHAIN_OPS,
                            note="plain forward (JAX records no tape); " + variant.compile_note(forward_first)),
        common.timed_result("W1.backward", "us/op", run_backward, arguments, common.CHAIN_OPS,
                            note="jax.grad (forward + backward), per forward op; " + variant.compile_note(backward_first)),
    ]


def train_step(loss, optimizer):
    def step(params, state, *batch):
        value, grads = jax.value_and_grad(loss)(params, *batch)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state, value

    return step


def timed_steps(identifier, variant, arguments, loss, params, optimizer, batch, unit="steps/s", first_loss=False):
    """The step timed from `params`; with first_loss, the note starts with the loss of the
    first (compiling) call, the loss at the initial weights."""
    step = variant.wrap(train_step(loss, optimizer))
    state = [params, optimizer.init(params)]
    losses = []

    def first_call():
        # Its result is thrown away (the timing starts again from params), but its loss is kept.
        params, opt_state, value = step(state[0], state[1], *batch)
        losses.append(value)
        return params, opt_state

    note = variant.compile_note(first_call_seconds(first_call))
    if first_loss:
        note = common.w9_loss_note(float(losses[0])) + "; " + note

    def run(k):
        params, opt_state = state
        for _ in range(k):
            params, opt_state, _ = step(params, opt_state, *batch)
        block(params)
        state[0], state[1] = params, opt_state

    return common.timed_result(identifier, unit, run, arguments, note=note)


def cross_entropy(logits, labels):
    return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()


def classifier(identifier, variant, arguments, sizes, activation, batch, classes, seed):
    params = dense_params(sizes, seed)
    x = jnp.asarray(common.sin_inputs(batch, sizes[0]))
    y = jnp.asarray(common.class_labels(batch, classes).astype(np.int32))

    def loss(params, x, y):
        return cross_entropy(mlp(params, x, activation), y)

    return [timed_steps(identifier, variant, arguments, loss, params, optax.adam(1e-3), (x, y))]


def w2(variant, arguments):
    return classifier("W2", variant, arguments, common.W2_SIZES, jnp.tanh, common.W2_BATCH, common.W2_CLASSES, seed=2)


def w3(variant, arguments):
    return classifier("W3", variant, arguments, common.W3_SIZES, jax.nn.relu, common.W3_BATCH, common.W3_CLASSES, seed=3)


def w4(variant, arguments):
    params = dense_params(common.W4_SIZES, seed=4)
    x = jnp.asarray(common.sin_inputs(common.W4_BATCH, common.W4_SIZES[0]))

    def critic(params, x):
        return mlp(params, x, jnp.tanh)

    def loss(params, x):
        scores = critic(params, x)

        def single(row):
            return critic(params, row[None, :])[0, 0]

        gradients = jax.vmap(jax.grad(single))(x)
        norms = jnp.sqrt(jnp.sum(gradients * gradients, axis=1))
        return scores.mean() + 10 * jnp.mean((norms - 1) ** 2)

    return [timed_steps("W4", variant, arguments, loss, params, optax.adam(1e-3), (x,))]


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def gradient_reversal(x, scale):
    return x


def _reversal_forward(x, scale):
    return x, None


def _reversal_backward(scale, _, gradient):
    return (-scale * gradient,)


gradient_reversal.defvjp(_reversal_forward, _reversal_backward)


def w5(variant, arguments):
    n, d = common.W5_BATCH, common.W5_FEATURES[0]
    params = {
        "features": dense_params(common.W5_FEATURES, seed=50),
        "label": dense_params(common.W5_LABEL, seed=51),
        "domain": dense_params(common.W5_DOMAIN, seed=52),
    }
    source = jnp.asarray(common.sin_inputs(n, d))
    target = jnp.asarray(common.cos_inputs(n, d))
    labels = jnp.asarray(common.class_labels(n, common.W5_CLASSES).astype(np.int32))
    domains = jnp.concatenate([jnp.zeros((n, 1)), jnp.ones((n, 1))])

    def loss(params, source, target, labels, domains):
        x = jnp.concatenate([source, target])
        for weight, bias in params["features"]:
            x = jax.nn.relu(x @ weight + bias)
        label_loss = cross_entropy(mlp(params["label"], x[:n], jax.nn.relu), labels)
        domain_logits = mlp(params["domain"], gradient_reversal(x, 1.0), jax.nn.relu)
        domain_loss = optax.sigmoid_binary_cross_entropy(domain_logits, domains).mean()
        return label_loss + domain_loss

    optimizer = optax.sgd(0.01, momentum=0.9)
    return [timed_steps("W5", variant, arguments, loss, params, optimizer, (source, target, labels, domains))]


def w9(variant, arguments):
    """The DANN paper's MNIST network (peer_common's W9 constants), NHWC as Retrograd has it."""
    n = common.W9_BATCH
    params = {
        "convolutions": [(jnp.asarray(weight), jnp.asarray(bias)) for weight, bias in common.w9_filters(seed=90)],
        "label": dense_params(common.W9_LABEL, seed=91),
        "domain": dense_params(common.W9_DOMAIN, seed=92),
    }
    source = jnp.asarray(common.w9_images(np.sin))
    target = jnp.asarray(common.w9_images(np.cos))
    labels = jnp.asarray(common.class_labels(n, common.W9_CLASSES).astype(np.int32))
    domains = jnp.concatenate([jnp.zeros((n, 1)), jnp.ones((n, 1))])

    def features(convolutions, x):
        for weight, bias in convolutions:
            x = jax.lax.conv_general_dilated(
                x, weight, window_strides=(1, 1), padding="VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))
            x = jax.nn.relu(x + bias)
            x = jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        return x.reshape(x.shape[0], -1)

    def loss(params, source, target, labels, domains):
        x = features(params["convolutions"], jnp.concatenate([source, target]))
        label_loss = cross_entropy(mlp(params["label"], x[:n], jax.nn.relu), labels)
        domain_logits = mlp(params["domain"], gradient_reversal(x, 1.0), jax.nn.relu)
        domain_loss = optax.sigmoid_binary_cross_entropy(domain_logits, domains).mean()
        return label_loss + domain_loss

    optimizer = optax.sgd(0.01, momentum=0.9)
    entry = timed_steps("W9", variant, arguments, loss, params, optimizer, (source, target, labels, domains),
                        unit="ms", first_loss=True)
    return [entry, common.w9_run_estimate(entry)]


def w6(variant, arguments):
    size = common.MATMUL_N
    a = jnp.asarray(common.sin_inputs(size, size))
    b = jnp.asarray(common.cos_inputs(size, size))
    matmul = variant.wrap(jnp.matmul)
    seconds = first_call_seconds(matmul, a, b)

    def run(k):
        for _ in range(k):
            c = matmul(a, b)
        block(c)

    return [common.timed_result("W6", "GFLOP/s", run, arguments, 2.0 * size ** 3, note=variant.compile_note(seconds))]


def w7(variant, arguments):
    x = jnp.asarray(common.w7_inputs())

    def f(x):
        return jnp.sum(jnp.exp(x) * x + 1)

    forward = variant.wrap(f)
    backward = variant.wrap(jax.grad(f))
    forward_first = first_call_seconds(forward, x)
    backward_first = first_call_seconds(backward, x)

    run_forward, run_backward = repeated(forward, x), repeated(backward, x)

    return [
        common.timed_result("W7.forward", "ms", run_forward, arguments,
                            note="plain forward; " + variant.compile_note(forward_first)),
        common.timed_result("W7.backward", "ms", run_backward, arguments,
                            note="jax.grad; " + variant.compile_note(backward_first)),
    ]


def w8(variant, arguments):
    source, labels, target, order = moons.data()
    # One [1, 2] array per example, made before timing (no data loading is timed); the
    # step is called once per source/target pair from Python.
    sources = [jnp.asarray(source[i:i + 1]) for i in range(moons.EXAMPLES)]
    targets = [jnp.asarray(target[order[i]:order[i] + 1]) for i in range(moons.EXAMPLES)]
    classes = [jnp.asarray(labels[i:i + 1].astype(np.int32)) for i in range(moons.EXAMPLES)]
    domains = jnp.asarray([[0.0], [1.0]], dtype=jnp.float32)
    params = {name: (jnp.asarray(weight), jnp.asarray(bias)) for name, (weight, bias) in moons.initial_weights().items()}

    def loss(params, source, target, label):
        weight, bias = params["features"]
        hidden = jax.nn.sigmoid(jnp.concatenate([source, target]) @ weight + bias)
        weight, bias = params["label"]
        label_loss = optax.softmax_cross_entropy_with_integer_labels(hidden[:1] @ weight + bias, label).mean()
        weight, bias = params["domain"]
        domain_logits = gradient_reversal(hidden, moons.REVERSAL_SCALE) @ weight + bias
        return label_loss + optax.sigmoid_binary_cross_entropy(domain_logits, domains).sum()

    optimizer = optax.sgd(moons.LEARNING_RATE)
    step = variant.wrap(train_step(loss, optimizer))
    # The first call traces and compiles under jit; its result is thrown away.
    seconds = first_call_seconds(lambda: step(params, optimizer.init(params), sources[0], targets[0], classes[0])[:2])

    def make_trainer():
        state = [params, optimizer.init(params), 0]

        def advance(k, values=None):
            current, opt_state, position = state
            for _ in range(k):
                i = position % moons.EXAMPLES
                position += 1
                current, opt_state, value = step(current, opt_state, sources[i], targets[i], classes[i])
                if values is not None:
                    values.append(value)
            block(current)
            state[:] = [current, opt_state, position]

        def steps(k):
            advance(k)

        def losses(k):
            values = []
            advance(k, values)
            return [float(value) for value in values]

        return steps, losses

    return moons.results(make_trainer, arguments, variant.compile_note(seconds))


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6, "W7": w7, "W8": w8, "W9": w9}


def threading():
    """XLA's CPU client runs compiled code on an intra-op thread pool sized to the CPUs it may use."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    flags = os.environ.get("XLA_FLAGS", "")
    return cpus, flags


def json_path(template, variant, several):
    if "{variant}" in template:
        return template.replace("{variant}", variant)
    if not several:
        return template
    root, extension = os.path.splitext(template)
    return "%s-%s%s" % (root, variant, extension or ".json")


def main():
    arguments = common.parse_arguments(__doc__.strip().splitlines()[0], variants=VARIANTS)
    variants = VARIANTS if arguments.variant == "all" else [arguments.variant]
    device = jax.devices()[0]
    cpus, flags = threading()
    backend = "%s (%s, jaxlib %s)" % (jax.default_backend(), device.device_kind, common.package_versions(["jaxlib"]).get("jaxlib"))
    common.log("JAX %s on %s; XLA CPU thread pool = %d CPUs; XLA_FLAGS=%r" % (jax.__version__, backend, cpus, flags))
    for name in variants:
        variant = Variant(name)
        common.log("variant %s:" % name)
        results = []
        for workload in arguments.workloads:
            common.log("%s:" % workload)
            results.extend(WORKLOADS[workload](variant, arguments))
        memory = common.memory_result(arguments.workloads) if len(variants) == 1 else None
        if memory:
            results.append(memory)
        notes = [
            "JAX on CPU, %s: %s" % (name, "jax.jit around each whole step / function" if variant.jit
                                    else "no jax.jit; jax.grad/vmap/optax run primitive by primitive"),
            "threads: XLA defaults, no flags set by this script (XLA_FLAGS=%r); XLA's CPU client sizes its "
            "intra-op thread pool to the %d CPUs the process may use" % (flags, cpus),
            "float32 throughout (jax_enable_x64 off); optax.adam(1e-3), optax.sgd(0.01, momentum=0.9), W8 optax.sgd(0.05)",
        ]
        if arguments.quick:
            notes.append("--quick: short repeats, a smoke test rather than a measurement")
        if arguments.json:
            payload = common.document(
                "jax", name, jax.__version__, backend, cpus, results, arguments,
                common.package_versions(["jax", "jaxlib", "optax", "numpy"]), notes)
            payload["xla_flags"] = flags
            common.write_json(json_path(arguments.json, name, len(variants) > 1), payload)


if __name__ == "__main__":
    main()
