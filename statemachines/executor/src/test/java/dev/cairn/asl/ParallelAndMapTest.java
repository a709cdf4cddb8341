package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.START;
import static dev.cairn.asl.AslTestSupport.json;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Spec sections "Parallel State" and "Map State". */
class ParallelAndMapTest {

  @Test
  void parallel_specExample_outputIsArrayOfBranchOutputs() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
            + "{'StartAt':'A','States':{'A':{'Type':'Pass','Result':'a','End':true}}},"
            + "{'StartAt':'B','States':{'B':{'Type':'Pass','InputPath':'$.x','End':true}}}],"
            + "'ResultPath':'$.r','End':true}}}";
    assertThat(run(def, "{'x':1}").output()).isEqualTo(json("{'x':1,'r':['a',1]}"));
  }

  @Test
  void parallel_branchFailure_failsStateWithBranchError_andCatchHandlesIt() {
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
            + "{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}},"
            + "{'StartAt':'B','States':{'B':{'Type':'Fail','Error':'BranchBoom','Cause':'c'}}}],"
            + "'Catch':[{'ErrorEquals':['BranchBoom'],'Next':'H'}],'End':true},"
            + "'H':{'Type':'Pass','End':true}}}";
    assertThat(run(def, "{}").output()).isEqualTo(json("{'Error':'BranchBoom','Cause':'c'}"));
    String uncaught =
        def.replace(",'Catch':[{'ErrorEquals':['BranchBoom'],'Next':'H'}]", "")
            .replace(",'H':{'Type':'Pass','End':true}", "");
    ExecutionResult r = run(uncaught, "{}");
    assertThat(r.error()).isEqualTo("BranchBoom");
  }

  @Test
  void parallel_branchesRunConcurrentlyOnTheVirtualClock() {
    VirtualClock clock = new VirtualClock(START);
    String def =
        "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
            + "{'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':10,'End':true}}},"
            + "{'StartAt':'B','States':{'B':{'Type':'Wait','Seconds':30,'End':true}}}],'End':true}}}";
    run(def, "{}", new TaskHandlers(), clock);
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(30));
  }

  @Test
  void map_specExample_itemsPathItemSelectorAndContextItem() {
    // Spec "Map State" example: ItemsPath $.detail.shipped, ItemSelector with $$.Map.Item.Value.
    String def =
        "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.detail.shipped',"
            + "'ItemSelector':{'parcel.$':'$$.Map.Item.Value','index.$':'$$.Map.Item.Index',"
            + "'courier.$':'$.detail.delivery-partner'},"
            + "'ItemProcessor':{'StartAt':'V','States':{'V':{'Type':'Pass','End':true}}},"
            + "'ResultPath':'$.detail.shipped','End':true}}}";
    ExecutionResult r =
        run(
            def,
            "{'detail':{'delivery-partner':'UQS','shipped':[{'prod':'R31','item':1},"
                + "{'prod':'S39','item':2}]}}");
    assertThat(r.output().at("/detail/shipped"))
        .isEqualTo(
            json(
                "[{'parcel':{'prod':'R31','item':1},'index':0,'courier':'UQS'},"
                    + "{'parcel':{'prod':'S39','item':2},'index':1,'courier':'UQS'}]"));
  }

  @Test
  void map_legacyIteratorAndParameters_stillWork() {
    String def =
        "{'StartAt':'M','States':{'M':{'Type':'Map','Parameters':{'v.$':'$$.Map.Item.Value'},"
            + "'Iterator':{'StartAt':'V','States':{'V':{'Type':'Pass','OutputPath':'$.v','End':true}}},"
            + "'End':true}}}";
    assertThat(run(def, "[1,2,3]").output()).isEqualTo(json("[1,2,3]"));
  }

  @Test
  void map_iterationFailure_failsMapWithThatError() {
    String def =
        "{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{'StartAt':'C','States':{"
            + "'C':{'Type':'Choice','Choices':[{'Variable':'$','NumericEquals':2,'Next':'F'}],"
            + "'Default':'OK'},'F':{'Type':'Fail','Error':'Two'},'OK':{'Type':'Succeed'}}},"
            + "'End':true}}}";
    assertThat(run(def, "[1,2,3]").error()).isEqualTo("Two");
  }

  @Test
  void map_toleratedFailures_withinAndBeyondThreshold() {
    String base =
        "{'StartAt':'M','States':{'M':{'Type':'Map',%s,'ItemProcessor':{'StartAt':'C','States':{"
            + "'C':{'Type':'Choice','Choices':[{'Variable':'$','NumericGreaterThan':2,'Next':'F'}],"
            + "'Default':'OK'},'F':{'Type':'Fail','Error':'Big'},'OK':{'Type':'Succeed'}}},"
            + "'End':true}}}";
    ExecutionResult ok = run(String.format(base, "'ToleratedFailureCount':2"), "[1,2,3,4]");
    assertThat(ok.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ok.output().get(2)).isEqualTo(json("{'Error':'Big'}"));
    ExecutionResult over = run(String.format(base, "'ToleratedFailurePercentage':25"), "[1,2,3,4]");
    assertThat(over.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
  }

  @Test
  void map_maxConcurrency_schedulesIterationsIntoSlots() {
    String def =
        "{'StartAt':'M','States':{'M':{'Type':'Map','MaxConcurrency':%d,'ItemProcessor':{"
            + "'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'End':true}}},'End':true}}}";
    VirtualClock one = new VirtualClock(START);
    run(String.format(def, 1), "[1,2,3,4]", new TaskHandlers(), one);
    assertThat(Duration.between(START, one.instant())).isEqualTo(Duration.ofSeconds(40));
    VirtualClock two = new VirtualClock(START);
    run(String.format(def, 2), "[1,2,3,4]", new TaskHandlers(), two);
    assertThat(Duration.between(START, two.instant())).isEqualTo(Duration.ofSeconds(20));
    VirtualClock all = new VirtualClock(START);
    run(String.format(def, 0), "[1,2,3,4]", new TaskHandlers(), all);
    assertThat(Duration.between(START, all.instant())).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void map_itemsPathNotArray_failsStatesRuntime() {
    String def =
        "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.a','ItemProcessor':{"
            + "'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}}}";
    assertThat(run(def, "{'a':1}").error()).isEqualTo("States.Runtime");
  }
}
