import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import CLinReg
import LinReg

/// The C boundary seen from Swift: statuses, messages and transactional
/// failure. (The C test suite in bindings/c/tests covers the same API from C.)
@Suite struct LifecycleTests {
    @Test func createRefusesBadShapesAndClearsOut() {
        var model: OpaquePointer? = OpaquePointer(bitPattern: 0x1)
        #expect(linreg_create(0, 1, &model) == Status.argument.rawValue)
        #expect(model == nil)
        #expect(String(cString: linreg_last_error()).contains("n_features = 0"))
        #expect(linreg_create(3, -1, &model) == Status.argument.rawValue)
        #expect(String(cString: linreg_last_error()).contains("n_outputs = -1"))
        #expect(linreg_create(Int64.max, 4, &model) == Status.argument.rawValue)
        #expect(String(cString: linreg_last_error()).contains("overflows"))
        #expect(linreg_create(3, 1, nil) == Status.argument.rawValue)
        #expect(String(cString: linreg_last_error()).contains("out is NULL"))
    }

    @Test func statusStringsCoverEveryCode() {
        for status in Status.allCases {
            #expect(String(cString: linreg_status_string(status.rawValue)) == status.text)
        }
        #expect(String(cString: linreg_status_string(99)) == "unknown status")
        #expect(String(cString: linreg_status_string(-1)) == "unknown status")
    }

    @Test func versionAgreesWithItsParts() {
        #expect(linreg_version_number() == 100)
        #expect(String(cString: linreg_version_string()) == "0.1.0")
    }

    @Test func refusedParameterLeavesModelUnchanged() {
        var model: OpaquePointer?
        #expect(linreg_create(2, 1, &model) == 0)
        defer { linreg_free(model) }
        var value = 0.0
        #expect(linreg_set_param(model, Int32(Parameter.learningRate.rawValue), 0.5) == 0)
        #expect(linreg_set_param(model, Int32(Parameter.learningRate.rawValue), -1) == Status.argument.rawValue)
        #expect(linreg_set_param(model, Int32(Parameter.epochs.rawValue), 2.5) == Status.argument.rawValue)
        #expect(linreg_set_param(model, 999, 1) == Status.argument.rawValue)
        #expect(linreg_get_param(model, Int32(Parameter.learningRate.rawValue), &value) == 0)
        #expect(value == 0.5)
        #expect(linreg_get_param(model, Int32(Parameter.epochs.rawValue), &value) == 0)
        #expect(value == 1000)
    }

    @Test func nonFiniteInputIsNamedAndLeavesWeightsAlone() {
        var model: OpaquePointer?
        #expect(linreg_create(2, 1, &model) == 0)
        defer { linreg_free(model) }
        let W = [0.25, -0.5], b = [2.0]
        #expect(linreg_set_weights(model, W, b) == 0)
        let X: [Double] = [1, 2, 3, .infinity, 5, 6]
        let Y: [Double] = [1, 2, 3]
        #expect(linreg_fit_f64(model, X, Y, 3) == Status.nonFinite.rawValue)
        #expect(String(cString: linreg_last_error()).contains("row 1, column 1"))
        var gotW = [0.0, 0.0], gotB = [0.0]
        #expect(linreg_get_weights(model, &gotW, &gotB) == 0)
        #expect(gotW == W && gotB == b)
        #expect(linreg_is_fitted(model) == 1)
    }

    @Test func lastErrorIsPerThread() throws {
        _ = linreg_create(0, 0, nil)
        let here = String(cString: linreg_last_error())
        // A second OS thread fails differently and reads its own message.
        final class Box: @unchecked Sendable { var message = "" }
        let box = Box()
        let context = Unmanaged.passRetained(box).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            _ = linreg_fit_f64(nil, nil, nil, 1)
            box.message = String(cString: linreg_last_error())
            return nil
        }, context)
        try #require(created == 0)
        pthread_join(thread, nil)
        #expect(box.message.contains("linreg_fit_f64: model is NULL"))
        #expect(String(cString: linreg_last_error()) == here)
    }

    @Test func predictBeforeFitIsNotFitted() {
        var model: OpaquePointer?
        #expect(linreg_create(1, 1, &model) == 0)
        defer { linreg_free(model) }
        let X: [Float] = [1, 2]
        var out: [Float] = [7, 7]
        #expect(linreg_predict_f32(model, X, 2, &out) == Status.notFitted.rawValue)
        #expect(out == [7, 7])
    }
}
