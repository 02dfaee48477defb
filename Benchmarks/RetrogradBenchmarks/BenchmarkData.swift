import Foundation
import Retrograd

/// The deterministic inputs every framework's benchmarks use, so that PyTorch, JAX and
/// Retrograd compute on the same numbers.
///
/// Values are computed in `Double` and then rounded to the tensor's element type (as
/// NumPy's `np.sin(0.37 * np.arange(n * d) + 1).astype(np.float32)` does).
public enum BenchmarkData {
    /// An `[rows, columns]` batch with x[i, j] = sin(0.37·(i·columns + j) + 1).
    public static func sineInputs(rows: Int, columns: Int, dtype: DType = .float32) -> Tensor {
        inputs(rows: rows, columns: columns, dtype: dtype) { sin($0) }
    }

    /// An `[rows, columns]` batch with x[i, j] = cos(0.37·(i·columns + j) + 1) (W5's target rows).
    public static func cosineInputs(rows: Int, columns: Int, dtype: DType = .float32) -> Tensor {
        inputs(rows: rows, columns: columns, dtype: dtype) { cos($0) }
    }

    /// The labels y[i] = i mod `classes`, for i in 0..<count.
    public static func labels(count: Int, classes: Int) -> [Int] {
        (0..<count).map { $0 % classes }
    }

    private static func inputs(rows: Int, columns: Int, dtype: DType, _ f: (Double) -> Double) -> Tensor {
        precondition(rows > 0 && columns > 0, "BenchmarkData: rows and columns must be positive, got \(rows)×\(columns)")
        let values = (0..<(rows * columns)).map { f(0.37 * Double($0) + 1) }
        switch dtype {
        case .float32: return Tensor(values.map { Float($0) }, shape: [rows, columns])
        case .float64: return Tensor(values, shape: [rows, columns])
        default: preconditionFailure("BenchmarkData: inputs must be float32 or float64, got \(dtype)")
        }
    }
}
