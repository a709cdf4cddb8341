package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.machine;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed model {@link StateMachine} builds once: defaults filled in, templates compiled, and the
 * problems only typing reveals reported with the state and the field.
 */
class ModelParserTest {
  private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:work";

  @Test
  void parse_whenCatcherResultPathIsNoReferencePath_namesStateAndField() {
    String def =
        "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,"
            + "'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.e[*]','Next':'B'}]},"
            + "'B':{'Type':'Succeed'}}}";
    assertThatThrownBy(() -> machine(def))
        .isInstanceOf(AslDefinitionException.class)
        .hasMessageContaining("state 'A': Catch[0].ResultPath is not a valid Reference Path");
  }

  @Test
  void parse_whenTimeoutSecondsIsZero_namesStateAndField() {
    String def =
        "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','TimeoutSeconds':0,'End':true}}}";
    assertThatThrownBy(() -> machine(def))
        .isInstanceOf(AslDefinitionException.class)
        .hasMessageContaining("state 'A': TimeoutSeconds must be a positive integer");
  }

  @Test
  void parse_whenProblemsAreInsideBranches_namesBranchStateAndFieldOfEach() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
            + "{'StartAt':'B','States':{'B':{'Type':'Task','Resource':'r','HeartbeatSeconds':-1,"
            + "'End':true}}},"
            + "{'StartAt':'C','States':{'C':{'Type':'Task','Resource':'r','TimeoutSeconds':1.5,"
            + "'End':true}}}]}}}";
    assertThatThrownBy(() -> machine(def))
        .isInstanceOfSatisfying(
            AslDefinitionException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "state 'P': branch 0: state 'B': HeartbeatSeconds must be a positive"
                            + " integer",
                        "state 'P': branch 1: state 'C': TimeoutSeconds must be a positive"
                            + " integer"));
  }

  @Test
  void parse_retrierWithoutOptionalFields_getsTheSpecDefaults() {
    StateMachine m =
        machine(
            "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,"
                + "'Retry':[{'ErrorEquals':['X']}]}}}");
    State.Task task = (State.Task) m.graph().state("A");
    assertThat(task.retry())
        .containsExactly(
            new Retrier(
                new ErrorEquals(List.of("X")), 1.0, 3, 2.0, Double.POSITIVE_INFINITY, false));
    assertThat(task.resource().type()).isEqualTo("activity");
  }

  @Test
  void parse_parameters_compilesPathsIntrinsicsAndLiterals() {
    StateMachine m =
        machine(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','End':true,'Parameters':"
                + "{'p.$':'$.x','i.$':'States.UUID()','l':1}}}}");
    PayloadTemplate.ObjectTemplate parameters =
        (PayloadTemplate.ObjectTemplate) m.graph().state("A").io().parameters();
    assertThat(parameters.fields())
        .extracting(PayloadTemplate.Field::value)
        .hasExactlyElementsOfTypes(
            PayloadTemplate.PathValue.class,
            PayloadTemplate.IntrinsicValue.class,
            PayloadTemplate.Literal.class);
  }

  @Test
  void execute_afterTheDefinitionJsonChanges_runsTheModelParsedAtConstruction() {
    String def =
        "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'"
            + FN
            + "','Retry':[{'ErrorEquals':['States.ALL'],'MaxAttempts':2}],'End':true}}}";
    StateMachine m = machine(def);
    ObjectNode retrier = (ObjectNode) m.definition().at("/States/A/Retry/0");
    retrier.put("MaxAttempts", 0);
    int[] calls = {0};
    ExecutionResult r =
        AslExecutor.builder()
            .handlers(
                new TaskHandlers()
                    .lambda(
                        FN,
                        req -> {
                          calls[0]++;
                          throw new TaskFailure("Boom", "no");
                        }))
            .build()
            .execute(
                m, AslTestSupport.json("{}"), "exec-1", new VirtualClock(AslTestSupport.START));
    assertThat(r.error()).isEqualTo("Boom");
    assertThat(calls[0]).isEqualTo(3);
  }

  @Test
  void run_specRetryDefaults_threeRetriesOneTwoFourSecondsApart() {
    String def =
        "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'"
            + FN
            + "','Retry':[{'ErrorEquals':['Boom']}],'End':true}}}";
    VirtualClock clock = new VirtualClock(AslTestSupport.START);
    ExecutionResult r =
        run(
            def,
            "{}",
            new TaskHandlers()
                .lambda(
                    FN,
                    req -> {
                      throw new TaskFailure("Boom", "no");
                    }),
            clock);
    assertThat(r.error()).isEqualTo("Boom");
    assertThat(clock.instant()).isEqualTo(AslTestSupport.START.plusSeconds(1 + 2 + 4));
  }
}
