// The recorded tape as a Graphviz DOT graph.

extension GradientTape {
    /// The ops this tape recorded, as a Graphviz DOT graph (`dot -Tsvg tape.dot`).
    ///
    /// - Watched sources are ellipses (blue), labelled with the variable's name.
    /// - Recorded ops are boxes labelled `#position name`; ``gradientReversal(_:scale:)``
    ///   is orange and bold, other custom gradients are purple.
    /// - `stopGradient` is a red dashed octagon with its call site; ops without a
    ///   gradient (comparisons, casts to int32 or bool, argmax, argmin) are grey dashed
    ///   diamonds. Ops on values past such a cut are grey and dashed, and so are the
    ///   edges that carry such values: no gradient flows along them.
    /// - Each entry of `outputs` becomes a note pointing at the op that produced it.
    ///
    /// Output shapes and variable names appear when the tape was made with
    /// `keepingGraphDetails: true`.
    ///
    /// - Throws: ``TapeError/recordsReleased`` when a non-persistent tape has already
    ///   answered its gradient request and released its records; ask before `gradient`.
    public func graphviz(outputs: [String: Tensor] = [:]) throws -> String {
        if consumed { throw TapeError.recordsReleased }
        var producer: [Slot: String] = [:]
        for (index, record) in records.enumerated() { producer[.tracked(record.output)] = "op\(index)" }
        for index in flow.cuts.indices { producer[.cut(Int32(index))] = "cut\(index)" }

        var lines = [
            "digraph tape {",
            "  label=\"Retrograd tape: \(records.count) recorded ops, \(flow.cuts.count) cut or past a cut\";",
            "  labelloc=t;",
            "  node [fontname=\"Helvetica\", fontsize=10];",
            "  edge [color=\"#555555\"];",
        ]
        for index in 0..<trackedCount where producer[.tracked(index)] == nil {
            producer[.tracked(index)] = "s\(index)"
            let name = flow.names[index] ?? "watched value"
            let label = quoted(name, shape: flow.shapes[.tracked(index)])
            lines.append("  s\(index) [label=\(label), shape=ellipse, style=filled, fillcolor=\"#cfe2f3\"];")
        }

        var edges: [String] = []
        func connect(_ inputs: RecordInputs, to node: String) {
            for input in inputs.all {
                guard let from = producer[input] else { continue }
                let isCut = if case .cut = input { true } else { false }
                edges.append("  \(from) -> \(node)" + (isCut ? " [style=dashed, color=\"#999999\"];" : ";"))
            }
        }
        var nextCut = 0
        func emitCuts(upTo position: Int) {
            while nextCut < flow.cuts.count && flow.cuts[nextCut].position <= position {
                let cut = flow.cuts[nextCut]
                lines.append("  cut\(nextCut) [\(cutAttributes(cut))];")
                connect(cut.inputs, to: "cut\(nextCut)")
                nextCut += 1
            }
        }
        for (index, record) in records.enumerated() {
            emitCuts(upTo: index)
            let label = quoted("#\(index) \(record.op.name)", shape: flow.shapes[.tracked(record.output)])
            lines.append("  op\(index) [label=\(label), \(opStyle(record.op))];")
            connect(record.inputs, to: "op\(index)")
        }
        emitCuts(upTo: Int.max)

        for (index, (name, tensor)) in outputs.sorted(by: { $0.key < $1.key }).enumerated() {
            lines.append("  out\(index) [label=\(quoted(name, shape: tensor.shape)), shape=note, style=filled, fillcolor=\"#fff2cc\"];")
            if let from = producer[slot(of: tensor.id)] { edges.append("  \(from) -> out\(index) [style=bold];") }
        }
        return (lines + edges + ["}"]).joined(separator: "\n") + "\n"
    }

    private func opStyle(_ op: Primitive) -> String {
        guard case let .custom(custom) = op else { return "shape=box" }
        if custom.name == "gradientReversal" {
            return "shape=box, style=\"filled,bold\", fillcolor=\"#fce5cd\", color=\"#e69138\""
        }
        return "shape=box, style=filled, fillcolor=\"#d9d2e9\""
    }

    private func cutAttributes(_ cut: CutRecord) -> String {
        switch cut.op {
        case let .stopGradient(file, line):
            return "label=\(quoted("stopGradient\n\(file):\(line)", shape: cut.shape)), shape=octagon, "
                + "style=\"dashed,filled\", fillcolor=\"#f4cccc\", color=\"#cc0000\""
        case .derived:
            return "label=\(quoted(cut.op.name, shape: cut.shape)), shape=box, style=dashed, color=\"#999999\", fontcolor=\"#777777\""
        case .compare, .cast, .argmax, .argmin:
            return "label=\(quoted(cut.op.name, shape: cut.shape)), shape=diamond, "
                + "style=\"dashed,filled\", fillcolor=\"#eeeeee\", color=\"#666666\""
        }
    }

    /// A DOT string literal for a label and an optional shape line.
    private func quoted(_ text: String, shape: Shape?) -> String {
        let full = shape.map { text + "\n\($0)" } ?? text
        var escaped = ""
        for character in full {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }
}
