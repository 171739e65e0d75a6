/// Splits a PostgreSQL script into its statements. The extended protocol PostgresNIO speaks
/// runs one statement per query, and a migration or function file holds several. A `;`
/// ends a statement only outside quotes ('…', E'…', "…"), dollar quotes ($$…$$, $tag$…$tag$)
/// and comments (-- and /* */). Statements that are only comments are left out.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let text = Array(script.unicodeScalars)
        var statements: [String] = []
        var start = 0
        var hasCode = false
        var i = 0

        func finish(at end: Int) {
            if hasCode {
                var statement = String.UnicodeScalarView()
                statement.append(contentsOf: text[start..<end])
                statements.append(String(statement).trimmingWhitespace())
            }
            start = end + 1
            hasCode = false
        }

        /// The index just past the first `terminator` at or after `from`, or the end.
        func skip(past terminator: [Unicode.Scalar], from: Int) -> Int {
            var j = from
            while j + terminator.count <= text.count {
                if Array(text[j..<j + terminator.count]) == terminator { return j + terminator.count }
                j += 1
            }
            return text.count
        }

        while i < text.count {
            let c = text[i]
            let next: Unicode.Scalar? = i + 1 < text.count ? text[i + 1] : nil
            switch c {
            case "-" where next == "-":
                i = skip(past: ["\n"], from: i + 2)
            case "/" where next == "*":
                i = skip(past: ["*", "/"], from: i + 2)
            case "'":
                // E'…' strings take backslash escapes; standard strings double their quotes.
                let escapes = i > 0 && (text[i - 1] == "E" || text[i - 1] == "e")
                var j = i + 1
                while j < text.count {
                    if escapes && text[j] == "\\" { j += 2; continue }
                    if text[j] == "'" {
                        if j + 1 < text.count && text[j + 1] == "'" { j += 2; continue }
                        break
                    }
                    j += 1
                }
                hasCode = true
                i = j + 1
            case "\"":
                hasCode = true
                i = skip(past: ["\""], from: i + 1)
            case "$":
                // $tag$ opens a dollar quote when the tag is an identifier (or empty); $1 is a parameter.
                var j = i + 1
                while j < text.count, text[j].properties.isAlphabetic || text[j] == "_"
                    || (j > i + 1 && ("0"..."9").contains(text[j]))
                {
                    j += 1
                }
                hasCode = true
                if j < text.count && text[j] == "$" {
                    let tag = Array(text[i...j])
                    i = skip(past: tag, from: j + 1)
                } else {
                    i = j
                }
            case ";":
                finish(at: i)
                i += 1
            default:
                if !c.properties.isWhitespace { hasCode = true }
                i += 1
            }
        }
        finish(at: text.count)
        return statements
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
