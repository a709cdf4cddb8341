package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.json;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Spec section "Input and Output Processing" (InputPath, Parameters, ResultSelector, ResultPath,
 * OutputPath).
 */
class InputOutputProcessingTest {

  @Test
  void inputPath_resultPath_outputPath_specExample_filtersAndPlaces() {
    // Spec "Filters": InputPath "$.library", ResultPath "$.x", OutputPath "$.x" on the example.
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','InputPath':'$.title','ResultPath':'$.copy',"
            + "'OutputPath':'$.copy','End':true}}}";
    ExecutionResult r = run(def, "{'title':'Numbers to know','numbers':[4,8,15,16,23,42]}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("'Numbers to know'"));
  }

  @Test
  void resultPath_specExample_addsResultBesideInput() {
    // Spec "ResultPath": input {"master": {"detail": [1,2,3]}}, Result into $.master.result.sum.
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Result':6,"
            + "'ResultPath':'$.master.result.sum','End':true}}}";
    ExecutionResult r = run(def, "{'master':{'detail':[1,2,3]}}");
    assertThat(r.output()).isEqualTo(json("{'master':{'detail':[1,2,3],'result':{'sum':6}}}"));
  }

  @Test
  void resultPath_null_discardsResultAndKeepsInput() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Result':'x','ResultPath':null,'End':true}}}";
    assertThat(run(def, "{'a':1}").output()).isEqualTo(json("{'a':1}"));
  }

  @Test
  void inputPathAndOutputPath_null_giveEmptyObject() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','InputPath':null,'Next':'Q'},"
            + "'Q':{'Type':'Pass','Result':{'a':1},'OutputPath':null,'End':true}}}";
    assertThat(run(def, "{'a':1}").output()).isEqualTo(json("{}"));
  }

  @Test
  void parameters_specExample_payloadTemplateWithPathsAndContext() {
    // Spec "Payload Template" example (with $$.Execution.Name standing in for $$.DayOfWeek).
    String def =
        """
        {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"flagged":true,
          "parts":{"first.$":"$.vals[0]","last3.$":"$.vals[-3:]"},
          "name.$":"$$.Execution.Name",
          "formattedOutput.$":"States.Format('Today is {}', $.day)"},"End":true}}}
        """;
    ExecutionResult r =
        AslExecutor.builder()
            .build()
            .execute(
                new StateMachine("Test", Asl.parse(def)),
                json("{'flagged':7,'vals':[0,10,20,30,40,50],'day':'Monday'}"),
                "exec-1",
                new VirtualClock(AslTestSupport.START));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output())
        .isEqualTo(
            json(
                "{'flagged':true,'parts':{'first':0,'last3':[30,40,50]},"
                    + "'name':'exec-1','formattedOutput':'Today is Monday'}"));
  }

  @Test
  void parameters_missingPath_failsStatesRuntimeWithAwsCause() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'x.$':'$.missing'},'End':true}}}";
    ExecutionResult r = run(def, "{'a':1}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause())
        .isEqualTo(
            "An error occurred while executing the state 'P' (entered at the event id #2). The"
                + " JSONPath '$.missing' specified for the field 'x.$' could not be found in the"
                + " input '{\"a\":1}'");
  }

  @Test
  void inputPath_missing_failsStatesRuntime() {
    String def = "{'StartAt':'P','States':{'P':{'Type':'Pass','InputPath':'$.nope','End':true}}}";
    ExecutionResult r = run(def, "{'a':1}");
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause())
        .isEqualTo(
            "An error occurred while executing the state 'P' (entered at the event id #2)."
                + " Invalid path '$.nope' : No results for path: $['nope']");
  }

  @Test
  void resultPath_intoScalarInput_failsResultPathMatchFailure() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Result':1,'ResultPath':'$.a.b','End':true}}}";
    ExecutionResult r = run(def, "{'a':'text'}");
    assertThat(r.error()).isEqualTo("States.ResultPathMatchFailure");
  }

  @Test
  void resultSelector_specExample_selectsFromTaskResult() {
    // Spec "ResultSelector": reshape the task result before ResultPath.
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::sns:publish',"
            + "'ResultSelector':{'id.$':'$.MessageId','fixed':'v'},'ResultPath':'$.sns','End':true}}}";
    TaskHandlers h =
        new TaskHandlers()
            .service("arn:aws:states:::sns:publish", req -> json("{'MessageId':'m-1','x':2}"));
    ExecutionResult r = run(def, "{'in':true}", h);
    assertThat(r.output()).isEqualTo(json("{'in':true,'sns':{'id':'m-1','fixed':'v'}}"));
  }

  @Test
  void contextObject_exposesExecutionStateAndStateMachine() {
    String def =
        "{'StartAt':'Ctx','States':{'Ctx':{'Type':'Pass','Parameters':{'id.$':'$$.Execution.Id',"
            + "'start.$':'$$.Execution.StartTime','input.$':'$$.Execution.Input','state.$':'$$.State.Name',"
            + "'entered.$':'$$.State.EnteredTime','retry.$':'$$.State.RetryCount',"
            + "'sm.$':'$$.StateMachine.Name'},'End':true}}}";
    ExecutionResult r = run(def, "{'k':1}");
    assertThat(r.output())
        .isEqualTo(
            json(
                "{'id':'arn:aws:states:us-east-1:123456789012:execution:Test:exec-1',"
                    + "'start':'2026-01-01T00:00:00.000Z','input':{'k':1},'state':'Ctx',"
                    + "'entered':'2026-01-01T00:00:00.000Z','retry':0,'sm':'Test'}"));
  }
}
