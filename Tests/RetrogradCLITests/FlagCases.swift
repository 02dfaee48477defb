/// One bad command line: the arguments (`@/` is the fixture directory), the exit status
/// (64: refused while reading the command line; 1: refused when the run starts, before any
/// training), and what the error line must mention — the flag or file, and what is accepted.
struct FlagCase: CustomStringConvertible, Sendable {
    var arguments: [String]
    var status: Int32
    var mentions: [String]

    var description: String { arguments.joined(separator: " ") }

    /// A value refused while reading the command line.
    static func usage(_ arguments: [String], _ mentions: String...) -> FlagCase {
        FlagCase(arguments: arguments, status: 64, mentions: mentions)
    }

    /// A value refused when the run starts (a file that cannot be read, a directory that
    /// holds no run), still before anything is trained or written.
    static func failure(_ arguments: [String], _ mentions: String...) -> FlagCase {
        FlagCase(arguments: arguments, status: 1, mentions: mentions)
    }
}

/// Every option of `retrograd dann` with values of the wrong kind, out of range, empty,
/// pointing nowhere or in conflict with other options.
let dannCases: [FlagCase] = {
    let files = ["--source", "@/source.csv", "--target", "@/target.csv"]
    var cases: [FlagCase] = [
        .usage(["dann", "--data", "cifar"], "--data", "moons", "digits", "mnist"),
        .usage(["dann", "--data", ""], "--data", "moons"),
        .usage(["dann", "--source", ""], "--source", "empty string"),
        .usage(["dann", "--source", "@/source.csv"], "--source", "--target"),
        .usage(["dann", "--target", "@/target.csv"], "--source", "--target"),
        .usage(["dann", "--target", ""], "--target", "empty string"),
        .usage(["dann", "--data", "moons"] + files, "--data", "--source"),
        .failure(["dann", "--source", "@/missing.csv", "--target", "@/target.csv", "--out", "@/never-1"], "missing.csv", "no such file"),
        .failure(["dann", "--source", "@/source.csv", "--target", "@/missing.npy", "--out", "@/never-2"], "missing.npy", "no such file"),
        .failure(["dann", "--source", "@/data.json", "--target", "@/target.csv", "--out", "@/never-3"], "data.json", ".csv", ".npy"),
        .failure(["dann", "--source", "@/dir.csv", "--target", "@/target.csv", "--out", "@/never-4"], "dir.csv", "directory"),
        .failure(["dann", "--source", "@/a-file", "--target", "@/target.csv", "--out", "@/never-5"], "a-file", "no extension"),
        .usage(["dann", "--data-dir", ""], "--data-dir", "empty string"),
        .usage(["dann", "--data-dir", "@/mnist"], "--data-dir", "--data mnist"),
        .usage(["dann", "--data", "mnist", "--data-dir", "@/no-such-dir"], "--data-dir", "no-such-dir", "no such directory"),
        .usage(["dann", "--data", "mnist", "--data-dir", "@/a-file"], "--data-dir", "a-file", "is a file"),
        .usage(["dann", "--data", "mnist", "--data-dir", "@/mnist", "--cache-dir", "@/cache"], "--data-dir", "--cache-dir"),
        .failure(["dann", "--data", "mnist", "--data-dir", "@/dir.csv", "--out", "@/never-9"],
                 "dir.csv", "has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte", "https://"),
        .failure(["dann", "--data", "mnist", "--data-dir", "@/broken-mnist", "--out", "@/never-10"],
                 "t10k-labels-idx1-ubyte", "truncated"),
        .usage(["dann", "--cache-dir", ""], "--cache-dir", "empty string"),
        .usage(["dann", "--data", "digits", "--cache-dir", "@/cache"], "--cache-dir", "--data mnist"),
        .usage(["dann", "--data", "mnist", "--cache-dir", "@/a-file"], "--cache-dir", "a-file", "not a directory"),
        .usage(["dann", "--data", "mnist", "--cache-dir", "/proc/retrograd-cache"], "--cache-dir", "/proc", "writable"),
        .usage(["dann", "--mirror", ""], "--mirror", "empty string"),
        .usage(["dann", "--mirror", "https://example.org/mnist/"], "--mirror", "--data mnist"),
        .usage(["dann", "--data", "mnist", "--mirror", "ftp://example.org/mnist/"], "--mirror", "https://", "ftp://example.org/mnist/"),
        .usage(["dann", "--data", "mnist", "--mirror", "mirror.example.org"], "--mirror", "http://", "mirror.example.org"),
        .usage(["dann", "--data", "mnist", "--data-dir", "@/mnist", "--mirror", "https://example.org/"], "--data-dir", "--mirror"),
        .usage(["dann", "--backgrounds", ""], "--backgrounds", "empty string"),
        .usage(["dann", "--backgrounds", "@/a-directory"], "--backgrounds", "--data mnist"),
        .usage(["dann", "--data", "mnist", "--backgrounds", "@/no-such-dir"], "--backgrounds", "no-such-dir", "no such directory"),
        .failure(["dann", "--data", "mnist", "--data-dir", "@/mnist", "--backgrounds", "@/a-directory", "--out", "@/never-12"],
                 "a-directory", "no background image", ".ppm", "generated textures"),
        .usage(["dann", "--limit", "some"], "--limit", "whole number"),
        .usage(["dann", "--limit", ""], "--limit", "whole number"),
        .usage(["dann", "--limit", "10"], "--limit", "--data mnist"),
        .usage(["dann", "--data", "mnist", "--limit", "0"], "--limit", "≥ 1", "0"),
        .usage(["dann", "--data", "mnist", "--limit=-5"], "--limit", "≥ 1", "-5"),
        .usage(["dann", "--resume", "@/existing-run", "--limit", "5", "--data-dir", "@/mnist"], "--resume", "--limit", "--data-dir"),
        .usage(["dann", "--label-column", ""], "--label-column", "empty string"),
        .usage(["dann", "--label-column", "label"], "--label-column", "--source/--target"),
        .failure(["dann", "--label-column", "species", "--out", "@/never-6"] + files, "source.csv", "species", "label column"),
        .failure(["dann", "--label-column", "7", "--out", "@/never-7"] + files, "source.csv", "index 7", "3 columns"),
        .usage(["dann", "--header"], "--header", "--source/--target"),
        .usage(["dann", "--no-header", "--data", "digits"], "--no-header", "--source/--target"),
        .usage(["dann", "--header=yes"] + files, "--header", "does not take any value"),
        .usage(["dann", "--header", "--no-header"] + files, "--header", "--no-header"),
        .usage(["dann", "--no-header", "--label-column", "label"] + files, "--no-header", "--label-column", "index"),
        .failure(["dann", "--no-header", "--out", "@/never-8"] + files, "source.csv", "line 1", "--header"),
        .usage(["dann", "--angle", "north"], "--angle", "number"),
        .usage(["dann", "--angle", "nan"], "--angle", "finite"),
        .usage(["dann", "--angle", "inf"], "--angle", "finite"),
        .usage(["dann", "--angle", ""], "--angle", "number"),
        .usage(["dann", "--data", "digits", "--angle", "10"], "--angle", "moons"),
        .usage(["dann", "--angle", "10"] + files, "--angle", "moons"),
        .usage(["dann", "--noise", "loud"], "--noise", "number"),
        .usage(["dann", "--noise=-0.1"], "--noise", "≥ 0", "-0.1"),
        .usage(["dann", "--noise", "nan"], "--noise", "≥ 0"),
        .usage(["dann", "--noise", "inf"], "--noise", "finite"),
        .usage(["dann", "--data", "digits", "--noise", "0.05"], "--noise", "moons"),
        .usage(["dann", "--model", "resnet"], "--model", "mlp", "cnn"),
        .usage(["dann", "--model", "cnn"], "--model cnn", "--data moons", "--model mlp"),
        .usage(["dann", "--data", "moons", "--model", "cnn"], "--model cnn", "images", "--data digits"),
        .usage(["dann", "--model", "cnn"] + files, "--model cnn", "--source/--target files", "--model mlp"),
        .usage(["dann", "--resume", "@/existing-run", "--model", "cnn"], "--resume", "--model"),
        .usage(["dann", "--noise", "0.05"] + files, "--noise", "moons"),
        .usage(["dann", "--protocol", "ganin"], "--protocol", "default", "paper"),
        .usage(["dann", "--protocol", ""], "--protocol", "paper"),
        .usage(["dann", "--protocol", "paper", "--data", "digits"], "--protocol paper", "moons", "--data digits"),
        .usage(["dann", "--protocol", "paper", "--data", "mnist"], "--protocol paper", "moons", "--data mnist"),
        .usage(["dann", "--protocol", "paper"] + files, "--protocol paper", "moons", "--source/--target"),
        .usage(["dann", "--domain-loss", "max"], "--domain-loss", "mean", "sum"),
        .usage(["dann", "--domain-loss", ""], "--domain-loss", "sum"),
        .usage(["dann", "--domain-head-init", "ones"], "--domain-head-init", "glorot-uniform", "zeros"),
        .usage(["dann", "--domain-head-init", ""], "--domain-head-init", "zeros"),
        .usage(["dann", "--mode", "adversarial"], "--mode", "dann", "source-only", "both"),
        .usage(["dann", "--mode", ""], "--mode", "both"),
        .usage(["dann", "--hidden", ""], "--hidden", "from 1", "128,64"),
        .usage(["dann", "--hidden", "wide"], "--hidden", "128,64"),
        .usage(["dann", "--hidden", "0"], "--hidden", "from 1"),
        .usage(["dann", "--hidden", "64,,32"], "--hidden", "64,,32"),
        .usage(["dann", "--hidden=-4"], "--hidden", "-4"),
        .usage(["dann", "--hidden", "12.5"], "--hidden", "12.5"),
        .usage(["dann", "--hidden", "1000000"], "--hidden", "100000"),
        .usage(["dann", "--hidden", "99999999999999999999"], "--hidden"),
        .usage(["dann", "--seed", "lucky"], "--seed", "0 to 18446744073709551615"),
        .usage(["dann", "--seed=-1"], "--seed", "0 to 18446744073709551615"),
        .usage(["dann", "--seed", "18446744073709551616"], "--seed", "18446744073709551615"),
        .usage(["dann", "--seed", "1.5"], "--seed", "whole number"),
        .usage(["dann", "--seed", "-1"], "--seed", "--seed=-1"),
        .usage(["dann", "--out", ""], "--out", "empty string"),
        .usage(["dann", "--out", "@/a-file"], "--out", "a-file", "not a directory"),
        .usage(["dann", "--out", "@/a-file/run"], "--out", "a-file", "not a directory"),
        .usage(["dann", "--out", "/proc/retrograd-run"], "--out", "/proc", "writable"),
        .failure(["dann", "--out", "@/existing-run"], "existing-run", "already holds a run", "--resume"),
        .usage(["dann", "--resume", ""], "--resume", "empty string"),
        .usage(["dann", "--resume", "@/no-such-run"], "--resume", "no-such-run", "no such directory"),
        .usage(["dann", "--resume", "@/a-file"], "--resume", "a-file", "is a file"),
        .failure(["dann", "--resume", "@/not-a-run"], "not-a-run", "no run to resume"),
        .usage(["dann", "--resume", "@/existing-run", "--epochs", "3"], "--resume", "--epochs"),
        .usage(["dann", "--resume", "@/existing-run", "--out", "@/x", "--data", "moons"], "--resume", "--data", "--out"),
        .usage(["dann", "--resume", "@/existing-run", "--seed", "2", "--lr", "0.1"], "--resume", "--lr", "--seed"),
        .usage(["dann", "--resume", "@/existing-run"] + files, "--resume", "--source", "--target"),
        .usage(["dann", "--resume", "@/existing-run", "--no-header"], "--resume", "--no-header"),
        .usage(["dann", "--resume", "@/existing-run", "--protocol", "paper", "--noise", "0.1"], "--resume", "--protocol", "--noise"),
        .usage(["dann", "--resume", "@/existing-run", "--domain-loss", "sum", "--domain-head-init", "zeros"],
               "--resume", "--domain-loss", "--domain-head-init"),
        .usage(["dann", "--dump-graph", ""], "--dump-graph", "empty string"),
        .usage(["dann", "--dump-graph", "@/dir.csv"], "--dump-graph", "dir.csv", "is a directory"),
        .usage(["dann", "--dump-graph", "@/no-such-dir/step.dot"], "--dump-graph", "no-such-dir", "does not exist"),
        .usage(["dann", "--dump-graph", "@/a-file/step.dot"], "--dump-graph", "a-file", "not a directory"),
        .usage(["dann", "--dump-graph", "/proc/step.dot"], "--dump-graph", "/proc", "writable"),
        .usage(["dann", "--bogus"], "--bogus", "retrograd dann --help"),
        .usage(["dann", "extra"], "extra", "retrograd dann --help"),
    ]
    // The numeric options, each with values of every wrong kind.
    let numbers: [(flag: String, bad: [String], accepted: String)] = [
        ("--epochs", ["0", "1.5", "=-5", "1000001"], "1000000"),
        ("--batch-size", ["0", "=-1", "2.5"], "positive"),
        ("--lambda", ["=-1", "nan", "inf"], "≥ 0"),
        ("--lambda-gamma", ["=-0.5", "inf"], "≥ 0"),
        ("--lr", ["0", "=-0.1", "nan", "inf"], "positive"),
        ("--annealing-alpha", ["=-1", "nan"], "≥ 0"),
        ("--annealing-beta", ["=-1", "inf"], "≥ 0"),
        ("--momentum", ["1", "1.5", "=-0.1", "nan"], "[0, 1)"),
    ]
    for (flag, bad, accepted) in numbers {
        let kind = flag == "--epochs" || flag == "--batch-size" ? "whole number" : "number"
        cases.append(.usage(["dann", flag, "many"], flag, kind))
        cases.append(.usage(["dann", flag, ""], flag, kind))
        cases.append(.usage(["dann", flag], flag, "Missing value"))
        cases.append(.usage(["dann", flag, "-3"], flag, "\(flag)=-3"))
        for value in bad {
            let arguments = value.hasPrefix("=") ? ["dann", flag + value] : ["dann", flag, value]
            let shown = value.hasPrefix("=") ? String(value.dropFirst()) : value
            // A whole number for a decimal option is refused by its range, like a decimal.
            let rule = kind == "whole number" && value.contains(".") ? "whole number" : accepted
            cases.append(.usage(arguments, flag, rule, shown))
        }
    }
    cases.append(.usage(["dann", "--epochs", "99999999999999999999"], "--epochs", "too large", "9223372036854775807"))
    return cases
}()

