import Foundation
import Mustache

/// Renders templates once per context *shape* and splices each page's strings into the result.
///
/// swift-mustache spends most of a page's render on casts, `[String: Any]` look-ups, a slow
/// escape and the page body copied through every level of the layout (its share of a clean
/// build is in docs/performance.md). Yet two pages whose
/// contexts differ only by their strings take the same path through the templates, as long
/// as the templates never look inside a string. So a context is split into its *shape*
/// (dictionary keys, array lengths, `Bool` and `Int` values, which strings are empty) and its
/// strings; per shape, mustache renders a *skeleton* whose every non-empty string is a
/// sentinel `U+FDD0 <index> & \ U+FDD1`. In that render, a sentinel shows up raw (`{{{x}}}`)
/// or with its `&` escaped (`{{x}}`): the render becomes literal bytes with holes, filled
/// per page with the real strings, escaped as mustache escapes (`MustacheEscaping`). A
/// sentinel in any other form (a container printed whole doubles the `\`) or any stray
/// noncharacter makes the shape uncompilable, and its pages are rendered by mustache.
///
/// Owned by one `Templates` (its cache is only valid for that library), shared by the
/// parallel renders of a build.
final class ShapeCompiler: @unchecked Sendable {
    private let lock = NSLock()
    /// nil: the shape's render cannot be trusted, render its pages with mustache.
    private var compiled: [Key: Compiled?] = [:]

    struct Key: Hashable {
        var template: String
        var shape: [UInt8]

