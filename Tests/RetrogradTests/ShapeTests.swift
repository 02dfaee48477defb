import Testing
import Retrograd

/// `Shape` stores up to eight dimensions inline; these check it behaves as the array of
/// dimensions it stands for.
@Suite struct ShapeTests {
    @Test(arguments: [[], [3], [2, 3], [1, 2, 3], [4, 1, 2, 3], [2, 2, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]])
    func aShapeIsItsDimensions(dimensions: [Int]) {
        let shape = Shape(dimensions)
        #expect(shape.dimensions == dimensions)
        #expect(Array(shape) == dimensions)
        #expect(shape.rank == dimensions.count)
        #expect(shape.elementCount == dimensions.reduce(1, *))
        #expect(shape.description == "[" + dimensions.map(String.init).joined(separator: ", ") + "]")
    }

    @Test func equalDimensionsMakeEqualShapesAndHashes() {
        var built: Shape = [2, 3]
        built[1] = 5
        var appended = Shape([2])
        appended.dimensions.append(5)
        #expect(built == [2, 5] && appended == [2, 5])
        #expect(Set([built, appended, Shape([2, 5])]).count == 1)
        #expect(Shape([2, 5]) != Shape([2, 5, 1]) && Shape([]) != Shape([1]) && Shape([0]) != Shape([]))
    }

    @Test func broadcastingFollowsNumPy() {
        #expect(Shape.broadcast([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(Shape.broadcast([], [5]) == [5])
        #expect(Shape.broadcast([2, 3], [4, 3]) == nil)
    }

    @Test func checkedShapesRefuseWhatATensorCannotHold() {
        #expect(Shape(checking: [1, 2, 3]) == [1, 2, 3])
        #expect(Shape(checking: [Int](repeating: 1, count: 8)) != nil)
        #expect(Shape(checking: [Int](repeating: 1, count: 9)) == nil)
        #expect(Shape(checking: [Int(Int32.max) + 1]) == nil)
        #expect(Shape(checking: [-1]) == nil)
        #expect(Shape.limitsDescription.contains("8"))
    }

    @Test func aDimensionAboveInt32MaxStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Shape([1 << 40])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("1099511627776") && message.contains("2147483647"), "\(message)")
    }
}
