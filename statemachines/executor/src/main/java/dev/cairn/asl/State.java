package dev.cairn.asl;

import java.util.List;

/**
 * One state of a parsed definition (spec "State Types"). Each type keeps only the fields the spec
 * gives it, already typed; {@code next} is {@code null} for a state with {@code "End": true}.
 * Choice, Succeed and Fail never have one.
 */
sealed interface State
    permits State.Retryable, State.Pass, State.Choice, State.Wait, State.Succeed, State.Fail {

  /** The state's name, as written in {@code States}. */
  String name();

  /** The state's {@code Type}, as written (used for history event names). */
  String type();

  /** InputPath, Parameters, ResultSelector, ResultPath and OutputPath. */
  IoPaths io();

  /** Task, Parallel and Map: the states that take Retry and Catch. */
  sealed interface Retryable extends State permits Task, Parallel, Map {
    List<Retrier> retry();

    List<Catcher> catchers();

    String next();
  }

  /**
   * A Task state. The resource ARN is split once into the type and name Step Functions records in
   * {@code TaskScheduled}.
   */
  record Task(
      String name,
      IoPaths io,
      TaskResource resource,
      FieldValue timeoutSeconds,
      FieldValue heartbeatSeconds,
      List<Retrier> retry,
      List<Catcher> catchers,
      String next)
      implements Retryable {
    public Task {
      retry = List.copyOf(retry);
      catchers = List.copyOf(catchers);
    }

    @Override
    public String type() {
      return "Task";
    }
  }

  /** A Pass state; {@code result} is the identity template when the state has no Result. */
  record Pass(String name, IoPaths io, PayloadTemplate result, String next) implements State {
    @Override
    public String type() {
      return "Pass";
    }
  }

  /** A Choice state; {@code defaultNext} is {@code null} when the state has no Default. */
  record Choice(String name, IoPaths io, List<ChoiceRule.Branch> choices, String defaultNext)
      implements State {
    public Choice {
      choices = List.copyOf(choices);
    }

    @Override
    public String type() {
      return "Choice";
    }
  }

  /** A Wait state: exactly one of Seconds, Timestamp, SecondsPath and TimestampPath. */
  record Wait(String name, IoPaths io, WaitUntil until, String next) implements State {
    @Override
    public String type() {
      return "Wait";
    }
  }

  /** A Succeed state. */
  record Succeed(String name, IoPaths io) implements State {
    @Override
    public String type() {
      return "Succeed";
    }
  }

  /** A Fail state: Error and Cause, each fixed or from ErrorPath/CausePath (path or intrinsic). */
  record Fail(String name, IoPaths io, FieldValue error, FieldValue cause) implements State {
    @Override
    public String type() {
      return "Fail";
    }
  }

  /** A Parallel state: every branch is a state machine of its own. */
  record Parallel(
      String name,
      IoPaths io,
      List<StateGraph> branches,
      List<Retrier> retry,
      List<Catcher> catchers,
      String next)
      implements Retryable {
    public Parallel {
      branches = List.copyOf(branches);
      retry = List.copyOf(retry);
      catchers = List.copyOf(catchers);
    }

    @Override
    public String type() {
      return "Parallel";
    }
  }

  /**
   * A Map state (inline). {@code itemSelector} is the identity template when neither ItemSelector
   * nor Parameters is given; then each iteration's input is the item itself. {@code hasItemReader}
   * records an ItemReader, which fails at run time as Step Functions Local does.
   */
  record Map(
      String name,
      IoPaths io,
      StateGraph processor,
      String itemsPath,
      PayloadTemplate itemSelector,
      int maxConcurrency,
      FieldValue toleratedFailurePercentage,
      FieldValue toleratedFailureCount,
      boolean hasItemReader,
      List<Retrier> retry,
      List<Catcher> catchers,
      String next)
      implements Retryable {
    public Map {
      retry = List.copyOf(retry);
      catchers = List.copyOf(catchers);
    }

    @Override
    public String type() {
      return "Map";
    }
  }
}
