package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Intrinsic functions (spec "Intrinsic Functions"), with the spec's and AWS's own examples. */
class IntrinsicsTest {
  private final Intrinsics intrinsics = new Intrinsics(new Random(7));
  private final JsonNode input =
      json(
          "{'name':'Arnav','arr':[1,2,3,4,5,6,7,8,9],'dup':[1,2,3,3,3,3,3,3,4],"
              + "'a':{'x':1,'y':2},'b':{'y':3,'z':4},'str':'This.is+a,test=string','n':111}");

  private JsonNode eval(String expr) {
    return intrinsics.evaluate(expr, input, json("{'Execution':{'Name':'e'}}"));
  }

  @Test
  void format_withEscapesAndNestedCall() {
    assertThat(eval("States.Format('Hello, my name is {}.', $.name)").asText())
        .isEqualTo("Hello, my name is Arnav.");
    assertThat(
            eval("States.Format('\\{literal\\} {} {}', $.n, States.ArrayLength($.arr))").asText())
        .isEqualTo("{literal} 111 9");
    assertThat(eval("States.Format('it\\'s {}', $$.Execution.Name)").asText()).isEqualTo("it's e");
  }

  @Test
  void jsonConversion() {
    assertThat(eval("States.StringToJson('{\"number\": 20}')")).isEqualTo(json("{'number':20}"));
    assertThat(eval("States.JsonToString($.a)").asText()).isEqualTo("{\"x\":1,\"y\":2}");
  }

  @Test
  void arrays() {
    assertThat(eval("States.Array('Foo', 2020, $.a, null)"))
        .isEqualTo(json("['Foo',2020,{'x':1,'y':2},null]"));
    assertThat(eval("States.ArrayPartition($.arr, 4)"))
        .isEqualTo(json("[[1,2,3,4],[5,6,7,8],[9]]"));
    assertThat(eval("States.ArrayContains($.arr, 5)").asBoolean()).isTrue();
    assertThat(eval("States.ArrayRange(1, 9, 2)")).isEqualTo(json("[1,3,5,7,9]"));
    assertThat(eval("States.ArrayGetItem($.arr, 5)")).isEqualTo(json("6"));
    assertThat(eval("States.ArrayLength($.arr)")).isEqualTo(json("9"));
    assertThat(eval("States.ArrayUnique($.dup)")).isEqualTo(json("[1,2,3,4]"));
  }

  @Test
  void encodingAndHashing() {
    assertThat(eval("States.Base64Encode('Data to encode')").asText())
        .isEqualTo("RGF0YSB0byBlbmNvZGU=");
    assertThat(eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')").asText())
        .isEqualTo("Data to encode");
    assertThat(eval("States.Hash('input data', 'SHA-1')").asText())
        .isEqualTo("aaff4a450a104cd177d28d18d74485e8cae074b7");
    assertThat(eval("States.Hash('abc', 'SHA-256')").asText())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(eval("States.Hash('abc', 'MD5')").asText())
        .isEqualTo("900150983cd24fb0d6963f7d28e17f72");
  }

  @Test
  void mathAndMerge() {
    assertThat(eval("States.MathAdd($.n, -1)")).isEqualTo(json("110"));
    assertThat(eval("States.JsonMerge($.a, $.b, false)")).isEqualTo(json("{'x':1,'y':3,'z':4}"));
    int r = eval("States.MathRandom(1, 999)").asInt();
    assertThat(r).isBetween(1, 998);
    assertThat(eval("States.MathRandom(1, 999, 1234)"))
        .isEqualTo(eval("States.MathRandom(1, 999, 1234)"));
  }

  @Test
  void stringSplitAndUuid() {
    assertThat(eval("States.StringSplit($.str, '.+,=')"))
        .isEqualTo(json("['This','is','a','test','string']"));
    assertThat(eval("States.UUID()").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void failures_areStatesIntrinsicFailure() {
    for (String bad :
        new String[] {
          "States.Format('{} {}', 1)",
          "States.Nope(1)",
          "States.ArrayGetItem($.arr, 99)",
          "States.StringToJson('{oops')",
          "States.JsonMerge($.a, $.b, true)",
          "States.Hash('x', 'SHA-3')",
          "States.MathAdd('a', 1)",
          "States.Array(1",
          "States.ArrayLength($.missing)"
        }) {
      assertThatThrownBy(() -> eval(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              AslError.class, e -> assertThat(e.error()).isEqualTo("States.IntrinsicFailure"));
    }
  }
}
