import LinReg

/// `linreg_progress_fn`: (epoch, loss, user_data) -> non-zero to stop.
public typealias CProgressFunction = @convention(c) (Int64, Double, UnsafeMutableRawPointer?) -> Int32

/// A C progress callback and its user data, adapted to the engine's handler.
struct ProgressCallback {
    let function: CProgressFunction
    let userData: UnsafeMutableRawPointer?

    var handler: ProgressHandler {
        let function = self.function
        let userData = self.userData
        return { epoch, loss in function(Int64(epoch), loss, userData) == 0 }
    }
}