        /// At once, not byte by byte as `[UInt8]` hashes (a shape is about a kilobyte).
        func hash(into hasher: inout Hasher) {
            hasher.combine(template)
            shape.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// `library.render(context, withTemplate: name)` as UTF-8, or nil when this context must
    /// be rendered by mustache (a type the shape does not cover, a noncharacter in a string,
    /// an uncompilable shape).
    func render(_ context: [String: Any], template name: String, library: MustacheLibrary) -> [UInt8]? {
        var shape = ContextShape(buildSkeleton: false)
        guard shape.visit(context) != nil else { return nil }
        let key = Key(template: name, shape: shape.key)
        lock.lock()
        let found = compiled[key]
        lock.unlock()
        let entry: Compiled?
        if let found {
            entry = found
        } else {
            // Two renders may compile the same shape at once: same result, no harm.
            var skeleton = ContextShape(buildSkeleton: true)
            let text = skeleton.visit(context).map { library.render($0, withTemplate: name) ?? "" }
            entry = text.flatMap { Compiled(Array($0.utf8), count: skeleton.values.count) }
            lock.lock()
            compiled[key] = .some(entry)
            lock.unlock()
        }
        return entry?.filled(with: shape.values)
    }

    /// `template` rendered once per row and concatenated, each row's context being `base`
    /// with `keys[j]` set to `row[j]`: one skeleton render for all rows, then splicing (the
    /// sidebar's lab list, one entry per lab, is rendered again when a title changes). nil
    /// when mustache must render the rows (an empty or odd value, an uncompilable render).
    func renderRows(_ base: [String: Any], keys: [String], rows: [[String]], template name: String,
                    library: MustacheLibrary) -> [UInt8]? {
        // Stand-ins no real value equals: their place in the walk is where each key's value goes.
        let markers = keys.indices.map { "\u{1}labgen-row-\($0)\u{1}" }
        var context = base
        for (key, marker) in zip(keys, markers) { context[key] = marker }
        var skeleton = ContextShape(buildSkeleton: true)
        guard let rendered = skeleton.visit(context) else { return nil }
        let slots = markers.map { marker in skeleton.values.indices.filter { skeleton.values[$0] == .text(marker) } }
        guard slots.allSatisfy({ $0.count == 1 }),
              let compiled = Compiled(Array((library.render(rendered, withTemplate: name) ?? "").utf8),
                                      count: skeleton.values.count) else { return nil }
        var values = skeleton.values
        var out: [UInt8] = []
        for row in rows {
            guard row.count == keys.count else { return nil }
            for (slot, value) in zip(slots, row) {
                guard !value.isEmpty, !ContextShape.hasNoncharacter(value) else { return nil }
                values[slot[0]] = .text(value)
            }
            out += compiled.filled(with: values)
        }
        return out
    }

    /// Shapes rendered so far, and how many of them could not be compiled (for tests).
    var counts: (shapes: Int, uncompilable: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (compiled.count, compiled.values.filter { $0 == nil }.count)
    }

    /// A skeleton's render: its bytes without the sentinels, and where each one was.
    struct Compiled: Sendable {
        var literal: [UInt8] = []
        /// In order of `offset` (into `literal`).
        var holes: [(offset: Int, value: Int, escaped: Bool)] = []

        /// nil unless every noncharacter in `bytes` is part of a well-formed sentinel.
        init?(_ bytes: [UInt8], count: Int) {
            let n = bytes.count
            var copied = 0
            var i = 0
            while let p = Self.nextNoncharacter(in: bytes, from: i) {
                guard bytes[p + 2] == 0x90 else { return nil }               // U+FDD0 opens
                var j = p + 3
                var index = 0
                while j < n, bytes[j] >= 0x30, bytes[j] <= 0x39, j - p - 3 < 9 {
                    index = index * 10 + Int(bytes[j] - 0x30)
                    j += 1
                }
                // The digits as `\(index)` writes them: no leading zero.
                guard j > p + 3, bytes[p + 3] != 0x30 || j == p + 4, index < count else { return nil }
                let raw: [UInt8] = [0x26, 0x5C, 0xEF, 0xB7, 0x91]                 // & \ U+FDD1
                let escaped: [UInt8] = [0x26, 0x61, 0x6D, 0x70, 0x3B, 0x5C, 0xEF, 0xB7, 0x91]
                let isEscaped: Bool
                if bytes[j...].starts(with: raw) { isEscaped = false } else if bytes[j...].starts(with: escaped) { isEscaped = true } else { return nil }
                literal += bytes[copied..<p]
                holes.append((literal.count, index, isEscaped))
                i = j + (isEscaped ? escaped.count : raw.count)
                copied = i
            }
            literal += bytes[copied...]
        }

        /// The next U+FDD0…U+FDEF (UTF-8 `EF B7 90`…`EF B7 AF`) at or after `start`.
        static func nextNoncharacter(in bytes: [UInt8], from start: Int) -> Int? {
            bytes.withUnsafeBytes { nextNoncharacter(in: $0, from: start) }
        }

        static func nextNoncharacter(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
            guard let base = buffer.baseAddress else { return nil }
            var i = start
            while i < buffer.count, let found = memchr(base + i, 0xEF, buffer.count - i) {
                let p = base.distance(to: UnsafeRawPointer(found))
                if p + 2 < buffer.count, buffer[p + 1] == 0xB7, (0x90...0xAF).contains(buffer[p + 2]) { return p }
                i = p + 1
            }
            return nil
        }

        func filled(with values: [ShapeValue]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(literal.count + values.reduce(64) { $0 + $1.count })
            var cursor = 0
            for hole in holes {
                out += literal[cursor..<hole.offset]
                cursor = hole.offset
                switch (values[hole.value], hole.escaped) {
                case (.text(let text), true): MustacheEscaping.append(text, to: &out)
                case (.text(let text), false): out += text.utf8
                case (.html(let bytes), true): MustacheEscaping.append(String(decoding: bytes, as: UTF8.self), to: &out)
                case (.html(let bytes), false): out += bytes
                }
            }
            out += literal[cursor...]
            return out
        }
    }

    /// Whether mustache treats every string of a context as an opaque value in `template`
    /// (the text of a `.mustache` file), so a sentinel cannot lie. Anything that could read a
    /// string's content or change how it is written is refused, conservatively: transforms
    /// (`(` in a tag: `uppercased(title)`, `first()`), set-delimiter tags (`{{=`), which could
    /// hide those; content-type pragmas (`{{%`); dynamic partials (`*` in a tag: `{{>*name}}`
    /// takes a template name from a string); and indented partials and blocks (a line that
    /// starts with blanks and holds `{{>`, `{{<` or `{{$`), where mustache indents the next
    /// token when the text so far ends with a newline, which a string can decide. Lambdas
    /// cannot occur: contexts are plain data.
    static func allows(_ template: String) -> Bool {
        let b = Array(template.utf8)
        let open: [UInt8] = [0x7B, 0x7B], close: [UInt8] = [0x7D, 0x7D]
        var i = 0
        while let start = find(open, in: b, from: i) {
            let end = find(close, in: b, from: start + 2) ?? b.count
            let inner = b[(start + 2)..<max(start + 2, end)]
            if inner.first == UInt8(ascii: "=") || inner.first == UInt8(ascii: "%") { return false }
            if inner.contains(UInt8(ascii: "(")) || inner.contains(UInt8(ascii: "*")) { return false }
            i = start + 2
        }
        for line in b.split(separator: 0x0A, omittingEmptySubsequences: true)
        where line.first == 0x20 || line.first == 0x09 {
            for tag in [UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$")] where find(open + [tag], in: Array(line), from: 0) != nil {
                return false
            }
        }
        return true
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count - needle.count else { return nil }
        for i in start...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
