import Retrograd

/// One damaged copy of a file: what was done to it, for failure messages, and its bytes.
struct Mutation: CustomStringConvertible {
    var description: String
    var bytes: [UInt8]
    /// The single byte that was changed, and the mask it was XORed with (`nil` for a
    /// truncation or several changes).
    var flipped: (position: Int, mask: UInt8)?
}

/// Systematic damage to a file: every truncation and seeded random byte flips.
enum Mutations {
    /// Every proper prefix of `bytes`, from empty to one byte short.
    static func truncations(of bytes: [UInt8]) -> [Mutation] {
        (0..<bytes.count).map { Mutation(description: "truncated to \($0) of \(bytes.count) bytes", bytes: Array(bytes[0..<$0])) }
    }

    /// `count` copies of `bytes`, each with one byte at a seeded random position XORed with
    /// a seeded random nonzero mask.
    static func singleFlips(of bytes: [UInt8], count: Int, seed: UInt64) -> [Mutation] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            let mask = UInt8.random(in: 1...255, using: &generator)
            return flip(bytes, at: position, mask: mask)
        }
    }

    /// Every single-bit flip of every byte in `range` (all of `bytes` by default).
    static func bitFlips(of bytes: [UInt8], in range: Range<Int>? = nil) -> [Mutation] {
        (range ?? 0..<bytes.count).flatMap { position in (0..<8).map { flip(bytes, at: position, mask: 1 << $0) } }
    }

    /// `count` copies of `bytes`, each with 2 to 8 bytes at seeded random positions XORed
    /// with seeded random nonzero masks.
    static func multipleFlips(of bytes: [UInt8], count: Int, seed: UInt64) -> [Mutation] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            var damaged = bytes
            var changes = [String]()
            for _ in 0..<Int.random(in: 2...8, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                let mask = UInt8.random(in: 1...255, using: &generator)
                damaged[position] ^= mask
                changes.append("\(position)^\(mask)")
            }
            return Mutation(description: "bytes flipped at " + changes.joined(separator: ", "), bytes: damaged)
        }
    }

    /// `bytes` with the byte at `position` XORed with `mask`.
    static func flip(_ bytes: [UInt8], at position: Int, mask: UInt8) -> Mutation {
        var damaged = bytes
        damaged[position] ^= mask
        return Mutation(description: "byte \(position) of \(bytes.count) XOR \(mask)", bytes: damaged, flipped: (position, mask))
    }
}

/// Little-endian helpers for building expected values from raw bytes by hand.
enum LittleEndian {
    /// The unsigned integer in the `width` bytes of `bytes` at `offset`.
    static func unsigned(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    /// The bytes of `value`, least significant first.
    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
