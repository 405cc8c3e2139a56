import Testing
@testable import CLinReg

@Suite struct LifecycleTests {
    @Test func createRefusesBadShapes() {
        var model: OpaquePointer?
        #expect(linreg_create(0, 1, &model) == 1)
        #expect(model == nil)
        #expect(linreg_create(3, -1, &model) == 1)
        #expect(linreg_create(Int64.max, 4, &model) == 1)
        #expect(linreg_create(3, 1, nil) == 1)
    }
}