/// Every option of `retrograd train`.
let trainCases: [FlagCase] = [
    .usage(["train", "--samples", "many"], "--samples", "whole number"),
    .usage(["train", "--samples", "5"], "--samples", "10 to 10000000"),
    .usage(["train", "--samples=-1"], "--samples", "10 to 10000000"),
    .usage(["train", "--samples", "100000000000"], "--samples", "10000000"),
    .usage(["train", "--samples", ""], "--samples", "whole number"),
    .usage(["train", "--noise", "loud"], "--noise", "number"),
    .usage(["train", "--noise=-0.1"], "--noise", "≥ 0"),
    .usage(["train", "--noise", "nan"], "--noise", "≥ 0"),
    .usage(["train", "--noise", "inf"], "--noise", "finite"),
    .usage(["train", "--epochs", "x"], "--epochs", "whole number"),
    .usage(["train", "--epochs", "0"], "--epochs", "1 to 1000000"),
    .usage(["train", "--epochs", "9223372036854775807"], "--epochs", "1000000"),
    .usage(["train", "--epochs", "-2"], "--epochs", "--epochs=-2"),
    .usage(["train", "--batch-size", "x"], "--batch-size", "whole number"),
    .usage(["train", "--batch-size", "0"], "--batch-size", "positive"),
    .usage(["train", "--batch-size=-8"], "--batch-size", "positive"),
    .usage(["train", "--hidden", "x"], "--hidden", "whole number"),
    .usage(["train", "--hidden", "0"], "--hidden", "1 to 4096"),
    .usage(["train", "--hidden", "100000"], "--hidden", "4096"),
    .usage(["train", "--optimizer", "rmsprop"], "--optimizer", "adam", "sgd"),
    .usage(["train", "--optimizer", ""], "--optimizer", "adam"),
    .usage(["train", "--lr", "fast"], "--lr", "number"),
    .usage(["train", "--lr", "0"], "--lr", "> 0"),
    .usage(["train", "--lr=-1"], "--lr", "> 0"),
    .usage(["train", "--lr", "nan"], "--lr", "> 0"),
    .usage(["train", "--lr", "inf"], "--lr", "finite"),
    .usage(["train", "--seed", "x"], "--seed", "0 to 18446744073709551615"),
    .usage(["train", "--seed=-3"], "--seed", "0 to"),
    .usage(["train", "--checkpoint", ""], "--checkpoint", "empty string"),
    .usage(["train", "--checkpoint", "@/no-such-dir/model.safetensors"], "--checkpoint", "no-such-dir", "does not exist"),
    .usage(["train", "--checkpoint", "@/a-directory"], "--checkpoint", "a-directory", "is a directory"),
    .usage(["train", "--checkpoint", "@/a-file/model.safetensors"], "--checkpoint", "a-file", "not a directory"),
    .usage(["train", "--checkpoint", "/proc/model.safetensors"], "--checkpoint", "/proc", "writable"),
    .usage(["train", "--bogus", "1"], "--bogus", "retrograd train --help"),
]

