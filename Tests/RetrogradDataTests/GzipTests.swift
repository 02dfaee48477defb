import Testing
@testable import RetrogradData

@Suite struct GzipTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        // The "check" value of CRC-32/ISO-HDLC (the gzip CRC) for the ASCII digits 1…9.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func decompressesPythonsStoredFixedAndDynamicBlocks() throws {
        #expect(sampleText.count == 10_690)
        #expect(try Gzip.decompress(PythonGzipSamples.stored) == Array(sampleText[..<1000]))
        #expect(try Gzip.decompress(PythonGzipSamples.fixed) == sampleText)
        #expect(try Gzip.decompress(PythonGzipSamples.dynamic) == sampleText)
    }

    @Test func concatenatedMembersDecompressToTheirConcatenation() throws {
        let joined = PythonGzipSamples.fixed + PythonGzipSamples.stored + [0, 0, 0]
        #expect(try Gzip.decompress(joined) == sampleText + sampleText[..<1000])
    }

    @Test func storedBlocksLongerThanOneBlockRoundTrip() throws {
        let payload = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        #expect(try Gzip.decompress(storedGzip(payload)) == payload)
        #expect(try Gzip.decompress(storedGzip([])) == [])
    }

    @Test func aDamagedChecksumSizeOrStreamIsReported() {
        var badCRC = PythonGzipSamples.dynamic
        badCRC[badCRC.count - 8] ^= 0x01
        let crcError = thrownError(GzipFailure.self) { _ = try Gzip.decompress(badCRC) }
        guard case .checksumMismatch = crcError else { Issue.record("expected a CRC mismatch, got \(String(describing: crcError))"); return }

        var badSize = PythonGzipSamples.dynamic
        badSize[badSize.count - 4] ^= 0x01
        #expect(throws: GzipFailure.sizeMismatch(expected: 10_690 ^ 1, found: 10_690)) { try Gzip.decompress(badSize) }

        let cut = Array(PythonGzipSamples.dynamic.prefix(300))
        #expect(throws: GzipFailure.deflate(.truncated)) { try Gzip.decompress(cut) }
        #expect(throws: GzipFailure.truncatedTrailer) { try Gzip.decompress(Array(PythonGzipSamples.fixed.dropLast(3))) }
        #expect(throws: GzipFailure.truncatedHeader) { try Gzip.decompress([0x1F, 0x8B, 8, 0]) }
        #expect(throws: GzipFailure.unsupportedMethod(7)) { try Gzip.decompress([0x1F, 0x8B, 7, 0, 0, 0, 0, 0, 0, 0, 1]) }
        #expect(throws: GzipFailure.trailingGarbage(offset: PythonGzipSamples.fixed.count)) {
            try Gzip.decompress(PythonGzipSamples.fixed + [0x50, 0x4B])
        }
    }

    @Test func malformedDeflateStreamsAreRefused() {
        // A final block of the reserved type 3: bits 1, 11.
        #expect(throws: InflateFailure.reservedBlockType) { try Inflate.decompress([0b0000_0111], from: 0) }
        // A stored block whose NLEN is not the complement of LEN.
        #expect(throws: InflateFailure.storedLengthMismatch) { try Inflate.decompress([0x01, 0x05, 0x00, 0x00, 0x00], from: 0) }
        // Fixed codes (RFC 1951 §3.2.6): literal 'a', then a match of length 3 at distance 5
        // when only one byte has been written. The bits in stream order: 1 (final block),
        // 1 0 (type 1, least significant bit first); 'a' = 0x30 + 0x61 = 10010001 and length 3
        // = symbol 257 = 0000001 (Huffman codes go most significant bit first); distance 5 =
        // symbol 4 = 00100, then its one extra bit, 0.
        let bits = "1" + "10" + "10010001" + "0000001" + "00100" + "0"
        let packed = stride(from: 0, to: bits.count, by: 8).map { start -> UInt8 in
            let chunk = Array(bits.dropFirst(start).prefix(8))
            return chunk.enumerated().reduce(UInt8(0)) { $0 | ($1.element == "1" ? 1 << $1.offset : 0) }
        }
        #expect(throws: InflateFailure.distanceTooFar(distance: 5, available: 1)) { try Inflate.decompress(packed, from: 0) }
    }
}
