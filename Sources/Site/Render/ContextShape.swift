import Foundation

/// One walk over a context, in a fixed order (dictionary keys sorted): its shape as bytes,
/// its non-empty strings in that order and, when asked, the skeleton context whose string
/// number `k` is the sentinel `k`. The types are those `RenderStep` and the handout build;
/// any other (an optional, a `Double`, an object: something mustache might read otherwise)
/// is refused. So is a string holding a noncharacter U+FDD0…U+FDEF, the sentinels' own
/// characters: strings never reach mustache here, but such a page is rare enough to leave
/// it to mustache rather than reason about it.
struct ContextShape {
    var key: [UInt8] = []
    var values: [ShapeValue] = []
    let buildSkeleton: Bool

    init(buildSkeleton: Bool) {
        self.buildSkeleton = buildSkeleton
        key.reserveCapacity(2048)
    }

    /// `value`'s skeleton (`value` itself when not building one), nil when refused.
    mutating func visit(_ value: Any) -> Any? {
        let type = type(of: value)
        if type == String.self {
            let string = value as! String
            if string.isEmpty { key.append(0x65); return string }
            guard !Self.hasNoncharacter(string) else { return nil }
            key.append(0x73)
            values.append(.text(string))
            return buildSkeleton ? Self.sentinel(values.count - 1) : string
        }
        if type == HTMLBytes.self {
            // Rendered HTML, written as the String it stands for would be.
            let html = value as! HTMLBytes
            if html.bytes.isEmpty { key.append(0x65); return buildSkeleton ? "" : html }
            guard html.bytes.withUnsafeBytes({ ShapeCompiler.Compiled.nextNoncharacter(in: $0, from: 0) }) == nil else { return nil }
            key.append(0x73)
            values.append(.html(html.bytes))
            return buildSkeleton ? Self.sentinel(values.count - 1) : html
        }
        if type == Bool.self { key.append(value as! Bool ? 0x54 : 0x46); return value }
        if type == Int.self { key.append(0x69); append(value as! Int); return value }
        if type == [String: Any].self { key.append(0x44); return dictionary(value as! [String: Any]) }
        if type == [String: String].self { key.append(0x53); return dictionary(value as! [String: String]) }
        if type == [[String: Any]].self { key.append(0x4D); return array(value as! [[String: Any]]) }
        if type == [Any].self { key.append(0x41); return array(value as! [Any]) }
        if type == [String].self { key.append(0x4C); return array(value as! [String]) }
        return nil
    }

    private mutating func dictionary<V>(_ d: [String: V]) -> [String: V]? {
        append(d.count)
        var out: [String: V] = [:]
        if buildSkeleton { out.reserveCapacity(d.count) }
        // Sorted: two dictionaries with the same keys need not list them in the same order.
        for name in d.keys.sorted() {
            append(name.utf8.count)
            key += name.utf8
            guard let skeleton = visit(d[name]!) else { return nil }
            if buildSkeleton { out[name] = (skeleton as! V) }
        }
        return buildSkeleton ? out : d
    }

    private mutating func array<E>(_ a: [E]) -> [E]? {
        append(a.count)
        var out: [E] = []
        for element in a {
            guard let skeleton = visit(element) else { return nil }
            if buildSkeleton { out.append(skeleton as! E) }
        }
        return buildSkeleton ? out : a
    }

    private mutating func append(_ n: Int) {
        withUnsafeBytes(of: n.littleEndian) { key += $0 }
    }

    static func sentinel(_ index: Int) -> String {
        // (A string literal may not hold a noncharacter.)
        String(Unicode.Scalar(0xFDD0)!) + "\(index)&\\" + String(Unicode.Scalar(0xFDD1)!)
    }

    static func hasNoncharacter(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            ShapeCompiler.Compiled.nextNoncharacter(in: UnsafeRawBufferPointer(utf8), from: 0) != nil
        }
    }
}

/// A string of a context as the shape walk keeps it: text, or HTML already as UTF-8.
enum ShapeValue: Equatable {
    case text(String)
    case html([UInt8])

    var count: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .html(let bytes): bytes.count
        }
    }
}
