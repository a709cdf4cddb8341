package dev.cairn.core.override;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Counts N-of-M approvals for one (service, commit, environment): distinct operator keys, so one
 * key signing twice (under one identity or two) counts once.
 */
public final class ApprovalTally {

  private ApprovalTally() {}

  /** Distinct key fingerprints among verified {@code approve} requests for the target. */
  public static Set<String> distinctApprovers(
      Collection<VerifiedOverride> approvals,
      String service,
      String commitSha,
      String environment) {
    Set<String> keys = new LinkedHashSet<>();
    for (VerifiedOverride v : approvals) {
      OverrideRequest r = v.request();
      if (r.action() == OverrideAction.APPROVE
          && r.service().equals(service)
          && r.commitSha().equals(commitSha)
          && environment.equals(r.environment())) {
        keys.add(v.keyFingerprint());
      }
    }
    return keys;
  }

  /** True when at least {@code required} distinct keys approved (0 means fully automated). */
  public static boolean satisfied(
      Collection<VerifiedOverride> approvals,
      String service,
      String commitSha,
      String environment,
      int required) {
    return required <= 0
        || distinctApprovers(approvals, service, commitSha, environment).size() >= required;
  }
}
