import Foundation
import Testing
@testable import Retrograd
import RetrogradTestSupport

/// A mutable box that test threads write and the test reads after joining them.
private final class Shared<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs `body` on a new thread and waits until it has finished.
private func onAnotherThread(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    Thread {
        body()
        done.signal()
    }.start()
    done.wait()
}

private struct UnrelatedError: Error, Equatable {}

/// How `withAnomalyDetection` scopes begin, end, nest and stay on their thread.
@Suite struct AnomalyScopeTests {
    @Test func aCleanScopeReturnsTheBodysValue() throws {
        let x = Tensor([1, 2, 3] as [Double])
        let tape = GradientTape()
        let (value, gradient) = try withAnomalyDetection { () throws -> (Double, [Double]) in
            let y = tape.record {
                tape.watch(x)
                return (x * x).sum()
            }
            return (y.scalar(as: Double.self), values(try tape.gradient(of: y, wrt: x)))
        }
        #expect(value == 14 && gradient == [2, 4, 6])  // 1 + 4 + 9, and 2x
        #expect(!AnomalyMonitor.isActive)
    }

    @Test func withoutAScopeNaNsPassSilently() throws {
        let zero = Tensor(Double(0.0))
        #expect((zero / zero).scalar(as: Double.self).isNaN)
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(zero)
            return zero.sqrt()
        }
        #expect(values(try tape.gradient(of: y, wrt: zero)) == [.infinity])
        // Also after a scope has come and gone.
        _ = caughtAnomaly { _ = zero.log() }
        #expect((zero.log()).scalar(as: Double.self) == -.infinity)
        #expect(!AnomalyMonitor.isActive)
    }

    @Test func leavingTheScopeThrowsAnAnomalyNobodyAskedAbout() throws {
        var reachedTheEnd = false
        let anomaly = try #require(caughtAnomaly {
            _ = Tensor([-4] as [Float]).sqrt()
            _ = Tensor([2] as [Float]) * 3  // detection goes on; nothing stops the body
            reachedTheEnd = true
        })
        #expect(reachedTheEnd && anomaly.op == "sqrt" && anomaly.value == .nan)
        #expect(!AnomalyMonitor.isActive)
    }

    @Test func theAnomalyWinsOverALaterError() {
        #expect(throws: AnomalyError.self) {
            try withAnomalyDetection {
                _ = Tensor([0] as [Float]).log()
                throw UnrelatedError()
            }
        }
        #expect(throws: UnrelatedError()) {
            try withAnomalyDetection { throw UnrelatedError() }
        }
        #expect(!AnomalyMonitor.isActive)
    }

    @Test func aCaughtAnomalyIsThrownOnceAndDetectionGoesOn() throws {
        let x = Tensor(Double(0.0))
        var first: Anomaly?
        let second = try #require(caughtAnomaly {
            let tape = GradientTape()
            let y = tape.record {
                tape.watch(x)
                return x.log()
            }
            do {
                _ = try tape.gradient(of: y, wrt: x)
            } catch let error as AnomalyError {
                first = error.anomaly  // skip this batch
            }
            _ = Tensor([1, 0] as [Double]).reciprocal()
        })
        #expect(first?.op == "log" && first?.recordIndex == 0)
        #expect(second.op == "reciprocal" && second.elementIndex == 1 && second.opNumber == 2)
    }

    @Test func scopesNest() throws {
        var inner: Anomaly?
        let outer = try #require(caughtAnomaly {
            _ = Tensor([1] as [Double]) * 2  // outer op 1
            do {
                try withAnomalyDetection {
                    _ = Tensor([1] as [Double]) + 1  // inner op 1, outer op 2
                    _ = Tensor([0] as [Double]).log()  // inner op 2, outer op 3
                }
            } catch let error as AnomalyError {
                inner = error.anomaly
            }
            #expect(AnomalyMonitor.isActive)
            _ = Tensor([-1] as [Double]).sqrt()  // outer op 4
        })
        #expect(inner?.op == "log" && inner?.opNumber == 2)
        #expect(outer.op == "sqrt" && outer.opNumber == 4)
        #expect(!AnomalyMonitor.isActive)
    }

    @Test func anOuterAnomalyIsNotTheInnerScopes() throws {
        var innerEndedCleanly = false
        let outer = try #require(caughtAnomaly {
            _ = Tensor([0] as [Float]).log()
            try withAnomalyDetection { _ = Tensor([1] as [Float]) * 2 }
            innerEndedCleanly = true
        })
        #expect(innerEndedCleanly && outer.op == "log" && outer.opNumber == 1)
    }

    @Test func nestedTapesGiveThePositionOnTheOuterTape() throws {
        let x = Tensor(Double(0.0))
        let anomaly = try #require(caughtAnomaly {
            let outer = GradientTape()
            _ = try outer.record { () throws -> Tensor? in
                outer.watch(x)
                let inner = GradientTape()
                let y = inner.record {
                    inner.watch(x)
                    return (x * x).sqrt()  // records 0 and 1 on both tapes
                }
                // The outer tape records the inner backward pass: sqrt's rule computes
                // y · 2 (outer record 2), then g divided by that (outer record 3) = +inf.
                return try inner.gradient(of: y, wrt: x)
            }
        })
        #expect(anomaly.phase == .backward && anomaly.op == "div")
        #expect(anomaly.rule?.op == "sqrt" && anomaly.rule?.recordIndex == 1)
        #expect(anomaly.recordIndex == 3)
    }

    @Test func opsOnOtherThreadsAreNotChecked() throws {
        let result = Shared<(value: Double, active: Bool)>((0, true))
        let anomaly = caughtAnomaly {
            onAnotherThread {
                result.value = (Tensor([0] as [Double]).log().scalar(as: Double.self), AnomalyMonitor.isActive)
            }
        }
        #expect(anomaly == nil)
        #expect(result.value.value == -.infinity && !result.value.active)
    }

    @Test func aScopeOnAnotherThreadDoesNotCheckThisOne() throws {
        let opened = DispatchSemaphore(value: 0), proceed = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Shared<String>("not finished")
        Thread {
            do {
                try withAnomalyDetection {
                    opened.signal()
                    proceed.wait()
                }
                outcome.value = "clean"
            } catch {
                outcome.value = "\(error)"
            }
            finished.signal()
        }.start()
        opened.wait()
        let active = AnomalyMonitor.isActive
        let value = Tensor([0] as [Double]).log().scalar(as: Double.self)
        proceed.signal()
        finished.wait()
        #expect(!active && value == -.infinity)
        #expect(outcome.value == "clean")
    }
}
