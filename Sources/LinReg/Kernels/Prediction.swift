/// The prediction kernel: `Y = X·Wᵀ + b`, accumulated in double.
public enum Prediction {
    /// Writes `X.rows × outputCount` values to `output`.
    public static func apply<E: TrainingScalar>(
        weights: [Double], intercepts: [Double], featureCount d: Int, outputCount k: Int,
        X: MatrixView<E>, output: UnsafeMutablePointer<E>
    ) {
        weights.withUnsafeBufferPointer { w in
            intercepts.withUnsafeBufferPointer { b in
                guard let wp = w.baseAddress, let bp = b.baseAddress else { return }
                for row in 0..<X.rows {
                    let x = X.rowPointer(row)
                    let out = output + row &* k
                    for j in 0..<k {
                        let wj = wp + j &* d
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                        var c = 0
                        while c &+ 4 <= d {
                            s0 += x[c].asDouble * wj[c]
                            s1 += x[c &+ 1].asDouble * wj[c &+ 1]
                            s2 += x[c &+ 2].asDouble * wj[c &+ 2]
                            s3 += x[c &+ 3].asDouble * wj[c &+ 3]
                            c &+= 4
                        }
                        while c < d {
                            s0 += x[c].asDouble * wj[c]
                            c &+= 1
                        }
                        out[j] = E(roundingFrom: bp[j] + ((s0 + s1) + (s2 + s3)))
                    }
                }
            }
        }
    }
}
