/// The fixed, colour-blind-friendly palette every plot draws from.
///
/// These are the Okabe–Ito colours (Okabe & Ito, *Color Universal Design*, 2008), in an
/// order where neighbours stay distinct under the common colour-vision deficiencies. Their
/// yellow is left out because it is too light for lines on white. Series that do not name a
/// colour take the palette in this order by their position, wrapping around after `black`.
public enum PlotColor: Int, CaseIterable, Sendable {
    /// Blue, `#0072B2`. Also the colour of class 0 in a decision map.
    case blue
    /// Vermillion, `#D55E00`. Also the colour of class 1 in a decision map.
    case vermillion
    /// Bluish green, `#009E73`.
    case green
    /// Reddish purple, `#CC79A7`.
    case purple
    /// Orange, `#E69F00`.
    case orange
    /// Sky blue, `#56B4E9`.
    case skyBlue
    /// Black, `#000000`.
    case black

    /// The colour as an SVG hex string.
    var hex: String { Self.rgb(self).hex }

    static func rgb(_ color: PlotColor) -> RGB {
        switch color {
        case .blue: RGB(0x00, 0x72, 0xB2)
        case .vermillion: RGB(0xD5, 0x5E, 0x00)
        case .green: RGB(0x00, 0x9E, 0x73)
        case .purple: RGB(0xCC, 0x79, 0xA7)
        case .orange: RGB(0xE6, 0x9F, 0x00)
        case .skyBlue: RGB(0x56, 0xB4, 0xE9)
        case .black: RGB(0x00, 0x00, 0x00)
        }
    }

    /// The colour a series at `position` takes when it names none.
    static func automatic(_ position: Int) -> PlotColor {
        allCases[position % allCases.count]
    }
}

/// How a scatter plot marks a point.
public enum MarkerShape: Sendable, Hashable {
    /// A filled circle; the convention for source-domain points.
    case circle
    /// A filled upward triangle; the convention for target-domain points.
    case triangle
    /// A filled square.
    case square
    /// A diagonal cross (×), drawn with strokes only.
    case cross
}

/// An 8-bit RGB colour, for blending the decision map's cells.
struct RGB: Equatable {
    var red: Int, green: Int, blue: Int

    init(_ red: Int, _ green: Int, _ blue: Int) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb`.
    var hex: String {
        let digits = Array("0123456789ABCDEF")
        var text = "#"
        for component in [red, green, blue] {
            let c = Swift.min(Swift.max(component, 0), 255)
            text.append(digits[c / 16])
            text.append(digits[c % 16])
        }
        return text
    }

    /// The colour a fraction `t` (0…1) of the way from `self` to `other`, rounded.
    func mixed(with other: RGB, _ t: Double) -> RGB {
        func lerp(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGB(lerp(red, other.red), lerp(green, other.green), lerp(blue, other.blue))
    }

    static let white = RGB(255, 255, 255)
}

/// Sizes, fonts and neutral colours shared by all plots.
enum PlotStyle {
    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
    static let fontSize = 12.0
    static let titleFontSize = 14.0
    /// Width of an average character at `fontSize`, for laying out labels without a font
    /// engine. Errs on the wide side so estimated boxes contain the real text.
    static let characterWidth = 7.0

    static let textColor = "#222222"
    static let axisColor = "#555555"
    static let gridColor = "#E6E6E6"
    static let contourColor = "#222222"

    static let lineWidth = 2.0
    static let dashPattern = "6 4"
    static let markerRadius = 3.5

    /// The estimated width of `text` at `fontSize`.
    static func textWidth(_ text: String, fontSize: Double = fontSize) -> Double {
        Double(text.count) * characterWidth * fontSize / Self.fontSize
    }
}
