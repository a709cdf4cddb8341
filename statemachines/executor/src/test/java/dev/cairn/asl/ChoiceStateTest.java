package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.json;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec section "Choice State" and "Choice Rules". */
class ChoiceStateTest {

  private static String choice(String rule) {
    return "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
        + rule
        + "],'Default':'No'},'Yes':{'Type':'Pass','Result':'yes','End':true},"
        + "'No':{'Type':'Pass','Result':'no','End':true}}}";
  }

  private static String decide(String rule, String input) {
    return run(choice(rule), input).output().asText();
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "'Variable':'$.s','StringEquals':'b','Next':'Yes'|{'s':'b'}|yes",
        "'Variable':'$.s','StringEquals':'b','Next':'Yes'|{'s':1}|no",
        "'Variable':'$.s','StringLessThan':'b','Next':'Yes'|{'s':'a'}|yes",
        "'Variable':'$.s','StringGreaterThan':'b','Next':'Yes'|{'s':'a'}|no",
        "'Variable':'$.s','StringLessThanEquals':'b','Next':'Yes'|{'s':'b'}|yes",
        "'Variable':'$.s','StringGreaterThanEquals':'b','Next':'Yes'|{'s':'c'}|yes",
        "'Variable':'$.s','StringMatches':'log-*.txt','Next':'Yes'|{'s':'log-2024.txt'}|yes",
        "'Variable':'$.s','StringMatches':'a\\\\*b','Next':'Yes'|{'s':'a*b'}|yes",
        "'Variable':'$.s','StringMatches':'a\\\\*b','Next':'Yes'|{'s':'axxb'}|no",
        "'Variable':'$.n','NumericEquals':1,'Next':'Yes'|{'n':1.0}|yes",
        "'Variable':'$.n','NumericLessThan':1,'Next':'Yes'|{'n':0.5}|yes",
        "'Variable':'$.n','NumericGreaterThan':1,'Next':'Yes'|{'n':'2'}|no",
        "'Variable':'$.n','NumericLessThanEquals':1,'Next':'Yes'|{'n':1}|yes",
        "'Variable':'$.n','NumericGreaterThanEquals':1,'Next':'Yes'|{'n':2}|yes",
        "'Variable':'$.b','BooleanEquals':true,'Next':'Yes'|{'b':true}|yes",
        "'Variable':'$.b','BooleanEquals':true,'Next':'Yes'|{'b':'true'}|no",
        "'Variable':'$.t','TimestampEquals':'2026-01-01T00:00:00Z','Next':'Yes'|{'t':'2026-01-01T01:00:00+01:00'}|yes",
        "'Variable':'$.t','TimestampLessThan':'2026-01-01T00:00:00Z','Next':'Yes'|{'t':'2025-12-31T23:59:59Z'}|yes",
        "'Variable':'$.t','TimestampGreaterThan':'2026-01-01T00:00:00Z','Next':'Yes'|{'t':'2025-12-31T23:59:59Z'}|no",
        "'Variable':'$.t','TimestampLessThanEquals':'2026-01-01T00:00:00Z','Next':'Yes'|{'t':'2026-01-01T00:00:00Z'}|yes",
        "'Variable':'$.t','TimestampGreaterThanEquals':'2026-01-01T00:00:00Z','Next':'Yes'|{'t':'2026-01-01t00:00:00z'}|no",
        "'Variable':'$.a','StringEqualsPath':'$.b','Next':'Yes'|{'a':'x','b':'x'}|yes",
        "'Variable':'$.a','NumericLessThanPath':'$.b','Next':'Yes'|{'a':1,'b':2}|yes",
        "'Variable':'$.a','BooleanEqualsPath':'$.b','Next':'Yes'|{'a':false,'b':false}|yes",
        "'Variable':'$.a','TimestampGreaterThanPath':'$.b','Next':'Yes'|{'a':'2026-01-02T00:00:00Z','b':'2026-01-01T00:00:00Z'}|yes",
        "'Variable':'$.a','StringGreaterThanEqualsPath':'$.b','Next':'Yes'|{'a':'b','b':'a'}|yes",
        "'Variable':'$.x','IsPresent':true,'Next':'Yes'|{'y':1}|no",
        "'Variable':'$.x','IsPresent':false,'Next':'Yes'|{'y':1}|yes",
        "'Variable':'$.x','IsNull':true,'Next':'Yes'|{'x':null}|yes",
        "'Variable':'$.x','IsNumeric':true,'Next':'Yes'|{'x':3}|yes",
        "'Variable':'$.x','IsString':true,'Next':'Yes'|{'x':3}|no",
        "'Variable':'$.x','IsBoolean':true,'Next':'Yes'|{'x':false}|yes",
        "'Variable':'$.x','IsTimestamp':true,'Next':'Yes'|{'x':'2016-03-14T01:59:00Z'}|yes",
        "'Variable':'$.x','IsTimestamp':true,'Next':'Yes'|{'x':'yesterday'}|no",
      })
  void comparisonOperators_specChoiceRules(String rule, String input, String expected) {
    assertThat(decide("{" + rule + "}", input)).isEqualTo(expected);
  }

  @Test
  void booleanCombinators_specExample_andOrNot() {
    // Spec "Choice State" example: Not StringEquals, And NumericGreaterThanEquals/NumericLessThan.
    String rules =
        "{'Not':{'Variable':'$.type','StringEquals':'Private'},'Next':'No'},"
            + "{'And':[{'Variable':'$.value','IsPresent':true},"
            + "{'Variable':'$.value','NumericGreaterThanEquals':20},"
            + "{'Variable':'$.value','NumericLessThan':30}],'Next':'Yes'},"
            + "{'Or':[{'Variable':'$.value','NumericEquals':99}],'Next':'Yes'}";
    assertThat(decide(rules, "{'type':'Private','value':22}")).isEqualTo("yes");
    assertThat(decide(rules, "{'type':'Public','value':22}")).isEqualTo("no");
    assertThat(decide(rules, "{'type':'Private','value':99}")).isEqualTo("yes");
  }

  @Test
  void noMatchWithoutDefault_failsNoChoiceMatched() {
    String def =
        "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a',"
            + "'NumericEquals':1,'Next':'E'}]},'E':{'Type':'Succeed'}}}";
    ExecutionResult r = run(def, "{'a':2}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.NoChoiceMatched");
  }

  @Test
  void missingVariable_failsStatesRuntime() {
    ExecutionResult r =
        run(choice("{'Variable':'$.nope','StringEquals':'x','Next':'Yes'}"), "{'a':1}");
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause()).contains("Invalid path '$.nope'");
  }

  @Test
  void choiceOutput_isEffectiveInputThroughOutputPath() {
    String def =
        "{'StartAt':'C','States':{'C':{'Type':'Choice','InputPath':'$.in','OutputPath':'$.v',"
            + "'Choices':[{'Variable':'$.v','NumericEquals':1,'Next':'E'}]},'E':{'Type':'Succeed'}}}";
    assertThat(run(def, "{'in':{'v':1}}").output()).isEqualTo(json("1"));
  }
}
