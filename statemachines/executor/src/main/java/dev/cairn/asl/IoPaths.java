package dev.cairn.asl;

/**
 * A state's input and output processing (spec "Input and Output Processing"), in the order it is
 * applied: InputPath, Parameters, (the task), ResultSelector, ResultPath, OutputPath. A field the
 * state does not have is the no-op: {@link Selection#KEEP}, {@link PayloadTemplate#IDENTITY},
 * {@link ResultPath#REPLACE}.
 */
record IoPaths(
    Selection inputPath,
    PayloadTemplate parameters,
    PayloadTemplate resultSelector,
    ResultPath resultPath,
    Selection outputPath) {

  static final IoPaths NONE =
      new IoPaths(
          Selection.KEEP,
          PayloadTemplate.IDENTITY,
          PayloadTemplate.IDENTITY,
          ResultPath.REPLACE,
          Selection.KEEP);

  /**
   * InputPath or OutputPath: absent keeps the value, {@code null} gives {@code {}}, a Path selects
   * (and matching nothing is {@code States.Runtime}).
   */
  sealed interface Selection permits Keep, Empty, Select {
    Selection KEEP = new Keep();
    Selection EMPTY = new Empty();
  }

  record Keep() implements Selection {}

  record Empty() implements Selection {}

  record Select(String path) implements Selection {}

  /**
   * ResultPath: absent makes the result the output, {@code null} discards the result and keeps the
   * input, a Reference Path places the result into a copy of the input.
   */
  sealed interface ResultPath permits Replace, Discard, At {
    ResultPath REPLACE = new Replace();
    ResultPath DISCARD = new Discard();
  }

  record Replace() implements ResultPath {}

  record Discard() implements ResultPath {}

  record At(String path) implements ResultPath {}
}
