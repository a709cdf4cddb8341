package dev.cairn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LifecycleTransitionsTest {

  @Test
  void check_whenMoveNotInTable_refusesIllegalTransition() {
    assertThatThrownBy(
            () ->
                LifecycleTransitions.check(
                    StateChange.status(ArtifactStatus.REJECTED, ArtifactStatus.PROMOTED),
                    ActorRole.OPERATOR))
        .isInstanceOfSatisfying(
            TransitionRefusedException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo(TransitionRefusedException.Reason.ILLEGAL_TRANSITION);
              assertThat(e.getMessage())
                  .contains("status: rejected -> promoted")
                  .contains("allowed from rejected: [candidate]");
            });
  }

  @Test
  void check_whenRoleNotAllowed_refusesActorNotAllowed() {
    assertThatThrownBy(
            () ->
                LifecycleTransitions.check(
                    StateChange.environment(
                        "prod", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING),
                    ActorRole.OPERATOR))
        .isInstanceOfSatisfying(
            TransitionRefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TransitionRefusedException.Reason.ACTOR_NOT_ALLOWED);
              assertThat(e.getMessage()).contains("allowed roles: [pipeline]");
            });
  }

  @Test
  void docsLifecycle_listsEveryMoveOfTheTable() throws Exception {
    Path doc = Path.of("../../docs/lifecycle.md");
    String text = Files.readString(doc);
    for (LifecycleTransitions.Move m : LifecycleTransitions.moves()) {
      String roles =
          m.actors().stream().map(ActorRole::value).sorted().collect(Collectors.joining(", "));
      String row =
          "| " + field(m.field()) + " | " + m.from() + " | " + m.to() + " | " + roles + " |";
      assertThat(text).as("docs/lifecycle.md row").contains(row);
    }
    long rows =
        text.lines()
            .filter(l -> l.startsWith("| `status`") || l.startsWith("| `environment_states."))
            .count();
    assertThat(rows)
        .as("docs/lifecycle.md lists no extra move")
        .isEqualTo(LifecycleTransitions.moves().size());
  }

  static String field(StateField f) {
    return switch (f) {
      case STATUS -> "`status`";
      case ENVIRONMENT_STATUS -> "`environment_states.<env>.status`";
      case TEST_STATUS -> "`environment_states.<env>.test_status`";
    };
  }
}
