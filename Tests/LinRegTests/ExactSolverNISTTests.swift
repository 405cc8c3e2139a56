import Testing
@testable import LinReg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The NIST StRD linear-regression data sets, checked against EVERY file's
// certified coefficients, residual standard deviation, R² and coefficient
// standard deviations. The files live in the shared data folder beside the
// repository (`../shared/data/nist` from the package root); set
// LINREG_NIST_DIR to use another folder.
//
// Accuracy is measured as NIST does: the number of correct significant
// digits of the worst coefficient, −log10(max |β̂ − β|/|β|). The designs are
// built in float64 as a user would (polynomial columns with libm `pow`),
// so the exact least-squares solution of the float64 data is itself only
// ~7.6 digits from Filip's certified values (computed with mpmath on the
// same float64 design); the targets are ≥ 9 digits everywhere else and
// ≥ 7.6 on Filip (its mpmath ceiling: the data in double carry 7.61).

/// A parsed NIST StRD linear-regression file.
struct NISTDataset {
    var name: String
    /// Raw data rows: y first, then the predictors.
    var data: [[Double]]
    /// Certified coefficients by name: "B0", "B1", ….
    var certified: [String: Double]
    /// Certified standard deviations of the coefficients.
    var certifiedStandardDeviations: [String: Double]
    var residualStandardDeviation: Double
    var rSquared: Double

    /// Text of `path`, or nil if it cannot be read.
    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0 ..< count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The folder with the .dat files: $LINREG_NIST_DIR, else
    /// <package root>/../shared/data/nist (package root found from #filePath).
    static func directory(filePath: String = #filePath) -> String {
        if let value = getenv("LINREG_NIST_DIR") {
            let text = String(cString: value)
            if !text.isEmpty { return text }
        }
        // #filePath = <root>/Tests/LinRegTests/ExactSolverNISTTests.swift
        var parts = filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/../shared/data/nist"
    }

    /// Parses a Fortran-style number ("0.358191792925910E-01", ".11019").
    static func number(_ token: Substring) -> Double? {
        Double(String(token))
    }

    static func load(_ name: String) -> NISTDataset? {
        guard let text = readFile(directory() + "/" + name + ".dat") else { return nil }
        // CRLF is one Character in Swift, so split on any newline.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        func tokens(_ line: Substring) -> [Substring] {
            line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        }
        // "Data   (lines 61 to 76)" in the header gives the data range.
        var dataRange: ClosedRange<Int>?
        for line in lines.prefix(20) {
            let t = tokens(line)
            if t.first == "Data", t.count >= 5, t[1] == "(lines", let a = Int(t[2]), let b = Int(t[4].dropLast()) {
                dataRange = a ... b
            }
        }
        guard let range = dataRange, range.upperBound <= lines.count else { return nil }
        var certified: [String: Double] = [:]
        var deviations: [String: Double] = [:]
        var residualSD = Double.nan
        var r2 = Double.nan
        for line in lines[0 ..< range.lowerBound - 1] {
            let t = tokens(line)
            guard let first = t.first else { continue }
            if first.hasPrefix("B"), first.count >= 2, Int(first.dropFirst()) != nil, t.count >= 3,
               let value = number(t[1]), let sd = number(t[2]) {
                certified[String(first)] = value
                deviations[String(first)] = sd
            } else if first == "Standard", t.count >= 3, t[1] == "Deviation", let value = number(t[2]) {
                residualSD = value
            } else if first == "R-Squared", t.count >= 2, let value = number(t[1]) {
                r2 = value
            }
        }
        var data: [[Double]] = []
        for line in lines[(range.lowerBound - 1) ..< range.upperBound] {
            let values = tokens(line).compactMap(number)
            if !values.isEmpty { data.append(values) }
        }
        return NISTDataset(name: name, data: data, certified: certified, certifiedStandardDeviations: deviations,
                           residualStandardDeviation: residualSD, rSquared: r2)
    }
}

/// How each file's model is built: polynomial degree in its one predictor
/// (nil: the predictors as given) and whether B0 is an intercept.
struct NISTModel: Sendable, CustomStringConvertible {
    var name: String
    var degree: Int?
    var intercept: Bool
    var minimumDigits: Double
    var description: String { name }
}

let nistModels: [NISTModel] = [
    NISTModel(name: "Norris", degree: 1, intercept: true, minimumDigits: 9),
    NISTModel(name: "Pontius", degree: 2, intercept: true, minimumDigits: 9),
    NISTModel(name: "NoInt1", degree: 1, intercept: false, minimumDigits: 9),
    NISTModel(name: "NoInt2", degree: 1, intercept: false, minimumDigits: 9),
    NISTModel(name: "Filip", degree: 10, intercept: true, minimumDigits: 7.6),
    NISTModel(name: "Longley", degree: nil, intercept: true, minimumDigits: 9),
    NISTModel(name: "Wampler1", degree: 5, intercept: true, minimumDigits: 9),
    NISTModel(name: "Wampler2", degree: 5, intercept: true, minimumDigits: 9),
    NISTModel(name: "Wampler3", degree: 5, intercept: true, minimumDigits: 9),
    NISTModel(name: "Wampler4", degree: 5, intercept: true, minimumDigits: 9),
    NISTModel(name: "Wampler5", degree: 5, intercept: true, minimumDigits: 9),
]

