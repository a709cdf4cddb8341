package dev.cairn.sandbox.iam;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The independent evaluator's answer for one {@link IamRequest}.
 *
 * @param decision {@code Allowed}, {@code ImplicitlyDenied} or {@code ExplicitlyDenied}
 * @param statement the statement that decided: its Sid if it has one, otherwise {@code
 *     policyType:policyName#index} and the statement as compact JSON; for an implicit deny, which
 *     policy had no Allow (for example {@code no Allow in permissions boundary})
 * @param ignoredContextKeys context keys iam-simulate does not know for this action and dropped; a
 *     condition on one of them was evaluated as if the key were absent
 */
public record IamDecision(
    IamRequest request, String decision, String statement, List<String> ignoredContextKeys) {

  private static final Set<String> DECISIONS =
      Set.of("Allowed", "ImplicitlyDenied", "ExplicitlyDenied");

  public IamDecision {
    Objects.requireNonNull(request, "request");
    if (!DECISIONS.contains(decision)) {
      throw new IllegalArgumentException("decision must be one of " + DECISIONS + ": " + decision);
    }
    statement = Objects.requireNonNull(statement, "statement");
    ignoredContextKeys = List.copyOf(ignoredContextKeys);
  }

  public IamDecision(IamRequest request, String decision, String statement) {
    this(request, decision, statement, List.of());
  }

  public boolean allowed() {
    return decision.equals("Allowed");
  }

  public boolean explicitlyDenied() {
    return decision.equals("ExplicitlyDenied");
  }
}
