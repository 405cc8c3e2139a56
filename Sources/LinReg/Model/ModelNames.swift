/// The names of a model's features and targets (columns of X and Y), kept
/// with the model and stored in its file (docs/FORMAT.md, section 6). They
/// play no part in fitting or prediction.
///
/// A name is valid UTF-8 of at most ``maxBytes`` bytes without a NUL byte
/// (so it is also a C string); it may be empty. Names need not be distinct.
public enum ModelNames {
    /// Longest name, in UTF-8 bytes.
    public static let maxBytes = 4096

    /// The name these bytes spell, or the reason they are not a valid name.
    public static func name(fromUTF8 bytes: UnsafeRawBufferPointer) -> Result<String, NameProblem> {
        guard bytes.count <= maxBytes else { return .failure(.tooLong(bytes.count)) }
        if let nul = bytes.firstIndex(of: 0) { return .failure(.containsNul(at: nul)) }
        // Decoding repairs invalid sequences with U+FFFD; a repair changes the bytes.
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else { return .failure(.invalidUTF8) }
        return .success(text)
    }

    /// Why bytes are not a valid name.
    public enum NameProblem: Error, Equatable, Sendable {
        case tooLong(Int)
        case containsNul(at: Int)
        case invalidUTF8

        public var message: String {
            switch self {
            case .tooLong(let n): return "is \(n) bytes long, more than the \(ModelNames.maxBytes) allowed"
            case .containsNul(let at): return "contains a NUL byte (at byte \(at))"
            case .invalidUTF8: return "is not valid UTF-8"
            }
        }
    }

    /// Checks `names` as the `role` names ("feature" or "target") of a model
    /// with `expected` of them; `EngineError.argument` names the first bad one.
    static func check(_ names: [String], expected: Int, role: String) throws {
        guard names.count == expected else {
            throw EngineError.argument("\(names.count) \(role) names given; the model has \(expected) \(role)s")
        }
        for (index, name) in names.enumerated() {
            let bytes = name.utf8.count
            guard bytes <= maxBytes else {
                throw EngineError.argument("\(role) name \(index) \(NameProblem.tooLong(bytes).message)")
            }
            if let nul = name.utf8.firstIndex(of: 0) {
                let at = name.utf8.distance(from: name.utf8.startIndex, to: nul)
                throw EngineError.argument("\(role) name \(index) \(NameProblem.containsNul(at: at).message)")
            }
        }
    }
}

extension LinearModel {
    /// Replaces the feature names (``featureCount`` of them) and target names
    /// (``outputCount``); nil means none. Both are checked before either is
    /// set (``ModelNames``): on error the model is unchanged. Names survive
    /// every fit, partial fit, merge (the receiving model's are kept) and
    /// `setWeights`, and are saved with the model.
    public mutating func setNames(features: [String]?, targets: [String]?) throws {
        if let features { try ModelNames.check(features, expected: featureCount, role: "feature") }
        if let targets { try ModelNames.check(targets, expected: outputCount, role: "target") }
        featureNames = features
        targetNames = targets
    }
}
