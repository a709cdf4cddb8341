package dev.cairn.aws.override;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.BreakGlassFlag;
import java.io.IOException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The SSM break-glass flag ({@code BREAK_GLASS_PARAMETER}, {@code {"enabled":false}}), read on
 * every request so turning it off takes effect at once. Missing, unreadable JSON, or anything but
 * {@code "enabled": true} is off.
 */
public final class SsmBreakGlassFlag implements BreakGlassFlag {

  private final SsmClient ssm;
  private final String parameter;

  public SsmBreakGlassFlag(SsmClient ssm, String parameter) {
    this.ssm = ssm;
    this.parameter = parameter;
  }

  @Override
  public boolean enabled() {
    String value;
    try {
      value =
          TransientErrors.translate(() -> ssm.getParameter(r -> r.name(parameter)))
              .parameter()
              .value();
    } catch (ParameterNotFoundException e) {
      return false;
    }
    try {
      JsonNode n = Json.parse(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return n.path("enabled").isBoolean() && n.path("enabled").booleanValue();
    } catch (IOException e) {
      return false;
    }
  }
}
