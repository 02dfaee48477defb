@_exported import RetrogradTestSupport

/// Little-endian bytes of an unsigned integer, written out by hand for test files.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}
