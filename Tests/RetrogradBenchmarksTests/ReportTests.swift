import Foundation
import RetrogradBenchmarks
import RetrogradNN
import Testing

@Suite("Report, timing harness, data")
struct ReportTests {
    @Test("the JSON has exactly the shared schema's keys and round-trips")
    func jsonRoundTrip() throws {
        let report = BenchmarkReport(
            version: "0.1.0", backend: "OpenBLAS (libopenblas.so.0)", threads: 2,
            machine: .init(cpus: 2, model: "AMD EPYC"),
            results: [
                BenchmarkResult(id: "W2", unit: .stepsPerSecond, samples: [3, 1, 2]),
                BenchmarkResult(id: "W1.forward", unit: .microsecondsPerOp, samples: [0.5, 0.25]),
            ])
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["framework", "variant", "version", "backend", "threads", "machine", "results"])
        #expect(object["framework"] as? String == "retrograd" && object["variant"] as? String == "eager")
        #expect(object["threads"] as? Int == 2)
        let machine = try #require(object["machine"] as? [String: Any])
        #expect(Set(machine.keys) == ["cpus", "model"] && machine["cpus"] as? Int == 2)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.map { Set($0.keys) } == Array(repeating: ["id", "unit", "better", "value", "samples"], count: 2))
        #expect(results[0]["unit"] as? String == "steps/s" && results[0]["better"] as? String == "higher")
        #expect(results[0]["value"] as? Double == 2 && results[0]["samples"] as? [Double] == [3, 1, 2])
        #expect(results[1]["unit"] as? String == "us/op" && results[1]["better"] as? String == "lower")
        #expect(results[1]["value"] as? Double == 0.375)
        #expect(try BenchmarkReport(jsonData: data) == report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"unit\" : \"steps/s\""))  // units are written as they read, "/" unescaped
        #expect(try report.jsonData() == data)  // sorted keys: the same bytes every time
    }

    @Test("the extras use the PyTorch/JAX files' keys, and are left out when nil")
    func extras() throws {
        var report = BenchmarkReport(
            version: "0.1.0", backend: "fallback", threads: 1, machine: .init(cpus: 1, model: "x"), results: [])
        let bare = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(bare.count == 7)
        report.settings = .init(workloads: ["W1"], repeats: 3, minimumRepeatSeconds: 0.05, quick: true)
        report.loadAverage = .init(start: [1, 2, 3], end: [4, 5, 6])
        report.date = "2026-01-01T00:00:00Z"
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let settings = try #require(object["settings"] as? [String: Any])
        #expect(Set(settings.keys) == ["workloads", "repeats", "min_repeat_seconds", "quick"])
        #expect(settings["quick"] as? Bool == true)
        let load = try #require(object["load_average"] as? [String: Any])
        #expect(load["start"] as? [Double] == [1, 2, 3] && object["date"] as? String == "2026-01-01T00:00:00Z")
        #expect(try BenchmarkReport(jsonData: data) == report)
    }

    @Test("a result's note is written under \"note\", as the peers write it, and read back")
    func notes() throws {
        let result = BenchmarkResult(id: "W8", unit: .microsecondsPerStep, samples: [2, 1, 3], note: "first epoch")
        let report = BenchmarkReport(
            version: "0.1.0", backend: "fallback", threads: 1, machine: .init(cpus: 1, model: "x"), results: [result])
        let data = try report.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.first?["note"] as? String == "first epoch" && results.first?["unit"] as? String == "us/step")
        #expect(try BenchmarkReport(jsonData: data).results == [result])
    }

    @Test("a file with keys this side does not know (a peer's notes) still reads")
    func peerFile() throws {
        let text = """
            {"framework": "pytorch", "variant": "eager", "version": "2.5", "backend": "cpu", "threads": 2,
             "machine": {"cpus": 2, "model": "m"}, "notes": ["n"], "interop_threads": 2,
             "results": [{"id": "W2", "unit": "steps/s", "better": "higher", "value": 5, "samples": [5], "note": "x"}]}
            """
        let report = try BenchmarkReport(jsonData: Data(text.utf8))
        #expect(report.framework == "pytorch" && report.results.first?.value == 5 && report.settings == nil)
    }

    @Test("units and their directions", arguments: [
        (BenchmarkUnit.microsecondsPerOp, "us/op", "lower"), (.stepsPerSecond, "steps/s", "higher"),
        (.megabytes, "MB", "lower"), (.gigaflopsPerSecond, "GFLOP/s", "higher"), (.milliseconds, "ms", "lower"),
        (.microsecondsPerStep, "us/step", "lower"), (.seconds, "s", "lower"),
    ])
    func units(unit: BenchmarkUnit, text: String, better: String) {
        #expect(unit.rawValue == text && unit.better.rawValue == better)
    }

    @Test("the harness warms up, then times every repeat with the same iteration count")
    func harness() {
        var calls = 0
        let plan = TimingPlan(warmupIterations: 4, warmupSeconds: 0, repeats: 5, minimumRepeatSeconds: 0)
        let samples = measureSeconds(plan) { calls += 1 }
        #expect(samples.count == 5 && samples.allSatisfy { $0 >= 0 })
        #expect(calls == 4 + 5)
        #expect(plan.forLongCalls.minimumRepeatSeconds == 0 && plan.forLongCalls.repeats == 5)
        #expect(TimingPlan.quick.with(repeats: 7).repeats == 7)
    }

    @Test("median")
    func medians() {
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([7]) == 7)
    }

    @Test("workload lists parse case-insensitively into numerical order")
    func workloadLists() throws {
        #expect(try Workload.parseList("W3,w1, W3") == [.w1, .w3])
        #expect(throws: BenchmarkError.unknownWorkload("W10")) { try Workload.parseList("W1,W10") }
        #expect(try Workload.parseList("w9,W2") == [.w2, .w9])
        #expect(try Workload.parseList("w8,W2") == [.w2, .w8])
        #expect(throws: BenchmarkError.noWorkloads) { try Workload.parseList(" , ") }
        #expect(BenchmarkSuite(workloads: [.w3]).reportsMemory)
        #expect(!BenchmarkSuite(workloads: [.w1, .w3]).reportsMemory)
        #expect(BenchmarkSuite(workloads: [.w9]).reportsMemory)
        #expect(!BenchmarkSuite(workloads: [.w3, .w9]).reportsMemory)
        #expect(!BenchmarkSuite().reportsMemory)
    }

    @Test("inputs are sin/cos(0.37·(i·d + j) + 1), labels i mod classes")
    func data() {
        let x = BenchmarkData.sineInputs(rows: 3, columns: 4)
        #expect(x.shape == [3, 4] && x.dtype == .float32)
        #expect(x.scalars(as: Float.self)[2 * 4 + 1] == Float(sin(0.37 * 9 + 1)))
        let t = BenchmarkData.cosineInputs(rows: 2, columns: 2, dtype: .float64)
        #expect(t.scalars(as: Double.self) == (0..<4).map { cos(0.37 * Double($0) + 1) })
        #expect(BenchmarkData.labels(count: 5, classes: 2) == [0, 1, 0, 1, 0])
    }

    @Test("system information is filled in")
    func system() {
        #expect(SystemInfo.cpuCount >= 1 && !SystemInfo.cpuModel.isEmpty)
        #expect(SystemInfo.blasThreads >= 1)
        // The process's own peak never exceeds ru_maxrss, which may include an exec'ing parent's.
        #expect(SystemInfo.peakResidentMegabytes > 0)
        #expect(SystemInfo.peakResidentMegabytes <= SystemInfo.maximumResidentSetMegabytes + 1)
        #expect(SystemInfo.loadAverages.map { $0.count == 3 && $0.allSatisfy { $0 >= 0 } } ?? true)
    }
}
