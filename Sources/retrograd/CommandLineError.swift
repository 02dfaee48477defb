import ArgumentParser

/// The one line `retrograd` prints to standard error when it stops with an error.
///
/// For a bad command line (exit status 64) the line is the message, a hint when a
/// negative number was taken for an option, and a pointer to the subcommand's `--help`.
/// The message is ArgumentParser's `message(for:)`, which for our own errors is our own
/// text: `ValidationError`s thrown by `validate()` come back as their message, and the
/// ``ArgumentValueError``s thrown by the `transform:` readers come back after
/// "The value 'x' is invalid for '--flag <flag>':". The rest of the line is built from the
/// arguments and the command table, not read out of ArgumentParser's help text.
enum CommandLineError {
    /// `Error: ` and `message`, on one line.
    static func line(message: String) -> String {
        "Error: " + message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The line for a bad command line: `message`, the negative-number hint if it applies,
    /// and where to read about the options.
    static func usageLine(message: String, arguments: [String]) -> String {
        var parts = [line(message: message)]
        if let hint = negativeValueHint(message: message, arguments: arguments) { parts.append(hint) }
        parts.append("See '\(commandPath(arguments: arguments)) --help' for more information.")
        return parts.map(sentence).joined(separator: " ")
    }

    /// `retrograd` and the subcommand that `arguments` name first, if any: the command
    /// whose options the arguments are read against.
    static func commandPath(arguments: [String]) -> String {
        let root = RetrogradCommand.configuration.commandName ?? "retrograd"
        let names = RetrogradCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard let first = arguments.first, names.contains(first) else { return root }
        return root + " " + first
    }

    /// After `--epochs -5`, ArgumentParser reads -5 as an option and reports that
    /// `--epochs` has no value: the hint says how to pass it.
    ///
    /// The flag and the value come from `arguments`. Whether ArgumentParser's error is the
    /// missing value is the one thing read from its text: it throws that error as an
    /// internal type, so its public API offers only the message (version 1.8.2).
    static func negativeValueHint(message: String, arguments: [String]) -> String? {
        for (flag, value) in zip(arguments, arguments.dropFirst()) where flag.hasPrefix("--") && isNegativeNumber(value) {
            let missingValue = "Missing value for '\(flag)"
            guard message.hasPrefix(missingValue + " ") || message.hasPrefix(missingValue + "'") else { continue }
            return "(\(value) was read as an option; to pass a value that starts with '-', write \(flag)=\(value).)"
        }
        return nil
    }

    /// Whether `text` starts like a negative number: `-5`, `-0.1`, `-.5`.
    private static func isNegativeNumber(_ text: String) -> Bool {
        text.hasPrefix("-") && text.dropFirst().first.map { $0.isNumber || $0 == "." } == true
    }

    /// `text` ending in a full stop, unless it already ends a sentence.
    private static func sentence(_ text: String) -> String {
        [".", "!", "?", ".)"].contains(where: text.hasSuffix) ? text : text + "."
    }
}
