import Testing
@testable import LinReg

/// Full-batch gradient descent against PyTorch.
///
/// Reference numbers come from torch 2.13 (CPU) in the project venv; the data
/// sets `d1`/`d2` are in ``TrainerSupport`` and the scripts are quoted next
/// to each test. `r(t)` = `[float(v) for v in t.detach().flatten().tolist()]`.
@Suite struct TrainerGradientDescentTests {
    typealias S = TrainerSupport

    /// The seed's loop in float64 on d1:
    /// ```python
    /// x = torch.tensor(X, dtype=torch.float64); y = torch.tensor(Y, dtype=torch.float64)
    /// w = torch.tensor([[0.1, -0.2], [0.3, 0.05]], dtype=torch.float64, requires_grad=True)
    /// b = torch.tensor([0.5, -0.1], dtype=torch.float64, requires_grad=True)
    /// for epoch in range(60):
    ///     preds = x @ w.t() + b; diff = preds - y
    ///     loss = torch.sum(diff * diff) / diff.numel(); hist.append(loss.item()); loss.backward()
    ///     with torch.no_grad():
    ///         w -= w.grad * 0.05; b -= b.grad * 0.05; w.grad.zero_(); b.grad.zero_()
    /// ```
    @Test func seedLoopMatchesTorchFloat64() throws {
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 60)
        let result = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp,
                                 weights: [0.1, -0.2, 0.3, 0.05], intercepts: [0.5, -0.1])
        S.expectClose(result.weights, [1.0740799496290938, -1.0454892618204559, -0.18973117627228483, 0.22618418557390926],
                      relative: 1e-10, "W")
        S.expectClose(result.intercepts, [-0.19823819230304449, -0.33885475112655583], relative: 1e-10, "b")
        S.expectClose(result.lossHistory, [
            1.414663628472222, 1.2967164842615402, 1.1933378477219474, 1.1024138916839872, 1.022160193251006,
            0.9510688515030465, 0.8878641952982598, 0.8314656794796463, 0.7809567969115474, 0.7355590254116381,
            0.6946099889413812, 0.6575451464989057, 0.6238824343120355, 0.59320938074286, 0.5651722917891122,
            0.5394671707110209, 0.5158320902240884, 0.4940407816338099, 0.4738972437159084, 0.4552312062932375,
            0.43789431035519116, 0.4217568890663277, 0.40670525283649817, 0.39263939737603526, 0.37947106683919696,
            0.36712211518749227, 0.35552311813341775, 0.34461219574865287, 0.33433401228491966, 0.3246389251663125,
            0.31548225964107723, 0.30682368937254706, 0.29862670642367634, 0.29085816674808834, 0.2834878995270505,
            0.2764883705568061, 0.2698343914531953, 0.26350286774983267, 0.2574725800635352, 0.25172399342075263,
            0.24623909061031993, 0.24100122607510263, 0.23599499739826543, 0.2312061318958739, 0.22662138621050865,
            0.22222845712236947, 0.21801590206489652, 0.21397306805953586, 0.21009002797586365, 0.20635752318468997,
            0.2027669118078418, 0.19931012188315778, 0.1959796088602295, 0.19276831692445104, 0.18966964371638728,
            0.18667740807234381, 0.183785820462006, 0.1809894558415125, 0.1782832286765269, 0.17566236992075887,
        ], relative: 1e-10, "loss history")
        #expect(!result.stoppedEarly)
    }

    /// GD as full-batch torch.optim.SGD with momentum and weight decay, float64, on d1:
    /// ```python
    /// m = torch.nn.Linear(2, 2, bias=bias).double()   # weights copied in as float64
    /// m.weight.copy_(torch.tensor([[0.1, -0.2], [0.3, 0.05]], dtype=torch.float64))
    /// if bias: m.bias.copy_(torch.tensor([0.5, -0.1], dtype=torch.float64))
    /// opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=0.01)
    /// for epoch in range(40):
    ///     opt.zero_grad(); loss = F.mse_loss(m(x), y); hist.append(loss.item()); loss.backward(); opt.step()
    /// ```
    @Test func momentumAndWeightDecayMatchTorchOptimSGD() throws {
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 40, momentum: 0.9, weightDecay: 0.01)
        let result = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp,
                                 weights: [0.1, -0.2, 0.3, 0.05], intercepts: [0.5, -0.1])
        S.expectClose(result.weights, [1.389185482916715, -1.8921532135641523, -0.4073488227854283, 0.9651427863702149],
                      relative: 1e-10, "W")
        S.expectClose(result.intercepts, [0.47327433226278753, -0.84505206910981], relative: 1e-10, "b")
        S.expectClose(result.lossHistory, [
            1.414663628472222, 1.296523280180127, 1.1000519189771945, 0.8761881789112308, 0.6709834618448007,
            0.5143276205252185, 0.4157835027943976, 0.3672652506968517, 0.3502604523942428, 0.3443804020089686,
            0.3342943229496573, 0.3132425407830744, 0.2827980768119258, 0.2498214691037925, 0.2222633933615971,
            0.20549965947749932, 0.20035899049532493, 0.2032044412661147, 0.2076674949609934, 0.2071501836526394,
            0.1971094619931409, 0.17638043811713788, 0.14723820367644838, 0.11436106976406873, 0.0831874032660299,
            0.058271848498642816, 0.0421468689144985, 0.03495257559645037, 0.0348148484453857, 0.03872568015034325,
            0.04357138624097261, 0.04697608949925071, 0.047748540846435754, 0.045883352429622826, 0.042213916349554605,
            0.03790110177276853, 0.03395363676442162, 0.030923992349786242, 0.02883676559342244, 0.02731949252295863,
        ], relative: 1e-10, "loss history")
    }

    /// Same script with `bias=False` (fitIntercept off): b stays exactly 0.
    @Test func withoutInterceptMatchesTorchLinearWithoutBias() throws {
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 40, momentum: 0.9, weightDecay: 0.01,
                                   fitIntercept: false)
        let result = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp,
                                 weights: [0.1, -0.2, 0.3, 0.05], intercepts: [0.5, -0.1])
        S.expectClose(result.weights, [1.3506797443766958, -1.4646188552735167, -0.30036923751840205, 0.0017404585215951257],
                      relative: 1e-10, "W")
        #expect(result.intercepts == [0, 0])
        S.expectClose(result.lossHistory, [
            1.0273719618055557, 0.9872420425631453, 0.9151066942139736, 0.8211269156471462, 0.7158686185453115,
            0.6089561555117565, 0.5081452272717403, 0.4188579937654008, 0.34414209052051276, 0.2849568323094701,
            0.2406600654321697, 0.20956740963584555, 0.18947643454609114, 0.17808302853332988, 0.1732564162368451,
            0.17317468377738005, 0.1763484894706078, 0.181574176815884, 0.18785904362338904, 0.19435363358392727,
            0.20031249217576322, 0.20509001902325755, 0.20816538149873257, 0.20918224974983865, 0.20798625955737038,
            0.20464517111148145, 0.19944226479772661, 0.19284070813163715, 0.18542354982701556, 0.17781915005565718,
            0.17062437510662645, 0.16433760236407627, 0.15931093915943403, 0.15572691083305834, 0.153600242328876,
            0.15280120155564458, 0.15309400454765168, 0.1541823715092449, 0.15575448150317628, 0.15752101637721627,
        ], relative: 1e-10, "loss history")
    }

    /// The seed configuration on the Advertising data (first 160 rows, file
    /// order, float32), lr 1e-5, 1000 epochs, from w = [[0.1, -0.2, 0.3]], b = [0.5]:
    /// ```python
    /// rows = list(csv.reader(open("Advertising.csv", newline="")))[1:161]
    /// X = [[float(v) for v in r[1:4]] for r in rows]; Y = [[float(r[4])] for r in rows]
    /// x = torch.tensor(X, dtype=torch.float64).float(); y = torch.tensor(Y, dtype=torch.float64).float()
    /// w = torch.tensor([[0.1, -0.2, 0.3]]).requires_grad_(); b = torch.tensor([0.5]).requires_grad_()
    /// for epoch in range(1000):   # the seed's loop, in float32
    ///     diff = x @ w.t() + b - y; loss = torch.sum(diff * diff) / diff.numel(); hist.append(loss.item())
    ///     loss.backward()
    ///     with torch.no_grad(): w -= w.grad * 1e-5; b -= b.grad * 1e-5; w.grad.zero_(); b.grad.zero_()
    /// # float32: W [0.054027073085308075, 0.1973075419664383, 0.020390182733535767] b [0.5097200870513916]
    /// #          first 99.3341293334961 last 3.691925048828125
    /// # The same loop in float64 on the float32-rounded data from float64 weights
    /// # (x = torch.tensor(X, dtype=torch.float64).float().double(), likewise y;
    /// #  w = torch.tensor([[0.1, -0.2, 0.3]], dtype=torch.float64), b = torch.tensor([0.5], dtype=torch.float64)):
    /// # W [0.05402707569011088, 0.19730753324677475, 0.0203901925475873] b [0.5097196914911798]
    /// # first 99.33411841101487 last 3.6919255769763213
    /// ```
    @Test(.enabled(if: TrainerSupport.advertising() != nil, "needs ../shared/data/Advertising.csv"))
    func seedConfigurationOnAdvertisingMatchesTorchFloat32() throws {
        let data = try #require(S.advertising())
        #expect(data.X.count == 200)
        let X = Array(data.X[0..<160]), Y = Array(data.Y[0..<160])
        let hp = S.hyperparameters(.gradientDescent, learningRate: 1e-5, epochs: 1000)
        let result = try S.train(Float.self, X: X, Y: Y, hyperparameters: hp,
                                 weights: [0.1, -0.2, 0.3], intercepts: [0.5])
        S.expectClose(result.weights, [0.054027073085308075, 0.1973075419664383, 0.020390182733535767],
                      relative: 1e-5, "W")
        S.expectClose(result.intercepts, [0.5097200870513916], relative: 1e-5, "b")
        #expect(result.lossHistory.count == 1000)
        S.expectClose([result.lossHistory.first ?? .nan, result.lossHistory.last ?? .nan],
                      [99.3341293334961, 3.691925048828125], relative: 1e-5, "first/last loss")
        // Our arithmetic is double: it matches torch's float64 run on the same (rounded) data closely.
        S.expectClose(result.weights + result.intercepts,
                      [0.05402707569011088, 0.19730753324677475, 0.0203901925475873, 0.5097196914911798],
                      relative: 1e-10, "W, b vs float64 torch")
        S.expectClose([result.lossHistory.first ?? .nan, result.lossHistory.last ?? .nan],
                      [99.33411841101487, 3.6919255769763213], relative: 1e-10, "first/last loss vs float64 torch")
    }

    /// Many features and few rows: GD reads the data every epoch instead of
    /// through moments. The seed's loop in float64 from zeros, lr 0.05, 10 epochs:
    /// ```python
    /// XD = [[((i * 5 + j * 3) % 7) / 4 - 0.5 for j in range(12)] for i in range(4)]
    /// YD = [[((i * 3) % 5) / 2] for i in range(4)]
    /// ```
    @Test func directPathMatchesTorchFloat64() throws {
        var X: [[Double]] = [], Y: [[Double]] = []
        for i in 0..<4 {
            var row: [Double] = []
            for j in 0..<12 { row.append(Double((i * 5 + j * 3) % 7) / 4 - 0.5) }
            X.append(row)
            Y.append([Double((i * 3) % 5) / 2])
        }
        #expect(!GradientTrainer.usesMoments(rows: 4, features: 12, outputs: 1, epochs: 10))
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 10)
        let result = try S.train(Double.self, X: X, Y: Y, hyperparameters: hp,
                                 weights: Array(repeating: 0, count: 12), intercepts: [0])
        S.expectClose(result.weights, [
            0.15758187216192052, 0.09530982187650008, -0.1343272698178156, -0.022570769802233374, 0.285794307585421,
            0.275462463840654, 0.16791371590668758, 0.15758187216192052, 0.09530982187650008, -0.1343272698178156,
            -0.022570769802233374, 0.285794307585421,
        ], relative: 1e-10, "W")
        S.expectClose(result.intercepts, [0.4715223667149339], relative: 1e-10, "b")
        S.expectClose(result.lossHistory, [
            1.625, 1.230882568359375, 0.960277593010664, 0.7701004172097627, 0.6328451467931713,
            0.5308859606195024, 0.4528712446285373, 0.3914408198500974, 0.34177981625513354, 0.30070173975189407,
        ], relative: 1e-10, "loss history")
    }

    /// The moments path and the direct path agree (same quantities, different arithmetic).
    @Test func momentAndDirectPathsAgree() throws {
        #expect(GradientTrainer.usesMoments(rows: 23, features: 3, outputs: 2, epochs: 30))
        // SGD with one batch of all rows takes exactly GD's steps, computed directly.
        let gd = S.hyperparameters(.gradientDescent, learningRate: 0.1, epochs: 30, momentum: 0.5, weightDecay: 0.02)
        var sgd = gd
        sgd.solver = .stochasticGradientDescent
        sgd.batchSize = 1000
        let w0 = [0.1, -0.2, 0.3, 0.0, 0.25, -0.5], b0 = [0.5, -0.1]
        let a = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: gd, weights: w0, intercepts: b0)
        let b = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: sgd, weights: w0, intercepts: b0)
        S.expectClose(a.weights, b.weights, relative: 1e-12, "W")
        S.expectClose(a.intercepts, b.intercepts, relative: 1e-12, "b")
        S.expectClose(a.lossHistory, b.lossHistory, relative: 1e-12, "loss history")
    }
}