/// −log10 of a relative error, capped at 16 (exact).
func correctDigits(_ estimate: Double, _ reference: Double) -> Double {
    let error = abs(estimate - reference) / abs(reference)
    if error == 0 { return 16 }
    return min(16, -log10(error))
}

@Suite struct ExactSolverNISTTests {
    /// Fits the file's model; returns (fit, coefficients in NIST order B0/B1…, p).
    static func fit(_ model: NISTModel, _ data: NISTDataset) throws -> (LeastSquaresFit, [Double], Int) {
        let n = data.data.count
        var x: [Double] = []
        var y: [Double] = []
        var d = 0
        for row in data.data {
            y.append(row[0])
            if let degree = model.degree {
                d = degree
                for j in 1 ... degree { x.append(pow(row[1], Double(j))) }
            } else {
                d = row.count - 1
                x.append(contentsOf: row[1...])
            }
        }
        let result = try x.withUnsafeBufferPointer { xb in
            try y.withUnsafeBufferPointer { yb in
                try ExactSolver.fit(LeastSquaresProblem(
                    X: MatrixView(base: xb.baseAddress!, rows: n, columns: d),
                    Y: MatrixView(base: yb.baseAddress!, rows: n, columns: 1),
                    fitIntercept: model.intercept))
            }
        }
        let coefficients = model.intercept ? [result.intercepts[0]] + result.weights : result.weights
        return (result, coefficients, d + (model.intercept ? 1 : 0))
    }

    @Test("NIST StRD certified values", arguments: nistModels)
    func certifiedValues(_ model: NISTModel) throws {
        let data = try #require(NISTDataset.load(model.name),
                                "cannot read \(model.name).dat in \(NISTDataset.directory()) (set LINREG_NIST_DIR)")
        let (fit, coefficients, p) = try Self.fit(model, data)
        let names = (0 ..< p).map { "B\(model.intercept ? $0 : $0 + 1)" }
        try #require(data.certified.count == p, "parsed \(data.certified.count) certified coefficients, expected \(p)")
        var digits = 16.0
        for (name, value) in zip(names, coefficients) {
            let certified = try #require(data.certified[name])
            digits = min(digits, correctDigits(value, certified))
        }
        let n = data.data.count
        #expect(fit.observationCount == n)
        #expect(fit.rank == p)
        #expect(fit.centeredRank == p - (model.intercept ? 1 : 0))

        // Residual standard deviation and R².
        let rss = fit.residualSumOfSquares[0]
        let sd = (rss / Double(n - p)).squareRoot()
        let r2 = 1 - rss / fit.totalSumOfSquares[0]
        var sdDigits = 16.0
        if data.residualStandardDeviation == 0 {
            // Exact fit (Wampler1): residuals are pure rounding of y's scale.
            let scale = (fit.totalSumOfSquares[0] / Double(n)).squareRoot()
            #expect(sd <= 1e-12 * scale, "residual sd \(sd) should vanish")
        } else {
            sdDigits = correctDigits(sd, data.residualStandardDeviation)
        }
        let r2Digits = correctDigits(r2, data.rSquared)

        // Coefficient standard deviations from the unscaled covariance:
        // sdᵢ = sqrt(Cᵢᵢ · RSS/(n − p)); internal order is features then intercept.
        let covariance = try #require(fit.unscaledCovariance)
        var coefficientSDDigits = 16.0
        for (index, name) in names.enumerated() {
            let position = model.intercept ? (index == 0 ? p - 1 : index - 1) : index
            let value = (covariance[position * p + position] * rss / Double(n - p)).squareRoot()
            let certified = try #require(data.certifiedStandardDeviations[name])
            if certified == 0 {
                #expect(value <= 1e-9 * max(1, abs(coefficients[index])))
            } else {
                coefficientSDDigits = min(coefficientSDDigits, correctDigits(value, certified))
            }
        }
        print("NIST \(model.name): coefficient digits \(fmt(digits)), residual sd digits \(fmt(sdDigits)), "
              + "R² digits \(fmt(r2Digits)), coefficient sd digits \(fmt(coefficientSDDigits))")
        #expect(digits >= model.minimumDigits, "\(model.name): \(digits) correct digits")
        #expect(sdDigits >= model.minimumDigits, "\(model.name): residual sd \(sdDigits) digits")
        #expect(r2Digits >= model.minimumDigits, "\(model.name): R² \(r2Digits) digits")
        #expect(coefficientSDDigits >= model.minimumDigits - 1, "\(model.name): coefficient sd \(coefficientSDDigits) digits")
    }

    @Test("NIST files are all found and parsed")
    func everyFileParses() throws {
        for model in nistModels {
            let data = try #require(NISTDataset.load(model.name), "missing \(model.name).dat")
            #expect(!data.data.isEmpty)
            #expect(data.residualStandardDeviation.isFinite)
            #expect(data.rSquared.isFinite)
        }
        // Norris has 36 observations (its file ends with a blank line).
        #expect(NISTDataset.load("Norris")?.data.count == 36)
        #expect(NISTDataset.load("Filip")?.data.count == 82)
        #expect(NISTDataset.load("Longley")?.data.count == 16)
    }
}

/// A number with three decimals, without Foundation.
func fmt(_ x: Double) -> String {
    if !x.isFinite { return "\(x)" }
    let scaled = (x * 1000).rounded()
    let negative = scaled < 0
    let magnitude = Int(abs(scaled))
    let fraction = magnitude % 1000
    let text = "\(magnitude / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + "\(fraction)"
    return negative ? "-" + text : text
}
