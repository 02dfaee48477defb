import Foundation
import Retrograd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the benchmark header reports about the machine and the process.
public enum SystemInfo {
    /// The logical CPUs available to this process.
    public static var cpuCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The CPU's model name: the first "model name" line of `/proc/cpuinfo` on Linux,
    /// `machdep.cpu.brand_string` on macOS, "unknown" when neither is there.
    public static var cpuModel: String {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("model name") {
                if let colon = line.firstIndex(of: ":") {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        #elseif canImport(Darwin)
        var size = 0
        if sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0) == 0, size > 0 {
            var buffer = [CChar](repeating: 0, count: size)
            if sysctlbyname("machdep.cpu.brand_string", &buffer, &size, nil, 0) == 0 {
                return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        #endif
        return "unknown"
    }

    /// The machine, as the report's `machine` object.
    public static var machine: BenchmarkReport.Machine { .init(cpus: cpuCount, model: cpuModel) }

    /// The threads the matrix products run on.
    ///
    /// - The fallback GEMM: its thread count (`RETROGRAD_THREADS`, else the CPUs the
    ///   process may use).
    /// - OpenBLAS and MKL are asked (`openblas_get_num_threads`, `MKL_Get_Max_Threads`);
    ///   they honour `OPENBLAS_NUM_THREADS` / `OMP_NUM_THREADS` / `MKL_NUM_THREADS` and
    ///   otherwise use every core.
    /// - Any other BLAS (Accelerate, a plain CBLAS): `OPENBLAS_NUM_THREADS` or
    ///   `OMP_NUM_THREADS` when set to a positive number, else the CPU count.
    ///
    /// Elementwise work of `Parallel.minimumCount` elements or more is split across
    /// `Parallel.chunkCount` threads, whatever the BLAS does.
    public static var blasThreads: Int {
        if let reported = matrixBackendThreads { return reported }
        for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"] {
            if let text = ProcessInfo.processInfo.environment[name], let value = Int(text), value > 0 { return value }
        }
        return cpuCount
    }

    /// The 1-, 5- and 15-minute load averages, or nil where `getloadavg` fails.
    public static var loadAverages: [Double]? {
        var values = [Double](repeating: 0, count: 3)
        guard getloadavg(&values, 3) == 3 else { return nil }
        return values.map { ($0 * 100).rounded() / 100 }
    }

    /// The peak resident memory of this process so far, in MB (2²⁰ bytes).
    ///
    /// On Linux this is `VmHWM` from `/proc/self/status`, the high-water mark of the
    /// process's current address space. `getrusage`'s `ru_maxrss` would be the same number
    /// for a process started from a shell, but Linux carries it across `execve`, so under
    /// `swift run` (which builds, then execs the program) it reports SwiftPM's own peak,
    /// about 120 MB. Elsewhere, and when `/proc` is unreadable, it is `ru_maxrss`
    /// (kilobytes on Linux, bytes on macOS).
    public static var peakResidentMegabytes: Double {
        #if os(Linux)
        if let kilobytes = statusKilobytes("VmHWM") { return kilobytes / 1024 }
        #endif
        return maximumResidentSetMegabytes
    }

    /// `getrusage(RUSAGE_SELF)`'s `ru_maxrss` in MB: the peak resident memory, which on
    /// Linux includes the peak of a program that exec'd this one.
    public static var maximumResidentSetMegabytes: Double {
        var usage = rusage()
        #if canImport(Glibc)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return .nan }
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        return Double(usage.ru_maxrss) / 1024
        #endif
    }

    /// A "Name:   123 kB" line of `/proc/self/status`, in kilobytes.
    static func statusKilobytes(_ name: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let fields = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let value = fields.first.flatMap({ Double($0) }), fields.dropFirst().first == "kB" { return value }
        }
        return nil
    }
}
