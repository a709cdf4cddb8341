package dev.cairn.aws.override;

import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.override.BreakGlassFlagState;
import dev.cairn.core.override.port.BreakGlassFlag;
import java.time.Clock;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The SSM break-glass flag ({@code BREAK_GLASS_PARAMETER}), read on every request so turning it
 * off, or its expiry, takes effect at once. The value's format is {@link BreakGlassFlagState}'s.
 */
public final class SsmBreakGlassFlag implements BreakGlassFlag {

  private final SsmClient ssm;
  private final String parameter;
  private final Clock clock;

  public SsmBreakGlassFlag(SsmClient ssm, String parameter, Clock clock) {
    this.ssm = ssm;
    this.parameter = parameter;
    this.clock = clock;
  }

  @Override
  public BreakGlassFlagState read() {
    String value;
    try {
      value =
          TransientErrors.translate(() -> ssm.getParameter(r -> r.name(parameter)))
              .parameter()
              .value();
    } catch (ParameterNotFoundException e) {
      return BreakGlassFlagState.missing();
    }
    return BreakGlassFlagState.parse(value, clock.instant());
  }
}
