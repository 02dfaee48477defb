/// The one line `retrograd` prints to standard error when it stops with an error.
enum CommandLineError {
    /// `Error: ` and `message`, on one line.
    static func line(message: String) -> String {
        let text = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.hasPrefix("Error:") ? text : "Error: " + text
    }

    /// The line for a bad command line: ArgumentParser's `message`, a hint when a value that
    /// starts with '-' was taken for an option, the option's help line and the pointer to
    /// `--help`, both taken from ArgumentParser's `fullMessage` (its usage lines are left out).
    static func line(message: String, fullMessage: String, arguments: [String]) -> String {
        var parts = [line(message: message)]
        if let hint = negativeValueHint(message: message, arguments: arguments) { parts.append(hint) }
        let lines = fullMessage.split(separator: "\n").map { oneLine(String($0)) }
        if let help = lines.first(where: { $0.hasPrefix("Help:") }) { parts.append(help) }
        if let pointer = lines.first(where: { $0.hasPrefix("See '") }) { parts.append(pointer) }
        return parts.map(sentence).joined(separator: " ")
    }

    /// `text` ending in a full stop, unless it already ends a sentence.
    private static func sentence(_ text: String) -> String {
        [".", "!", "?", ".)"].contains(where: text.hasSuffix) ? text : text + "."
    }

    /// "Missing value for '--epochs <epochs>'" after `--epochs -5` means the -5 was read as
    /// an option: say how to pass it.
    static func negativeValueHint(message: String, arguments: [String]) -> String? {
        guard message.hasPrefix("Missing value for '--") else { return nil }
        let flag = message.dropFirst("Missing value for '".count).prefix { $0 != " " && $0 != "'" }
        guard let position = arguments.firstIndex(of: String(flag)), position + 1 < arguments.count else { return nil }
        let next = arguments[position + 1]
        guard next.hasPrefix("-"), next.dropFirst().first.map({ $0.isNumber || $0 == "." }) == true else { return nil }
        return "(\(next) was read as an option; to pass a value that starts with '-', write \(flag)=\(next).)"
    }

    /// `text` with line breaks and runs of spaces collapsed to single spaces (for
    /// ArgumentParser's help lines, which align columns with spaces).
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
