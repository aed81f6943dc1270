/// Checks for values that end up on a command line: an ssh destination from a roster or a
/// flag, an interface or namespace name, a kubectl context. A value that starts with `-`
/// would be read as an option (`-oProxyCommand=…` runs a command on this machine), and a
/// control character could end a line a shell or ssh reads, so such values are refused
/// before anything runs, with a message that names the value.
public enum CommandArgument {
    /// `[user@]host[:port]` (or ssh's `ssh://[user@]host[:port]`): the shapes `labgen probe
    /// --ssh`, `labgen capture --ssh` and a roster's `ssh:` accept. `host` is a name or alias of `~/.ssh/config` (letters, digits,
    /// `.`, `_`, `-`, not first), an IPv4 address or a bracketed IPv6 address; `port` 1–65535.
    ///
    /// - Parameters:
    ///   - value: the destination as written.
    /// - Returns: nil when acceptable, else why not (naming the value and the expected shape).
    public static func checkSSHDestination(_ value: String) -> String? {
        let shown = value.debugDescription
        let expected = "write it as [user@]host[:port], e.g. alice@vm-alice or alice@10.0.0.5:2222"
        if value.isEmpty { return "the ssh destination is empty; \(expected)" }
        if value.hasPrefix("-") {
            return "ssh destination \(shown) starts with `-`: ssh would read it as an option; \(expected)"
        }
        if let bad = value.unicodeScalars.first(where: { $0.properties.isWhitespace || isControl($0) }) {
            return "ssh destination \(shown) contains \(describe(bad)); \(expected)"
        }
        guard SSHDestination(value) != nil else {
            return "ssh destination \(shown) is not of the form [user@]host[:port]; \(expected)"
        }
        return nil
    }

    /// A name passed as one argument of a command (`--context`, `ip netns exec NAME`, a
    /// kubeconfig path): not empty, not starting with `-`, no control character.
    ///
    /// - Parameters:
    ///   - value: the name as written.
    ///   - what: what the value is, for the message (`--context`, `kubeconfig`).
    /// - Returns: nil when acceptable, else why not.
    public static func checkName(_ value: String, what: String) -> String? {
        let shown = value.debugDescription
        if value.isEmpty { return "\(what) is empty" }
        if value.hasPrefix("-") { return "\(what) \(shown) starts with `-`: a command would read it as an option" }
        if let bad = value.unicodeScalars.first(where: isControl) {
            return "\(what) \(shown) contains \(describe(bad)), which no command line can carry safely"
        }
        return nil
    }

    /// A network namespace name (`--netns`): what `ip netns add` creates, a file name under
    /// /run/netns, so no `/`, whitespace or leading `-` or `.`.
    ///
    /// - Parameters:
    ///   - value: the namespace name.
    /// - Returns: nil when acceptable, else why not.
    public static func checkNamespace(_ value: String) -> String? {
        if let problem = checkName(value, what: "network namespace") { return problem }
        if value.hasPrefix(".") || value.unicodeScalars.contains(where: { $0 == "/" || $0.properties.isWhitespace }) {
            return "network namespace \(value.debugDescription) is not a namespace name (no `/`, whitespace or leading `.`; see `ip netns list`)"
        }
        return nil
    }

    /// An interface name given to `tcpdump -i`, `ip … dev` or `bridge … br`: Linux's rules
    /// (see `AddressSyntax.checkInterface`) and no leading `-`.
    ///
    /// - Parameters:
    ///   - value: the interface name.
    /// - Returns: nil when acceptable, else why not.
    public static func checkInterface(_ value: String) -> String? {
        if value.hasPrefix("-") { return "interface name \(value.debugDescription) starts with `-`: a command would read it as an option" }
        return AddressSyntax.checkInterface(value)
    }

    /// A URL `curl` fetches: `http://` or `https://`, no whitespace or control character.
    ///
    /// - Parameters:
    ///   - value: the URL.
    /// - Returns: nil when acceptable, else why not.
    public static func checkURL(_ value: String) -> String? {
        let lower = value.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return "URL \(value.debugDescription) does not start with http:// or https://"
        }
        if let bad = value.unicodeScalars.first(where: { $0.properties.isWhitespace || isControl($0) }) {
            return "URL \(value.debugDescription) contains \(describe(bad)); percent-encode it"
        }
        return nil
    }

    /// An IP address given to `ping` (read from the Kubernetes API).
    ///
    /// - Parameters:
    ///   - value: the address.
    /// - Returns: nil when acceptable, else why not.
    public static func checkIP(_ value: String) -> String? { AddressSyntax.checkIP(value) }

    /// A Kubernetes object name used as a container name (`docker exec NAME`).
    ///
    /// - Parameters:
    ///   - value: the name.
    /// - Returns: nil when acceptable, else why not.
    public static func checkKubernetesName(_ value: String) -> String? { AddressSyntax.checkKubernetesName(value) }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator
    }

    /// `U+000A`: a character by its code point, for characters that do not show.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "a newline"
        case "\r": "a carriage return"
        case "\t": "a tab"
        case " ": "a space"
        default: "the character " + CommandArgument.codePoint(scalar)
        }
    }
}

/// A checked ssh destination, split into the parts `ssh` takes: `user@host` and a port
/// (`ssh -p`), because ssh itself does not read `host:port`.
public struct SSHDestination: Sendable, Equatable {
    /// `user@host` or `host`, as ssh's destination argument.
    public var target: String
    public var port: Int?

    /// Parses `[ssh://][user@]host[:port]`; nil for anything else.
    ///
    /// - Parameters:
    ///   - text: the destination as written.
    public init?(_ text: String) {
        var rest = Substring(text)
        // ssh's own URI form, `ssh://[user@]host[:port]`, says the same.
        if rest.hasPrefix("ssh://") { rest = rest.dropFirst(6) }
        var user: Substring?
        if let at = rest.lastIndex(of: "@") {
            user = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let user, !user.isEmpty, !user.hasPrefix("-"),
                  user.unicodeScalars.allSatisfy({ Self.isNameScalar($0) }) else { return nil }
        }
        var host: Substring
        var port: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            guard AddressSyntax.ipv6Bytes(host) != nil else { return nil }
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                port = after.dropFirst()
            }
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            host = parts[0]
            if parts.count == 2 { port = parts[1] }
            guard !host.isEmpty, !host.hasPrefix("-"), !host.hasPrefix("."),
                  host.unicodeScalars.allSatisfy({ Self.isNameScalar($0) }) else { return nil }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(port), (1...65535).contains(number) else { return nil }
            self.port = number
        } else {
            self.port = nil
        }
        self.target = (user.map { $0 + "@" } ?? "") + host
    }

    static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
    }
}
