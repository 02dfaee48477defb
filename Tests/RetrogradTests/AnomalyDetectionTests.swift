import Testing
@testable import Retrograd
import RetrogradTestSupport

/// Runs `body` under anomaly detection and returns the anomaly it ends with (nil when it
/// ends normally; any other error is a test failure).
func caughtAnomaly(_ body: () throws -> Void) -> Anomaly? {
    do {
        try withAnomalyDetection(body)
        return nil
    } catch let error as AnomalyError {
        return error.anomaly
    } catch {
        Issue.record("expected an AnomalyError, got \(error)")
        return nil
    }
}

/// What `withAnomalyDetection` reports: the op, its inputs, the pass and the position.
@Suite struct AnomalyDetectionTests {
    @Test func logOfZeroIsReportedInTheForwardPass() throws {
        let x = Tensor([1, 0, 2] as [Float])
        let anomaly = try #require(caughtAnomaly { _ = x.log() })
        #expect(anomaly.op == "log")
        #expect(anomaly.phase == .forward)
        #expect(anomaly.inputShapes == [[3]] && anomaly.inputTypes == [.float32])
        #expect(anomaly.outputShape == [3] && anomaly.outputType == .float32)
        // log 0 = −inf at the middle element; log 1 and log 2 are finite.
        #expect(anomaly.value == .negativeInfinity && anomaly.elementIndex == 1 && anomaly.nonFiniteCount == 1)
        #expect(anomaly.nonFiniteInputs.isEmpty)
        #expect(anomaly.opNumber == 1)
        #expect(anomaly.recordIndex == nil && anomaly.rule == nil)
    }

