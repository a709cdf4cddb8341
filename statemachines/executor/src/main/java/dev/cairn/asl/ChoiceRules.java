package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates Choice Rules (spec: "Choice Rules"): data-test expressions with every comparison
 * operator and its {@code Path} variant, {@code StringMatches}, the type tests, and the Boolean
 * combinators {@code And}, {@code Or} and {@code Not}. A comparison between values of different
 * types is false. A missing {@code Variable} (other than for {@code IsPresent}) is a {@code
 * States.Runtime} error, as in Step Functions.
 */
final class ChoiceRules {
  static final Set<String> OPERATORS =
      Set.of(
          "StringEquals",
          "StringLessThan",
          "StringGreaterThan",
          "StringLessThanEquals",
          "StringGreaterThanEquals",
          "StringMatches",
          "NumericEquals",
          "NumericLessThan",
          "NumericGreaterThan",
          "NumericLessThanEquals",
          "NumericGreaterThanEquals",
          "BooleanEquals",
          "TimestampEquals",
          "TimestampLessThan",
          "TimestampGreaterThan",
          "TimestampLessThanEquals",
          "TimestampGreaterThanEquals",
          "IsNull",
          "IsPresent",
          "IsNumeric",
          "IsString",
          "IsBoolean",
          "IsTimestamp",
          "StringEqualsPath",
          "StringLessThanPath",
          "StringGreaterThanPath",
          "StringLessThanEqualsPath",
          "StringGreaterThanEqualsPath",
          "NumericEqualsPath",
          "NumericLessThanPath",
          "NumericGreaterThanPath",
          "NumericLessThanEqualsPath",
          "NumericGreaterThanEqualsPath",
          "BooleanEqualsPath",
          "TimestampEqualsPath",
          "TimestampLessThanPath",
          "TimestampGreaterThanPath",
          "TimestampLessThanEqualsPath",
          "TimestampGreaterThanEqualsPath");

  private ChoiceRules() {}

  static boolean matches(ChoiceRule rule, JsonNode input, JsonNode context) {
    if (rule instanceof ChoiceRule.And and) {
      for (ChoiceRule r : and.rules()) {
        if (!matches(r, input, context)) {
          return false;
        }
      }
      return true;
    }
    if (rule instanceof ChoiceRule.Or or) {
      for (ChoiceRule r : or.rules()) {
        if (matches(r, input, context)) {
          return true;
        }
      }
      return false;
    }
    if (rule instanceof ChoiceRule.Not not) {
      return !matches(not.rule(), input, context);
    }
    ChoiceRule.Comparison c = (ChoiceRule.Comparison) rule;
    String operator = c.operator();
    Optional<JsonNode> variable = JsonPaths.read(c.variable(), input, context);
    if ("IsPresent".equals(operator)) {
      return variable.isPresent() == c.operand().asBoolean();
    }
    JsonNode value = variable.orElseThrow(() -> invalidValue(c.variable()));
    JsonNode expected = c.operand();
    String op = operator;
    if (operator.endsWith("Path")) {
      op = operator.substring(0, operator.length() - 4);
      String p = expected.asText();
      expected = JsonPaths.read(p, input, context).orElseThrow(() -> invalidValue(p));
    }
    return test(op, value, expected);
  }

  private static AslError invalidValue(String path) {
    return new AslError(
        Asl.RUNTIME,
        "Invalid path '"
            + path
            + "': The choice state's condition path references an invalid value.");
  }

  /** Parses a rule the validator accepted: a combinator or one comparison on a Variable. */
  static ChoiceRule parse(JsonNode rule) {
    if (rule.has("And")) {
      return new ChoiceRule.And(parseAll(rule.get("And")));
    }
    if (rule.has("Or")) {
      return new ChoiceRule.Or(parseAll(rule.get("Or")));
    }
    if (rule.has("Not")) {
      return new ChoiceRule.Not(parse(rule.get("Not")));
    }
    String operator = operatorOf(rule);
    return new ChoiceRule.Comparison(
        rule.path("Variable").asText(), operator, rule.get(operator).deepCopy());
  }

  private static List<ChoiceRule> parseAll(JsonNode rules) {
    List<ChoiceRule> out = new ArrayList<>();
    rules.forEach(r -> out.add(parse(r)));
    return out;
  }

  static String operatorOf(JsonNode rule) {
    Iterator<String> names = rule.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (OPERATORS.contains(n)) {
        return n;
      }
    }
    throw new AslDefinitionException("Choice rule has no comparison operator: " + rule);
  }

  private static boolean test(String op, JsonNode v, JsonNode e) {
    switch (op) {
      case "IsNull":
        return v.isNull() == e.asBoolean();
      case "IsNumeric":
        return v.isNumber() == e.asBoolean();
      case "IsString":
        return v.isTextual() == e.asBoolean();
      case "IsBoolean":
        return v.isBoolean() == e.asBoolean();
      case "IsTimestamp":
        return (v.isTextual() && Asl.parseTimestamp(v.asText()).isPresent()) == e.asBoolean();
      case "BooleanEquals":
        return v.isBoolean() && e.isBoolean() && v.asBoolean() == e.asBoolean();
      case "StringMatches":
        return v.isTextual() && e.isTextual() && wildcard(v.asText(), e.asText());
      default:
        break;
    }
    if (op.startsWith("String")) {
      if (!v.isTextual() || !e.isTextual()) {
        return false;
      }
      return compare(op.substring(6), v.asText().compareTo(e.asText()));
    }
    if (op.startsWith("Numeric")) {
      if (!v.isNumber() || !e.isNumber()) {
        return false;
      }
      BigDecimal a = v.decimalValue();
      BigDecimal b = e.decimalValue();
      return compare(op.substring(7), a.compareTo(b));
    }
    if (op.startsWith("Timestamp")) {
      if (!v.isTextual() || !e.isTextual()) {
        return false;
      }
      Optional<Instant> a = Asl.parseTimestamp(v.asText());
      Optional<Instant> b = Asl.parseTimestamp(e.asText());
      if (a.isEmpty() || b.isEmpty()) {
        return false;
      }
      return compare(op.substring(9), a.get().compareTo(b.get()));
    }
    throw new AslDefinitionException("unknown comparison operator " + op);
  }

  private static boolean compare(String relation, int c) {
    switch (relation) {
      case "Equals":
        return c == 0;
      case "LessThan":
        return c < 0;
      case "GreaterThan":
        return c > 0;
      case "LessThanEquals":
        return c <= 0;
      case "GreaterThanEquals":
        return c >= 0;
      default:
        throw new AslDefinitionException("unknown comparison " + relation);
    }
  }

  /** {@code StringMatches}: {@code *} matches any run of characters; {@code \*} and {@code \\}. */
  static boolean wildcard(String value, String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int k = 0; k < pattern.length(); k++) {
      char c = pattern.charAt(k);
      if (c == '\\' && k + 1 < pattern.length()) {
        literal.append(pattern.charAt(++k));
      } else if (c == '*') {
        regex.append(java.util.regex.Pattern.quote(literal.toString())).append(".*");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    regex.append(java.util.regex.Pattern.quote(literal.toString()));
    return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL)
        .matcher(value)
        .matches();
  }
}
