import LabgenCore
import Foundation
import Testing
import Markdown
@testable import Site

@Suite struct HighlightTests {
    func html(_ language: String, _ text: String, marks: [CodeBlock.Mark] = []) -> String {
        HighlightingCodeBlockRenderer().render(CodeBlock(info: language, literal: text, marks: marks))
    }

    func kinds(_ language: String, _ text: String) -> [(String, TokenKind)] {
        let block = CodeBlock(info: language, literal: text)
        let bytes = Array(text.utf8)
        return HighlightingCodeBlockRenderer.tokens(block).map { (String(decoding: bytes[$0.start..<$0.end], as: UTF8.self), $0.kind) }
    }

    @Test func shellCommandsOptionsStringsVariables() {
        let tokens = kinds("bash", "NODE=172.18.0.2 curl -s \"http://$NODE:31400\" | grep -v 'x' # fin\n")
        let expected: [(String, TokenKind)] = [
            ("NODE", .variable), ("curl", .command), ("-s", .option), ("\"http://", .string), ("$NODE", .variable),
            (":31400\"", .string), ("|", .op), ("grep", .command), ("-v", .option), ("'x'", .string), ("# fin", .comment),
        ]
        #expect(tokens.map(\.0) == expected.map(\.0))
        #expect(tokens.map(\.1) == expected.map(\.1))
    }

    @Test func shellHashInsideAWordIsNotAComment() {
        let tokens = kinds("shell", "echo a#b\nfor i in {2..5} ; do curl -s x ; done\n")
        #expect(!tokens.contains { $0.1 == .comment })
        #expect(tokens.filter { $0.1 == .keyword }.map(\.0) == ["for", "in", "do", "done"])
        #expect(tokens.filter { $0.1 == .command }.map(\.0) == ["echo", "curl"])
    }

    @Test func consoleOutputIsNotHighlightedButPromptsAre() {
        #expect(html("console", "NAME   READY\nweb    1/1\n") == "<pre><code class=\"language-console\">NAME   READY\nweb    1/1\n</code></pre>\n")
        let transcript = kinds("console", "$ kubectl get pods\nNAME READY\n")
        #expect(transcript.map(\.1) == [.prompt, .command, .output])
    }

    @Test func yamlJSONGoC() {
        #expect(kinds("yaml", "kubeProxyReplacement: strict # kp\nports:\n  - port: 80\n    name: \"http\"\nok: true\n").map(\.1)
                == [.key, .punct, .comment, .key, .punct, .punct, .key, .punct, .number, .key, .punct, .string, .key, .punct, .literal])
        #expect(kinds("yaml", "script: |\n  echo: not a key\nnext: 1\n").map(\.1) == [.key, .punct, .op, .string, .key, .punct, .number])
        #expect(kinds("json", "{\"a\": [1, true, \"b\"]}").map(\.1)
                == [.punct, .key, .punct, .punct, .number, .punct, .literal, .punct, .string, .punct, .punct])
        #expect(kinds("go", "func main() { s := `raw` // c\n return nil }").map(\.1) == [.keyword, .function, .string, .comment, .keyword, .literal])
        #expect(kinds("c", "#define X 1\nopt[0] = bpf_htonl(DSR_IPV4_OPT_32 | svc_port); /* x */\n").map(\.1)
                == [.meta, .number, .function, .literal, .comment])
    }

    @Test func everythingIsEscaped() {
        let out = html("bash", "echo \"<script>&\" > /tmp/x\n")
        #expect(!out.contains("<script>"))
        #expect(out.contains("&lt;script&gt;&amp;"))
        #expect(out.contains("data-copy=\"echo &quot;&lt;script&gt;&amp;&quot; &gt; /tmp/x\""))
    }

    @Test func marksNestAroundTokens() {
        // `curl -s http://172.18.0.2:31400` with the IP and the port marked as facts.
        let text = "curl -s \"http://172.18.0.2:31400\"\n"
        let ip = text.utf8.count - "172.18.0.2:31400\"\n".utf8.count
        let marks = [CodeBlock.Mark(range: ip..<(ip + 10), attributes: [("class", "param"), ("title", "nodes[1].ip")]),
                     CodeBlock.Mark(range: (ip + 11)..<(ip + 16), attributes: [("class", "param"), ("title", "nodePort")])]
        let out = html("bash", text, marks: marks)
        #expect(out.contains("<span class=\"tok-string\">&quot;http://</span><span class=\"param\" title=\"nodes[1].ip\"><span class=\"tok-string\">172.18.0.2</span></span><span class=\"tok-string\">:</span><span class=\"param\" title=\"nodePort\"><span class=\"tok-string\">31400</span></span><span class=\"tok-string\">&quot;</span>"))
        // Balanced spans whatever the cut.
        #expect(out.components(separatedBy: "<span").count == out.components(separatedBy: "</span>").count)
        // The text, tags removed, is the literal.
        let stripped = out.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).dropLast()
        #expect(stripped == text.replacingOccurrences(of: "\"", with: "&quot;"))
        // A mark straddling a token boundary is still one span.
        let straddle = html("bash", "echo abc-def\n", marks: [CodeBlock.Mark(range: 2..<7, attributes: [("class", "param")])])
        #expect(straddle.contains("<span class=\"param\"><span class=\"tok-command\">ho</span> ab</span>"))
    }

    @Test func unknownLanguagesRenderLikeThePlainRenderer() {
        let block = CodeBlock(info: "text", literal: "a <b>\n", marks: [CodeBlock.Mark(range: 0..<1, attributes: [("class", "param")])])
        #expect(HighlightingCodeBlockRenderer().render(block) == PlainCodeBlockRenderer().render(block))
    }

    @Test func copyTextDropsPromptsAndOutput() {
        func copy(_ language: String, _ text: String) -> String? {
            HighlightingCodeBlockRenderer.copyText(CodeBlock(info: language, literal: text))
        }
        #expect(copy("shell", "cd /home/lab/basic\n./clean-kind.sh\n") == "cd /home/lab/basic\n./clean-kind.sh")
        #expect(copy("bash", "$ kubectl get svc \\\n  svc-echoserver\nNAME  TYPE\n$ echo ok\nok\n") == "kubectl get svc \\\n  svc-echoserver\necho ok")
        #expect(copy("bash", "$ sudo -i\n# tcpdump -n -i eth0\nlistening on eth0\n") == "sudo -i\ntcpdump -n -i eth0")
        // Without `$ ` a shell block is a script: `# ` lines are comments, kept (they run nothing).
        #expect(copy("sh", "# Nettoyage\n./clean-kind.sh\n") == "# Nettoyage\n./clean-kind.sh")
        #expect(copy("console", "dsr\n") == nil)
        #expect(copy("console", "# ip -br link\nlo UNKNOWN\n") == "ip -br link")
        #expect(copy("yaml", "a: 1\n") == nil)
        #expect(!html("console", "dsr\n").contains("data-copy"))
    }

    @Test func nonASCIIAndOddInputDoNotCrash() {
        for language in ["bash", "console", "yaml", "json", "go", "c"] {
            for text in ["", "\"", "'", "$", "${", "/*", "#", "é\"ü", "- ", ":", "`", "\\", "a: |\n", "$(", "é$é", "\n\n"] {
                let out = html(language, text)
                #expect(out.hasPrefix("<pre") && out.hasSuffix("</code></pre>\n"))
                let stripped = out.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).dropLast()
                #expect(stripped == HTMLEscaping.escape(text), "\(language): \(text)")
            }
        }
    }
}
