/// Text formatting shared by everything that writes SVG: escaping and compact numbers.
///
/// Both are pure functions of their input, so the same plot always produces the same bytes.
enum SVGFormat {
    /// `text` made safe for XML character data and attribute values.
    ///
    /// The five markup characters become entities, and characters XML 1.0 does not allow
    /// at all (C0 controls other than tab, newline and carriage return, and the
    /// non-characters U+FFFE/U+FFFF) are dropped, so a stray control byte in a series name
    /// cannot make the document unreadable.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `value` rounded to `decimals` places, without trailing zeros, a trailing point, or
    /// a negative zero: `3.0` → `"3"`, `-0.001` → `"0"`, `2.50` → `"2.5"`.
    ///
    /// Non-finite values are written as `"0"` (callers filter them out before drawing;
    /// this only keeps a mistake from producing invalid SVG). Magnitudes beyond 10¹⁵ are
    /// clamped, which no pixel coordinate reaches.
    static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        let places = Swift.max(0, Swift.min(decimals, 9))
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let clamped = Swift.min(Swift.max(value, -1e15), 1e15)
        let scaled = (clamped * Double(scale)).rounded()
        guard abs(scaled) < 9e18 else { return String(Int64(clamped.rounded())) }
        let units = Int64(scaled)
        if units == 0 { return "0" }
        let magnitude = units.magnitude
        let whole = magnitude / UInt64(scale)
        var fraction = magnitude % UInt64(scale)
        var text = (units < 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = places
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }
}

/// Builds one SVG document element by element, in the order they are written.
///
/// Attribute order is the order given, and numbers go through `SVGFormat.number`, so
/// output is byte-for-byte deterministic.
struct SVGWriter {
    /// One attribute: a name and an already formatted, unescaped value.
    typealias Attribute = (name: String, value: String)

    private var lines: [String] = []
    private var openElements: [String] = []
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    private static func tag(_ name: String, _ attributes: [Attribute]) -> String {
        var text = "<" + name
        for attribute in attributes {
            text += " " + attribute.name + "=\"" + SVGFormat.escape(attribute.value) + "\""
        }
        return text
    }

    /// Writes an element with no children, or with `text` as its only content.
    mutating func element(_ name: String, _ attributes: [Attribute], text: String? = nil) {
        let start = Self.tag(name, attributes)
        if let text {
            lines.append(start + ">" + SVGFormat.escape(text) + "</" + name + ">")
        } else {
            lines.append(start + "/>")
        }
    }

    /// Opens an element whose children follow until the matching `close()`.
    mutating func open(_ name: String, _ attributes: [Attribute] = []) {
        lines.append(Self.tag(name, attributes) + ">")
        openElements.append(name)
    }

    /// Closes the innermost element opened with `open`.
    mutating func close() {
        guard let name = openElements.popLast() else {
            preconditionFailed("SVGWriter.close(): no open element")
        }
        lines.append("</" + name + ">")
    }

    /// The complete document: XML declaration, the `svg` root, and what was written.
    func document() -> String {
        checkPrecondition(openElements.isEmpty, "SVGWriter.document(): elements left open: \(openElements)")
        let w = SVGFormat.number(width), h = SVGFormat.number(height)
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" "
        text += "viewBox=\"0 0 \(w) \(h)\" font-family=\"\(PlotStyle.fontFamily)\" font-size=\"\(SVGFormat.number(PlotStyle.fontSize))\">\n"
        for line in lines {
            text += line
            text += "\n"
        }
        text += "</svg>\n"
        return text
    }
}

/// Formats numbers as SVG attribute values; a shorthand used by the drawing code.
@inline(__always)
func svgNumber(_ value: Double) -> String { SVGFormat.number(value) }