/// Every option of `retrograd gradcheck` and `retrograd bench` (whose checks all run
/// before any timing starts), and the top-level command.
let otherCases: [FlagCase] = [
    .usage(["gradcheck", "--filter", ""], "--filter", "empty string"),
    .usage(["gradcheck", "--filter", "no-such-op"], "--filter", "no-such-op"),
    .usage(["gradcheck", "--filter"], "--filter", "Missing value"),
    .usage(["gradcheck", "--order", "3"], "--order", "'1'", "'2'"),
    .usage(["gradcheck", "--order", "0"], "--order", "'1'"),
    .usage(["gradcheck", "--order", "first"], "--order", "'1'"),
    .usage(["gradcheck", "--order", ""], "--order", "'2'"),
    .usage(["gradcheck", "--mode", "sideways"], "--mode", "'reverse'", "'forward'"),
    .usage(["gradcheck", "--mode", "Forward"], "--mode", "'forward'"),
    .usage(["gradcheck", "--mode", ""], "--mode", "'reverse'"),
    .usage(["gradcheck", "--mode"], "--mode", "Missing value"),
    .usage(["bench", "--workload", "W10"], "--workload", "W10", "W1–W9"),
    .usage(["bench", "--workload", ""], "--workload", "W1–W9"),
    .usage(["bench", "--workload", ","], "--workload", "W1–W9"),
    .usage(["bench", "--workload", "W1;W2"], "--workload", "W1;W2"),
    .usage(["bench", "--repeats", "x"], "--repeats", "whole number"),
    .usage(["bench", "--repeats", "0"], "--repeats", "1 to 1000"),
    .usage(["bench", "--repeats", "1001"], "--repeats", "1 to 1000"),
    .usage(["bench", "--repeats=-1"], "--repeats", "1 to 1000"),
    .usage(["bench", "--json", ""], "--json", "empty string"),
    .usage(["bench", "--json", "@/no-such-dir/out.json"], "--json", "no-such-dir", "does not exist"),
    .usage(["bench", "--json", "@/a-directory"], "--json", "a-directory", "is a directory"),
    .usage(["bench", "--json", "/proc/bench.json"], "--json", "/proc", "writable"),
    .usage(["bench", "--quick=yes"], "--quick", "retrograd bench --help"),
    .usage(["bench", "--quick", "--repeats", "0"], "--repeats"),
    .usage(["--bogus"], "--bogus", "retrograd --help"),
    .usage(["frobnicate"], "frobnicate", "retrograd --help"),
]
