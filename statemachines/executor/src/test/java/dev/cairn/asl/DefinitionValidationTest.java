package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.machine;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec "Structure of a State Machine" and "Error Handling": definitions that must be rejected. */
class DefinitionValidationTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'StartAt':'A','States':{'A':{'Type':'Teleport','End':true}}}|unknown or missing Type",
        "{'StartAt':'A','States':{'A':{'Type':'Pass'}}}|exactly one of Next",
        "{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'Z'}}}|unknown state 'Z'",
        "{'StartAt':'Z','States':{'A':{'Type':'Pass','End':true}}}|StartAt 'Z'",
        "{'StartAt':'A','States':{'A':{'Type':'Succeed'},'B':{'Type':'Succeed'}}}|not reachable",
        "{'StartAt':'A','States':{'A':{'Type':'Task','End':true}}}|Resource",
        "{'StartAt':'A','States':{'A':{'Type':'Wait','End':true}}}|exactly one of Seconds",
        "{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[]}}}|non-empty Choices",
        "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,'Retry':[{'ErrorEquals':['States.ALL','X']}]}}}|States.ALL must appear alone",
        "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,'Catch':[{'ErrorEquals':['States.ALL'],'Next':'A'},{'ErrorEquals':['X'],'Next':'A'}]}}}|States.ALL must appear alone",
        "{'StartAt':'A','States':{'A':{'Type':'Pass','ResultPath':'$.a[*]','End':true}}}|Reference Path",
        "{'StartAt':'A','States':{'A':{'Type':'Succeed','Next':'A'}}}|must not have Next",
        "{'QueryLanguage':'JSONata','StartAt':'A','States':{'A':{'Type':'Succeed'}}}|JSONata is not supported",
        "{'StartAt':'A','States':{'A':{'Type':'Pass','Assign':{'x':1},'End':true}}}|Assign",
      })
  void invalidDefinition_isRejected(String definition, String message) {
    assertThatThrownBy(() -> machine(definition))
        .isInstanceOf(AslDefinitionException.class)
        .hasMessageContaining(message);
  }
}
