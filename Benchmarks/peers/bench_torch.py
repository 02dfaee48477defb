#!/usr/bin/env python3
"""Eager PyTorch (CPU) on Retrograd's benchmark workloads W1-W9.

    python bench_torch.py [--workload W1,W3] [--repeats N] [--quick] [--json FILE]

Same shapes, initial weights (Glorot uniform from NumPy, zero biases), data and steps as
`retrograd bench`; see peer_common.py and scripts/bench-peers. Plain eager PyTorch: no
torch.compile, default thread counts, the default optimizer implementations. W9's
convolutions run in PyTorch's native NCHW layout (Retrograd and JAX use NHWC): the images
are the same numbers transposed, the filters the same draws permuted to OIHW, and the first
dense layers' rows reordered to NCHW flattening, so the step computes the same function.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moons_protocol as moons  # noqa: E402
import peer_common as common  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402


def tensor(array):
    return torch.from_numpy(np.ascontiguousarray(array))


def linear(weight, bias):
    """An nn.Linear holding weight [in, out] (stored transposed, as nn.Linear keeps it) and bias."""
    layer = nn.Linear(weight.shape[0], weight.shape[1])
    with torch.no_grad():
        layer.weight.copy_(tensor(weight.T))
        layer.bias.copy_(tensor(bias))
    return layer


def dense_layers(sizes, seed):
    """nn.Linear layers holding peer_common.dense_stack's weights."""
    return [linear(weight, bias) for weight, bias in common.dense_stack(sizes, seed)]


def mlp(sizes, activation, seed):
    modules = []
    layers = dense_layers(sizes, seed)
    for index, layer in enumerate(layers):
        modules.append(layer)
        if index < len(layers) - 1:
            modules.append(activation())
    return nn.Sequential(*modules)


# ----------------------------------------------------------------------------- workloads


def w1(arguments):
    x = torch.ones((), dtype=torch.float32, requires_grad=True)

    def chain():
        y = x
        for _ in range(common.CHAIN_LENGTH):
            y = y * 1.0001 + 0.0001
        return y

    def forward(k):
        for _ in range(k):
            chain()

    def backward(k):
        for _ in range(k):
            x.grad = None
            chain().backward()

    return [
        common.timed_result("W1.forward", "us/op", forward, arguments, common.CHAIN_OPS,
                            note="forward with autograd recording (x requires grad), per op"),
        common.timed_result("W1.backward", "us/op", backward, arguments, common.CHAIN_OPS,
                            note="forward + backward, per forward op"),
    ]


