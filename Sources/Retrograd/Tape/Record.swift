/// Where a tape keeps a value it has seen.
enum Slot: Hashable {
    /// The tape does not know the value: it is neither watched nor computed from a watched
    /// value, so no gradient flows to it.
    case unwatched
    /// A value gradients flow through: its index among the backward pass's gradients.
    case tracked(Int32)
    /// A value past a cut (`stopGradient`, a comparison, …): its index in the tape's cut
    /// log (`TapeCuts.swift`). The backward pass never reaches it; diagnostics follow it.
    case cut(Int32)

    /// The gradient index of a tracked value, nil otherwise.
    @inline(__always) var trackedIndex: Int32? {
        if case let .tracked(index) = self { return index }
        return nil
    }

    /// Whether the tape knows the value at all (tracked or cut).
    @inline(__always) var isKnown: Bool {
        if case .unwatched = self { return false }
        return true
    }
}

/// The slots of an op's inputs, in the op's argument order: up to three inline (most ops),
/// any number for `concat` and custom gradients.
enum RecordInputs {
    case one(Slot)
    case two(Slot, Slot)
    case three(Slot, Slot, Slot)
    case many([Slot])

    /// The slot of input `index`.
    @inline(__always) subscript(index: Int) -> Slot {
        switch self {
        case let .one(slot): index == 0 ? slot : .unwatched
        case let .two(first, second): index == 0 ? first : second
        case let .three(first, second, third): index == 0 ? first : index == 1 ? second : third
        case let .many(slots): slots[index]
        }
    }

    /// Every input's slot, in order.
    var all: [Slot] {
        switch self {
        case let .one(slot): [slot]
        case let .two(first, second): [first, second]
        case let .three(first, second, third): [first, second, third]
        case let .many(slots): slots
        }
    }
}

/// One recorded op: the primitive with what its rule reads, the slots of its inputs, and
/// the gradient index of its output.
struct Record {
    var op: Primitive
    var inputs: RecordInputs
    var output: Int32
}
