#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// glibc's iconv, to UTF-8. Foundation on Linux cannot read EUC-JP (`.japaneseEUC` returns nil)
/// and has no CP949, GB18030 or Big5; glibc has them all, including the CP932 and EUC-JP-MS
/// supersets that Japanese mail is really written in.
enum Iconv {
    /// The text of `bytes` in `charset` (an iconv name), or nil when iconv does not know it.
    /// Bytes that are not valid in the charset become U+FFFD and make `exact` false; with
    /// `strict`, the first such byte answers nil instead.
    static func decode(_ bytes: [UInt8], from charset: String, strict: Bool = false) -> (text: String, exact: Bool)? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        if bytes.isEmpty { return ("", true) }

        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 3 + 16)
        var produced = 0
        var exact = true
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        var consumed = 0
        while consumed < input.count {
            let (inLeft, outLeft, failure) = input.withUnsafeMutableBufferPointer { inBuf in
                output.withUnsafeMutableBufferPointer { outBuf in
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuf.count - consumed
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count - produced
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (inLeft, outLeft, r == -1 ? errno : 0)
                }
            }
            consumed = input.count - inLeft
            produced = output.count - outLeft
            switch failure {
            case 0:
                break
            case E2BIG:
                output += [UInt8](repeating: 0, count: output.count)
            default:
                // EILSEQ (a byte the charset does not have) or EINVAL (cut off at the end).
                if strict { return nil }
                exact = false
                if output.count - produced < 3 { output += [UInt8](repeating: 0, count: output.count) }
                output.replaceSubrange(produced..<produced + 3, with: replacement)
                produced += 3
                consumed += 1
                // Start the next round from a clean shift state.
                iconv(cd, nil, nil, nil, nil)
            }
        }
        return (String(decoding: output[0..<produced], as: UTF8.self), exact)
    }
}
