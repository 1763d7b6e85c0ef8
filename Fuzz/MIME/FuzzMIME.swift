import KotaeMail

/// libFuzzer's entry: any bytes at all must read as a mail without a crash or a hang
/// (`scripts/fuzz-mime` builds and runs it for a bounded time).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let mail = MailMessage(parsing: Array(UnsafeBufferPointer(start: data, count: size)))
    _ = QuoteFolding.foldPoint(mail.text)
    return 0
}
