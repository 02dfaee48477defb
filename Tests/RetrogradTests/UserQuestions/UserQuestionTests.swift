import Testing

/// Questions people ask about gradient surgery in TensorFlow and PyTorch, answered in
/// Retrograd: one suite per question, each working through every example of the answer
/// (or, for the gradient reversal notebook, every cell) with values derived independently.
///
/// The questions and their answers are not part of this repository; each suite's file
/// opens with the question it answers and what the original got wrong, if anything.
/// `swift test --filter UserQuestionTests` runs them all.
@Suite enum UserQuestionTests {}
