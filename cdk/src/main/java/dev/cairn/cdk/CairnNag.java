package dev.cairn.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/** cdk-nag suppressions; every one carries its reason. */
public final class CairnNag {
  private CairnNag() {}

  /** Suppresses {@code ruleId} on {@code construct} and its children, for {@code reason}. */
  public static void suppress(IConstruct construct, String ruleId, String reason) {
    if (construct instanceof Stack stack) {
      NagSuppressions.addStackSuppressions(
          stack, List.of(NagPackSuppression.builder().id(ruleId).reason(reason).build()), true);
      return;
    }
    NagSuppressions.addResourceSuppressions(
        construct, List.of(NagPackSuppression.builder().id(ruleId).reason(reason).build()), true);
  }
}