def classifier_step(sizes, activation, batch, classes, seed):
    model = mlp(sizes, activation, seed)
    x = tensor(common.sin_inputs(batch, sizes[0]))
    y = tensor(common.class_labels(batch, classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def run(k):
        for _ in range(k):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()

    return run


def w2(arguments):
    run = classifier_step(common.W2_SIZES, nn.Tanh, common.W2_BATCH, common.W2_CLASSES, seed=2)
    return [common.timed_result("W2", "steps/s", run, arguments)]


def w3(arguments):
    run = classifier_step(common.W3_SIZES, nn.ReLU, common.W3_BATCH, common.W3_CLASSES, seed=3)
    return [common.timed_result("W3", "steps/s", run, arguments)]


def w4(arguments):
    critic = mlp(common.W4_SIZES, nn.Tanh, seed=4)
    x = tensor(common.sin_inputs(common.W4_BATCH, common.W4_SIZES[0])).requires_grad_(True)
    optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)

    def run(k):
        for _ in range(k):
            optimizer.zero_grad()
            x.grad = None
            scores = critic(x)
            # Row i of the critic depends on x_i only, so the gradient of the sum is the
            # per-example input gradient.
            (gradient,) = torch.autograd.grad(scores.sum(), x, create_graph=True)
            penalty = ((gradient.norm(2, dim=1) - 1) ** 2).mean()
            loss = scores.mean() + 10 * penalty
            loss.backward()
            optimizer.step()

    return [common.timed_result("W4", "steps/s", run, arguments)]


class GradientReversal(torch.autograd.Function):
    @staticmethod
    def forward(context, x, scale):
        context.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(context, gradient):
        return -context.scale * gradient, None


def w5(arguments):
    features = nn.Sequential(*[module for layer in dense_layers(common.W5_FEATURES, seed=50) for module in (layer, nn.ReLU())])
    label_head = mlp(common.W5_LABEL, nn.ReLU, seed=51)
    domain_head = mlp(common.W5_DOMAIN, nn.ReLU, seed=52)
    n, d = common.W5_BATCH, common.W5_FEATURES[0]
    source = tensor(common.sin_inputs(n, d))
    target = tensor(common.cos_inputs(n, d))
    labels = tensor(common.class_labels(n, common.W5_CLASSES))
    domains = torch.cat([torch.zeros(n, 1), torch.ones(n, 1)])
    parameters = list(features.parameters()) + list(label_head.parameters()) + list(domain_head.parameters())
    optimizer = torch.optim.SGD(parameters, lr=0.01, momentum=0.9)

    def run(k):
        for _ in range(k):
            optimizer.zero_grad()
            encoded = features(torch.cat([source, target]))
            label_loss = F.cross_entropy(label_head(encoded[:n]), labels)
            domain_logits = domain_head(GradientReversal.apply(encoded, 1.0))
            domain_loss = F.binary_cross_entropy_with_logits(domain_logits, domains)
            (label_loss + domain_loss).backward()
            optimizer.step()

    return [common.timed_result("W5", "steps/s", run, arguments)]


def w9(arguments):
    """The DANN paper's MNIST network (peer_common's W9 constants), NCHW."""
    convolutions = []
    for weight, bias in common.w9_filters(seed=90):
        layer = nn.Conv2d(weight.shape[2], weight.shape[3], common.W9_WINDOW)
        with torch.no_grad():
            layer.weight.copy_(tensor(weight.transpose(3, 2, 0, 1)))  # HWIO -> OIHW
            layer.bias.copy_(tensor(bias))
        convolutions.append(layer)
    features = nn.Sequential(
        convolutions[0], nn.ReLU(), nn.MaxPool2d(2), convolutions[1], nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())

    def head(sizes, seed):
        # The first layer's rows come in NHWC flattening order (height, width, channel);
        # nn.Flatten of NCHW features gives (channel, height, width).
        stack = common.dense_stack(sizes, seed)
        side, channels = 4, common.W9_FILTERS[-1]
        first, bias = stack[0]
        first = first.reshape(side, side, channels, -1).transpose(2, 0, 1, 3).reshape(sizes[0], -1)
        layers = [linear(first, bias)] + [linear(weight, bias) for weight, bias in stack[1:]]
        modules = []
        for index, layer in enumerate(layers):
            modules.append(layer)
            if index < len(layers) - 1:
                modules.append(nn.ReLU())
        return nn.Sequential(*modules)

    label_head = head(common.W9_LABEL, seed=91)
    domain_head = head(common.W9_DOMAIN, seed=92)
    n = common.W9_BATCH
    source = tensor(common.w9_images(np.sin).transpose(0, 3, 1, 2))  # NHWC -> NCHW
    target = tensor(common.w9_images(np.cos).transpose(0, 3, 1, 2))
    labels = tensor(common.class_labels(n, common.W9_CLASSES))
    domains = torch.cat([torch.zeros(n, 1), torch.ones(n, 1)])
    parameters = list(features.parameters()) + list(label_head.parameters()) + list(domain_head.parameters())
    optimizer = torch.optim.SGD(parameters, lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad()
        encoded = features(torch.cat([source, target]))
        label_loss = F.cross_entropy(label_head(encoded[:n]), labels)
        domain_logits = domain_head(GradientReversal.apply(encoded, 1.0))
        domain_loss = F.binary_cross_entropy_with_logits(domain_logits, domains)
        loss = label_loss + domain_loss
        loss.backward()
        optimizer.step()
        return loss

    first_loss = step().item()

    def run(k):
        for _ in range(k):
            step()

    entry = common.timed_result("W9", "ms", run, arguments,
                                note=common.w9_loss_note(first_loss) + "; NCHW (PyTorch's native layout)")
    return [entry, common.w9_run_estimate(entry)]


def w6(arguments):
    size = common.MATMUL_N
    a = tensor(common.sin_inputs(size, size))
    b = tensor(common.cos_inputs(size, size))

    def run(k):
        for _ in range(k):
            torch.mm(a, b)

    return [common.timed_result("W6", "GFLOP/s", run, arguments, 2.0 * size ** 3)]


def w7(arguments):
    x = tensor(common.w7_inputs()).requires_grad_(True)

    def f():
        return (torch.exp(x) * x + 1).sum()

    def forward(k):
        for _ in range(k):
            f()

    def backward(k):
        for _ in range(k):
            x.grad = None
            f().backward()

    return [
        common.timed_result("W7.forward", "ms", forward, arguments,
                            note="forward with autograd recording (x requires grad)"),
        common.timed_result("W7.backward", "ms", backward, arguments),
    ]


def w8(arguments):
    source, labels, target, order = moons.data()
    # One [1, 2] tensor per example, made before timing (no data loading is timed).
    sources = [tensor(source[i:i + 1]) for i in range(moons.EXAMPLES)]
    targets = [tensor(target[order[i]:order[i] + 1]) for i in range(moons.EXAMPLES)]
    classes = [tensor(labels[i:i + 1]) for i in range(moons.EXAMPLES)]
    domains = torch.tensor([[0.0], [1.0]])
    weights = moons.initial_weights()

    def make_trainer():
        features = nn.Sequential(linear(*weights["features"]), nn.Sigmoid())
        label_head = linear(*weights["label"])
        domain_head = linear(*weights["domain"])
        parameters = list(features.parameters()) + list(label_head.parameters()) + list(domain_head.parameters())
        optimizer = torch.optim.SGD(parameters, lr=moons.LEARNING_RATE)
        position = [0]

        def step():
            i = position[0] % moons.EXAMPLES
            position[0] += 1
            optimizer.zero_grad()
            hidden = features(torch.cat([sources[i], targets[i]]))
            label_loss = F.cross_entropy(label_head(hidden[:1]), classes[i])
            domain_logits = domain_head(GradientReversal.apply(hidden, moons.REVERSAL_SCALE))
            domain_loss = F.binary_cross_entropy_with_logits(domain_logits, domains, reduction="sum")
            loss = label_loss + domain_loss
            loss.backward()
            optimizer.step()
            return loss

        def steps(k):
            for _ in range(k):
                step()

        def losses(k):
            return [step().item() for _ in range(k)]

        return steps, losses

    return moons.results(make_trainer, arguments)


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6, "W7": w7, "W8": w8, "W9": w9}


def backend():
    match = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    try:
        capability = torch.backends.cpu.get_cpu_capability()
    except AttributeError:
        capability = "?"
    return "cpu (BLAS %s, oneDNN %s, %s, kernels %s)" % (
        match.group(1) if match else "unknown",
        "yes" if torch.backends.mkldnn.is_available() else "no",
        "OpenMP" if torch.backends.openmp.is_available() else "no OpenMP",
        capability,
    )


def main():
    arguments = common.parse_arguments(__doc__.strip().splitlines()[0])
    torch.manual_seed(0)
    threads = torch.get_num_threads()
    environment = {name: os.environ[name] for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS") if name in os.environ}
    common.log("PyTorch %s eager, %s, %d intra-op threads (%d inter-op)%s"
               % (torch.__version__, backend(), threads, torch.get_num_interop_threads(),
                  ", environment %s" % environment if environment else ""))
    results = []
    for workload in arguments.workloads:
        common.log("%s:" % workload)
        results.extend(WORKLOADS[workload](arguments))
    memory = common.memory_result(arguments.workloads)
    if memory:
        results.append(memory)
    notes = [
        "eager PyTorch on CPU: nn.Linear layers, F.cross_entropy, torch.optim.Adam/SGD with their default implementations; no torch.compile",
        "W9: nn.Conv2d / nn.MaxPool2d / nn.Flatten in NCHW, PyTorch's native layout (Retrograd and JAX: NHWC)",
        "threads: PyTorch defaults (torch.get_num_threads() = %d intra-op, %d inter-op); %s"
        % (threads, torch.get_num_interop_threads(),
           "environment: %s" % environment if environment else "no OMP_NUM_THREADS/MKL_NUM_THREADS set"),
    ]
    if arguments.quick:
        notes.append("--quick: short repeats, a smoke test rather than a measurement")
    if arguments.json:
        payload = common.document(
            "pytorch", "eager", torch.__version__, backend(), threads, results, arguments,
            common.package_versions(["torch", "numpy"]), notes)
        payload["interop_threads"] = torch.get_num_interop_threads()
        common.write_json(arguments.json, payload)


if __name__ == "__main__":
    main()
