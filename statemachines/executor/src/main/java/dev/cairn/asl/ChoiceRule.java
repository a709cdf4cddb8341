package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed Choice Rule (spec "Choice Rules"): a Boolean combinator or one data-test expression.
 * {@link ChoiceRules} evaluates them.
 */
sealed interface ChoiceRule
    permits ChoiceRule.And, ChoiceRule.Or, ChoiceRule.Not, ChoiceRule.Comparison {

  /** A top-level rule with the state it goes to when it matches. */
  record Branch(ChoiceRule rule, String next) {}

  record And(List<ChoiceRule> rules) implements ChoiceRule {
    public And {
      rules = List.copyOf(rules);
    }
  }

  record Or(List<ChoiceRule> rules) implements ChoiceRule {
    public Or {
      rules = List.copyOf(rules);
    }
  }

  record Not(ChoiceRule rule) implements ChoiceRule {}

  /**
   * {@code Variable} compared by {@code operator} (e.g. {@code NumericLessThanPath}) with {@code
   * operand}, the operator's value as written.
   */
  record Comparison(String variable, String operator, JsonNode operand) implements ChoiceRule {}
}
