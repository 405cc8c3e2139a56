/// Which way the exact solver reduced the rows of a fit, and how many times
/// it read the data: what benchmarks and curious users want to see (C:
/// `linreg_get_solver_info`; Python: `solver_path_`, `n_passes_`).
public struct ExactSolverReport: Sendable, Equatable {
    /// The reductions, numbered as the C interface reports them.
    public enum Path: Int, Sendable, CaseIterable {
        /// One pass: the factor from the data's moments (well-conditioned data).
        case normalEquations = 1
        /// The moments, then one pass for the residual block (nearly exact fits).
        case normalEquationsWithResidualPass = 2
        /// The moments, then refinement passes of the coefficients (correlated
        /// or polynomial designs on large data; ExactSolver+Refinement.swift).
        case refinedNormalEquations = 3
        /// The double-double Householder reduction (small or very
        /// ill-conditioned data; the moments pass that declined included).
        case householder = 4
    }

    /// The path the rows took.
    public var path: Path
    /// Passes over the data, the declined moments pass included.
    public var passes: Int

    public init(path: Path, passes: Int) {
        self.path = path
        self.passes = passes
    }
}
