package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.START;
import static dev.cairn.asl.AslTestSupport.json;
import static dev.cairn.asl.AslTestSupport.machine;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec "Task State" plus Step Functions' lambda:invoke wrapping and MockConfigFile format. */
class TaskDispatchAndMocksTest {

  @Test
  void lambdaInvoke_wrapsPayloadLikeTheServiceIntegration() {
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
            + "'Parameters':{'FunctionName':'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST',"
            + "'Payload':{'v.$':'$.v'}},'End':true}}}";
    TaskHandlers h = new TaskHandlers().lambda("echo", q -> q.payload());
    ExecutionResult r = run(def, "{'v':7}", h);
    assertThat(r.output().get("Payload")).isEqualTo(json("{'v':7}"));
    assertThat(r.output().get("StatusCode").asInt()).isEqualTo(200);
    assertThat(r.output().has("ExecutedVersion")).isTrue();
    assertThat(r.output().has("SdkHttpMetadata")).isTrue();
    assertThat(r.output().has("SdkResponseMetadata")).isTrue();
  }

  @Test
  void lambdaArn_resultIsHandlerOutput_andServiceIntegrationsDispatchByResource() {
    String def =
        "{'StartAt':'L','States':{'L':{'Type':'Task','Resource':"
            + "'arn:aws:lambda:us-east-1:123456789012:function:double','ResultPath':'$.d','Next':'B'},"
            + "'B':{'Type':'Task','Resource':'arn:aws:states:::codebuild:startBuild.sync',"
            + "'Parameters':{'ProjectName':'tests'},'ResultSelector':{'s.$':'$.Build.BuildStatus'},"
            + "'ResultPath':'$.b','Next':'E'},"
            + "'E':{'Type':'Task','Resource':'arn:aws:states:::events:putEvents','Parameters':{'Entries':[]},"
            + "'ResultPath':null,'Next':'S'},"
            + "'S':{'Type':'Task','Resource':'arn:aws:states:::aws-sdk:s3:getObject','Parameters':{},"
            + "'ResultPath':null,'End':true}}}";
    List<String> seen = new ArrayList<>();
    TaskHandlers h =
        new TaskHandlers()
            .lambda("double", q -> json("{'x':" + q.payload().get("x").asInt() * 2 + "}"))
            .service(
                "arn:aws:states:::codebuild:startBuild",
                q -> {
                  seen.add(q.payload().get("ProjectName").asText());
                  return json("{'Build':{'BuildStatus':'SUCCEEDED'}}");
                })
            .service("arn:aws:states:::events:putEvents", q -> json("{'FailedEntryCount':0}"))
            .service("arn:aws:states:::aws-sdk:s3:getObject", q -> json("{}"));
    ExecutionResult r = run(def, "{'x':2}", h);
    assertThat(r.output()).isEqualTo(json("{'x':2,'d':{'x':4},'b':{'s':'SUCCEEDED'}}"));
    assertThat(seen).containsExactly("tests");
  }

  @Test
  void taskWithoutMockOrHandler_failsWithClearRuntimeError() {
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::sns:publish',"
            + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'X'}],'End':true},'X':{'Type':'Succeed'}}}";
    ExecutionResult r = run(def, "{}");
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause()).contains("No mocked response and no handler").contains("'T'");
  }

  @Test
  void mockConfig_awsExample_retryPathUsesInvocationRanges() {
    // The MockConfigFile example from the Step Functions Local guide (RetryPath test case).
    MockConfig config =
        new MockConfig(
            json(
                "{'StateMachines':{'LambdaSQSIntegration':{'TestCases':{'RetryPath':{"
                    + "'LambdaState':'MockedLambdaRetry','SQSState':'MockedSQSSuccess'}}}},"
                    + "'MockedResponses':{'MockedLambdaRetry':{"
                    + "'0':{'Throw':{'Error':'Lambda.ResourceNotReadyException','Cause':'Lambda resource is not ready.'}},"
                    + "'1-2':{'Throw':{'Error':'Lambda.TimeoutException','Cause':'Lambda timed out.'}},"
                    + "'3':{'Return':{'StatusCode':200,'Payload':{'StatusCode':200,'body':'Hello from Lambda!'}}}},"
                    + "'MockedSQSSuccess':{'0':{'Return':{'MD5OfMessageBody':'3bcb','MessageId':'3bcb6e8e'}}}}}"));
    String def =
        "{'StartAt':'LambdaState','States':{'LambdaState':{'Type':'Task',"
            + "'Resource':'arn:aws:states:::lambda:invoke','Parameters':{'FunctionName':'f'},"
            + "'Retry':[{'ErrorEquals':['Lambda.ResourceNotReadyException','Lambda.TimeoutException'],"
            + "'IntervalSeconds':1,'MaxAttempts':3,'BackoffRate':1}],"
            + "'ResultSelector':{'body.$':'$.Payload.body'},'Next':'SQSState'},"
            + "'SQSState':{'Type':'Task','Resource':'arn:aws:states:::sqs:sendMessage',"
            + "'Parameters':{'MessageBody.$':'$.body'},'End':true}}}";
    ExecutionResult r =
        AslExecutor.builder()
            .mocks(config.testCase("LambdaSQSIntegration", "RetryPath"))
            .build()
            .execute(machine(def), json("{}"), "exec", new VirtualClock(START));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'MD5OfMessageBody':'3bcb','MessageId':'3bcb6e8e'}"));
    assertThat(r.history().stream().filter(e -> e.type().equals("TaskFailed")).count())
        .isEqualTo(3);
  }

  @Test
  void history_hasStandardEventsWithIdsAndVirtualTimestamps() {
    String def =
        "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':5,'Next':'T'},"
            + "'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:f','End':true}}}";
    List<String> progress = new ArrayList<>();
    ExecutionResult r =
        AslExecutor.builder()
            .handlers(new TaskHandlers().lambda("f", q -> json("{}")))
            .listener(
                new ExecutionListener() {
                  @Override
                  public void onStateCompleted(String name, String type, java.time.Duration d) {
                    progress.add(name + ":" + d.getSeconds());
                  }
                })
            .build()
            .execute(machine(def), json("{}"), "e", new VirtualClock(START));
    assertThat(r.history())
        .extracting(HistoryEvent::type)
        .containsExactly(
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    assertThat(r.history().get(2).timestamp()).isEqualTo(START.plusSeconds(5));
    assertThat(r.history().get(3).previousEventId()).isEqualTo(3);
    assertThat(r.history().get(1).toJson().has("stateEnteredEventDetails")).isTrue();
    assertThat(progress).containsExactly("W:5", "T:0");
  }
}
