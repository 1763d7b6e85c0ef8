import Foundation

/// Where `kotae import` reads mail from: an mbox file (mboxrd or mboxo), a Maildir (`cur/`
/// and `new/`), or a folder of `.eml` files (searched recursively). Messages come out in
/// order (mbox order; file names sorted), so replies follow what they answer.
public enum MailSource {
    public enum Kind: String, Sendable { case mbox, maildir, emlFolder = "eml folder" }

    /// What is at `path`, or nil when it is none of the three.
    public static func kind(of path: String) -> Kind? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue { return .mbox }
        let fm = FileManager.default
        if fm.fileExists(atPath: path + "/cur") && fm.fileExists(atPath: path + "/new") { return .maildir }
        return .emlFolder
    }

    /// The files holding one message each (Maildir and `.eml` folders), in order.
    public static func messageFiles(in path: String, kind: Kind) -> [String] {
        let fm = FileManager.default
        switch kind {
        case .mbox:
            return []
        case .maildir:
            return ["cur", "new"].flatMap { sub -> [String] in
                let folder = path + "/" + sub
                return ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
            }
        case .emlFolder:
            guard let walker = fm.enumerator(atPath: path) else { return [] }
            var files: [String] = []
            while let item = walker.nextObject() as? String {
                if item.lowercased().hasSuffix(".eml") { files.append(path + "/" + item) }
            }
            return files.sorted()
        }
    }

    /// The messages of an mbox: split at each `From ` line that starts the file or follows a
    /// blank line, the separator line dropped, `>From ` quoting undone (one `>` off any
    /// `>…>From ` line, as mboxrd writes and mboxo readers expect).
    public static func mboxMessages(_ data: [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var current: [UInt8] = []
        var started = false
        var previousBlank = true
        var lineStart = 0
        let from = Array("From ".utf8)
        while lineStart < data.count {
            var lineEnd = lineStart
            while lineEnd < data.count, data[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(lineEnd + 1, data.count)
            let line = data[lineStart..<next]
            if previousBlank && line.starts(with: from) {
                if started { messages.append(trimmedEnd(current)) }
                current.removeAll(keepingCapacity: true)
                started = true
            } else if started {
                var l = line[...]
                if l.first == UInt8(ascii: ">") {
                    let rest = l.drop { $0 == UInt8(ascii: ">") }
                    if rest.starts(with: from) { l = l.dropFirst() }
                }
                current += l
            }
            let content = data[lineStart..<lineEnd]
            previousBlank = content.isEmpty || (content.count == 1 && content.first == 0x0D)
            lineStart = next
        }
        if started { messages.append(trimmedEnd(current)) }
        return messages
    }

    /// Without the blank line the mbox puts after each message (before the next separator);
    /// a message that does not end with one keeps its last line end.
    private static func trimmedEnd(_ m: [UInt8]) -> [UInt8] {
        var end = m.count
        func dropLineEnd(_ at: Int) -> Int? {
            guard at > 0, m[at - 1] == 0x0A else { return nil }
            return at >= 2 && m[at - 2] == 0x0D ? at - 2 : at - 1
        }
        if let withoutBlank = dropLineEnd(end), dropLineEnd(withoutBlank) != nil { end = withoutBlank }
        return Array(m[..<end])
    }
}