    @Test func aRecordedOpGivesItsPositionAndStopsTheGradientRequest() throws {
        let x = Tensor([0.5, 0, 0] as [Double], shape: [3, 1])
        let tape = GradientTape()
        var reachedTheEnd = false
        let anomaly = try #require(caughtAnomaly {
            let y = tape.record {
                tape.watch(x)
                let scaled = x * 2  // record 0 (the constant is not watched: no expand)
                return scaled.log().sum()  // log is record 1, sum record 2
            }
            _ = try tape.gradient(of: y, wrt: x)
            reachedTheEnd = true
        })
        #expect(!reachedTheEnd)
        #expect(anomaly.op == "log" && anomaly.inputShapes == [[3, 1]] && anomaly.inputTypes == [.float64])
        #expect(anomaly.recordIndex == 1)
        // x * 2 is op 1, log op 2; sum (−inf in, −inf out) came after the first anomaly.
        #expect(anomaly.opNumber == 2)
        #expect(anomaly.nonFiniteCount == 2 && anomaly.elementIndex == 1)
        let message = AnomalyError(anomaly: anomaly).description
        for part in ["forward pass", "log", "-inf", "[3, 1] float64", "op 2", "record 1", "clamp"] {
            #expect(message.contains(part), "\(part) missing from: \(message)")
        }
    }

    @Test func zeroDividedByZeroIsReportedAtTheDivision() throws {
        // 0 / 0 is NaN (IEEE 754), from two finite inputs.
        let zero = Tensor([0] as [Float], shape: [1, 1])
        let anomaly = try #require(caughtAnomaly { _ = zero / zero })
        #expect(anomaly.op == "div" && anomaly.value == .nan)
        #expect(anomaly.inputShapes == [[1, 1], [1, 1]] && anomaly.nonFiniteInputs.isEmpty)
        #expect(AnomalyError(anomaly: anomaly).description.contains("divisor is 0"))
    }

    @Test func nanFromFiniteInputs() throws {
        let anomaly = try #require(caughtAnomaly { _ = Tensor([4, -1] as [Double]).sqrt() })
        #expect(anomaly.op == "sqrt" && anomaly.value == .nan && anomaly.elementIndex == 1)
    }

    @Test func overflowIsReportedAtTheOpThatOverflows() throws {
        // e^100 exceeds Float.greatestFiniteMagnitude (about e^88.7); e^10 does not.
        let anomaly = try #require(caughtAnomaly { _ = (Tensor([10, 100] as [Float]).exp() * 2).sum() })
        #expect(anomaly.op == "exp" && anomaly.value == .positiveInfinity && anomaly.elementIndex == 1)
    }

    @Test func sqrtAtZeroIsReportedInTheBackwardPassWithItsRecord() throws {
        let x = Tensor(Double(0.0))
        let tape = GradientTape()
        let anomaly = try #require(caughtAnomaly {
            let y = tape.record {
                tape.watch(x)
                return (x * x).sqrt()  // mul is record 0, sqrt record 1; both finite (0)
            }
            _ = try tape.gradient(of: y, wrt: x)
        })
        // sqrt's rule is g / (2·sqrt(x)): 1/0 = +inf, in the rule of record 1.
        #expect(anomaly.phase == .backward)
        #expect(anomaly.op == "div" && anomaly.value == .positiveInfinity)
        #expect(anomaly.inputShapes == [[], []] && anomaly.nonFiniteInputs.isEmpty)
        #expect(anomaly.rule?.op == "sqrt" && anomaly.rule?.recordIndex == 1)
        #expect(anomaly.recordIndex == nil)  // no tape records the backward pass
        let message = AnomalyError(anomaly: anomaly).description
        for part in ["backward pass", "div", "derivative rule of sqrt", "record 1", "away from 0"] {
            #expect(message.contains(part), "\(part) missing from: \(message)")
        }
    }

    @Test func theBackwardPassStopsAtTheFirstBadGradient() throws {
        // x → counted (identity with a counting pullback) → sqrt. The sqrt rule runs
        // first and produces the infinity; the pullback, earlier on the tape, must not run.
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        func run(_ x: Tensor) throws -> Tensor? {
            let tape = GradientTape()
            let y = tape.record {
                tape.watch(x)
                let counted = withCustomGradient(x, name: "counted", forward: { $0 }) { _, _, g in
                    counter.calls += 1
                    return g
                }
                return counted.sqrt()
            }
            return try tape.gradient(of: y, wrt: x)
        }
        let anomaly = try #require(caughtAnomaly { _ = try run(Tensor(Double(0.0))) })
        #expect(anomaly.rule?.op == "sqrt" && anomaly.rule?.recordIndex == 1)
        #expect(counter.calls == 0)
        // Without detection the pass runs to the end: the pullback runs once, and the
        // gradient 1/(2·sqrt(0)) is +inf.
        #expect(values(try run(Tensor(Double(0.0)))) == [.infinity])
        #expect(counter.calls == 1)
    }

    @Test func aCustomPullbackIsNamed() throws {
        let x = Tensor([1, 2] as [Double])
        let tape = GradientTape()
        let anomaly = try #require(caughtAnomaly {
            let y = tape.record {
                tape.watch(x)
                return withCustomGradient(x, name: "badPullback", forward: { $0 * 3 }) { _, _, g in g / 0.0 }.sum()
            }
            _ = try tape.gradient(of: y, wrt: x)
        })
        // g / 0.0 multiplies g by the constant +inf: mul reads an input that no checked op made.
        #expect(anomaly.phase == .backward && anomaly.op == "mul" && anomaly.nonFiniteInputs == [1])
        // The custom op is record 0, the sum record 1; the sum's rule ran first, cleanly.
        #expect(anomaly.rule?.op == "badPullback" && anomaly.rule?.recordIndex == 0)
        #expect(AnomalyError(anomaly: anomaly).description.contains("already non-finite"))
    }

    @Test func nonFiniteDataIsReportedAtTheFirstOpThatReadsIt() throws {
        let data = Tensor([1, .nan, 3, 4] as [Float], shape: [2, 2])
        let weights = Tensor([1, 0, 0, 1] as [Float], shape: [2, 2])
        let anomaly = try #require(caughtAnomaly { _ = (weights + 1).matmul(data) })
        #expect(anomaly.op == "matmul" && anomaly.opNumber == 2)
        #expect(anomaly.inputShapes == [[2, 2], [2, 2]] && anomaly.nonFiniteInputs == [1])
        let message = AnomalyError(anomaly: anomaly).description
        #expect(message.contains("input 1 was already non-finite") && message.contains("check the data"), "\(message)")
    }

    @Test func jacobianRequestsStopToo() throws {
        let x = Tensor([0, 1] as [Double])
        let tape = GradientTape()
        let anomaly = try #require(caughtAnomaly {
            let y = tape.record {
                tape.watch(x)
                return x.sqrt()
            }
            _ = try tape.jacobian(of: y, wrt: x)
        })
        #expect(anomaly.phase == .backward && anomaly.rule?.op == "sqrt" && anomaly.op == "div")
    }

    @Test func theNonFiniteScanFindsTheFirstBadElementInLongBuffers() {
        // Longer than one scan block (256 elements), with the bad element in a later block.
        for dtype in [DType.float32, .float64] {
            for (index, bad) in [(0, Double.nan), (255, .infinity), (256, -.infinity), (700, .nan)] {
                var elements = (0..<1000).map { Double($0) - 500 }
                elements[3] = dtype == .float32 ? Double(Float.greatestFiniteMagnitude) : .greatestFiniteMagnitude
                elements[4] = dtype == .float32 ? Double(Float.leastNonzeroMagnitude) : .leastNonzeroMagnitude
                let clean = Tensor(elements).cast(to: dtype)
                #expect(clean.firstNonFiniteIndex() == nil)
                elements[index] = bad
                elements[999] = .nan
                let tensor = Tensor(elements).cast(to: dtype)
                #expect(tensor.firstNonFiniteIndex() == index, "\(dtype) \(index)")
                #expect(tensor.nonFiniteCount(from: index) == 2)
            }
        }
        #expect(Tensor([1, 2] as [Int32]).firstNonFiniteIndex() == nil)
    }
}
