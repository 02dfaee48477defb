import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of a parsed SVG document, for checking plots' structure in tests.
final class SVGNode {
    let name: String
    let attributes: [String: String]
    var children: [SVGNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and everything below it, in document order.
    var descendants: [SVGNode] { [self] + children.flatMap(\.descendants) }

    /// The elements below (or at) this one with the given tag and, if given, class.
    func all(_ name: String, class className: String? = nil) -> [SVGNode] {
        descendants.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }
    }

    /// The one element with the given tag and class; `nil` if there is none or several.
    func one(_ name: String, class className: String) -> SVGNode? {
        let found = all(name, class: className)
        return found.count == 1 ? found[0] : nil
    }

    /// A numeric attribute.
    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

/// Parses `svg` with Foundation's `XMLParser`; `nil` when the document is not well-formed.
func parseSVG(_ svg: String) -> SVGNode? {
    final class Builder: NSObject, XMLParserDelegate {
        var stack: [SVGNode] = []
        var root: SVGNode?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = SVGNode(name: elementName, attributes: attributeDict)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let builder = Builder()
    parser.delegate = builder
    guard parser.parse(), builder.stack.isEmpty else { return nil }
    return builder.root
}
