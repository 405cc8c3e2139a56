nonisolated(unsafe) private let statusTexts: [UnsafePointer<CChar>] = Status.allCases.map { permanentCString($0.text) }
nonisolated(unsafe) private let unknownStatusText = permanentCString("unknown status")

@_cdecl("linreg_status_string")
public func linreg_status_string(_ status: Int32) -> UnsafePointer<CChar> {
    guard let known = Status(rawValue: status) else { return unknownStatusText }
    return statusTexts[Int(known.rawValue)]
}

@_cdecl("linreg_last_error")
public func linreg_last_error() -> UnsafePointer<CChar> {
    LastError.current
}
