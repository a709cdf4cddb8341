package dev.cairn.core.lifecycle;

import static dev.cairn.core.lifecycle.ActorRole.CI;
import static dev.cairn.core.lifecycle.ActorRole.FINALIZER;
import static dev.cairn.core.lifecycle.ActorRole.OPERATOR;
import static dev.cairn.core.lifecycle.ActorRole.PIPELINE;
import static dev.cairn.core.lifecycle.ActorRole.SWEEPER;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The artifact lifecycle as a table: every allowed move of {@code status}, {@code
 * environment_states.<env>.status} and {@code environment_states.<env>.test_status}, with the roles
 * allowed to make it. Anything not listed is refused. {@code docs/lifecycle.md} draws the same
 * table; {@code LifecycleTransitionsTest} pins that the two agree.
 *
 * <p>Creation ({@code (none) -> candidate}) is not a move: only {@link ActorRole#CI} creates
 * records ({@link #CREATORS}), with a conditional put.
 */
public final class LifecycleTransitions {

  /** Roles allowed to create a record (status {@code candidate}). */
  public static final Set<ActorRole> CREATORS = EnumSet.of(CI);

  /** One allowed move. */
  public record Move(StateField field, String from, String to, Set<ActorRole> actors) {
    public Move {
      actors = Set.copyOf(actors);
    }
  }

  private static final List<Move> MOVES = new ArrayList<>();

  static {
    // status -------------------------------------------------------------------------------------
    status(ArtifactStatus.CANDIDATE, ArtifactStatus.PROMOTED, PIPELINE); // stage tests passed
    status(ArtifactStatus.CANDIDATE, ArtifactStatus.REJECTED, PIPELINE, FINALIZER, OPERATOR);
    // A release copy that fails verification, or tests failing in a middle environment
    // (dev→stg→prod).
    status(ArtifactStatus.PROMOTED, ArtifactStatus.REJECTED, PIPELINE, OPERATOR);
    status(ArtifactStatus.PROMOTED, ArtifactStatus.ROLLBACK_INITIATED, PIPELINE, OPERATOR);
    status(
        ArtifactStatus.ROLLBACK_INITIATED, ArtifactStatus.ROLLBACK_SUCCEEDED, PIPELINE, FINALIZER);
    status(ArtifactStatus.ROLLBACK_INITIATED, ArtifactStatus.ROLLBACK_FAILED, PIPELINE, FINALIZER);
    status(ArtifactStatus.ROLLBACK_FAILED, ArtifactStatus.ROLLBACK_INITIATED, OPERATOR);
    status(ArtifactStatus.REJECTED, ArtifactStatus.CANDIDATE, OPERATOR); // signed requeue

    // environment_states.<env>.status ------------------------------------------------------------
    env(EnvironmentStatus.NOT_DEPLOYED, EnvironmentStatus.PENDING, PIPELINE, OPERATOR); // promotion
    env(EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING, PIPELINE); // AcquireLease
    env(
        EnvironmentStatus.PENDING,
        EnvironmentStatus.FAILED,
        PIPELINE); // verify phase failed (not a rejection)
    env(EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED, PIPELINE, FINALIZER);
    env(EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED, PIPELINE, FINALIZER);
    env(
        EnvironmentStatus.DEPLOYING,
        EnvironmentStatus.PENDING,
        SWEEPER,
        FINALIZER); // stuck > 65 min
    env(EnvironmentStatus.FAILED, EnvironmentStatus.PENDING, OPERATOR); // signed requeue
    // An operator's signed redeploy, or the watchdog's requeue of an execution stuck in its tests
    // (test_running, bake or post-deploy watch) > 65 min.
    env(EnvironmentStatus.DEPLOYED, EnvironmentStatus.PENDING, OPERATOR, SWEEPER);
    env(EnvironmentStatus.DEPLOYED, EnvironmentStatus.ROLLBACK_INITIATED, PIPELINE, OPERATOR);
    env(
        EnvironmentStatus.ROLLBACK_INITIATED,
        EnvironmentStatus.ROLLBACK_SUCCEEDED,
        PIPELINE,
        FINALIZER);
    env(
        EnvironmentStatus.ROLLBACK_INITIATED,
        EnvironmentStatus.ROLLBACK_FAILED,
        PIPELINE,
        FINALIZER);
    env(EnvironmentStatus.ROLLBACK_FAILED, EnvironmentStatus.ROLLBACK_INITIATED, OPERATOR);

    // environment_states.<env>.test_status -------------------------------------------------------
    test(TestStatus.NOT_TESTED, TestStatus.TEST_RUNNING, PIPELINE);
    test(TestStatus.TEST_RUNNING, TestStatus.TEST_PASSED, PIPELINE, FINALIZER);
    test(TestStatus.TEST_RUNNING, TestStatus.TEST_FAILED, PIPELINE, FINALIZER);
    test(TestStatus.TEST_RUNNING, TestStatus.NOT_TESTED, SWEEPER, FINALIZER); // stuck > 65 min
    test(TestStatus.TEST_FAILED, TestStatus.NOT_TESTED, OPERATOR); // signed requeue
    test(TestStatus.TEST_PASSED, TestStatus.NOT_TESTED, OPERATOR); // signed redeploy
  }

  private LifecycleTransitions() {}

  /** Every allowed move, in table order. */
  public static List<Move> moves() {
    return List.copyOf(MOVES);
  }

  /** The allowed move of {@code field} from {@code from} to {@code to}, if the table has one. */
  public static Move find(StateField field, String from, String to) {
    for (Move m : MOVES) {
      if (m.field() == field && m.from().equals(from) && m.to().equals(to)) {
        return m;
      }
    }
    return null;
  }

  /**
   * Checks {@code change} for {@code role}. Throws {@link TransitionRefusedException} ({@code
   * ILLEGAL_TRANSITION} or {@code ACTOR_NOT_ALLOWED}) with a message that lists what is allowed.
   */
  public static void check(StateChange change, ActorRole role) {
    Move move = find(change.field(), change.from(), change.to());
    if (move == null) {
      throw new TransitionRefusedException(
          TransitionRefusedException.Reason.ILLEGAL_TRANSITION,
          "illegal lifecycle move "
              + change
              + "; allowed from "
              + change.from()
              + ": "
              + allowedFrom(change.field(), change.from()));
    }
    if (!move.actors().contains(role)) {
      throw new TransitionRefusedException(
          TransitionRefusedException.Reason.ACTOR_NOT_ALLOWED,
          "actor role "
              + role
              + " may not make the move "
              + change
              + "; allowed roles: "
              + move.actors().stream().map(ActorRole::value).sorted().toList());
    }
  }

  private static List<String> allowedFrom(StateField field, String from) {
    return MOVES.stream()
        .filter(m -> m.field() == field && m.from().equals(from))
        .map(Move::to)
        .toList();
  }

  private static void status(ArtifactStatus from, ArtifactStatus to, ActorRole... actors) {
    MOVES.add(new Move(StateField.STATUS, from.value(), to.value(), Set.of(actors)));
  }

  private static void env(EnvironmentStatus from, EnvironmentStatus to, ActorRole... actors) {
    MOVES.add(new Move(StateField.ENVIRONMENT_STATUS, from.value(), to.value(), Set.of(actors)));
  }

  private static void test(TestStatus from, TestStatus to, ActorRole... actors) {
    MOVES.add(new Move(StateField.TEST_STATUS, from.value(), to.value(), Set.of(actors)));
  }
}
