/// Version of the library; must equal LINREG_VERSION_* in include/linreg.h.
enum LibraryVersion {
    static let major: Int32 = 0
    static let minor: Int32 = 1
    static let patch: Int32 = 0
    static let number: Int32 = major * 10000 + minor * 100 + patch
    nonisolated(unsafe) static let string = permanentCString("\(major).\(minor).\(patch)")
}

@_cdecl("linreg_version_number")
public func linreg_version_number() -> Int32 {
    LibraryVersion.number
}

@_cdecl("linreg_version_string")
public func linreg_version_string() -> UnsafePointer<CChar> {
    LibraryVersion.string
}
