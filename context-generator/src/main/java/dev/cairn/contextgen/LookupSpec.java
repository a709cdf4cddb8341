package dev.cairn.contextgen;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one environment's context contains: the lookups the secure pipeline performs. Read from
 * {@code lookups.json} (see {@code lookups.example.json}); one entry per environment.
 */
@JsonIgnoreProperties(value = {"$comment"})
public record LookupSpec(
    @JsonProperty("account") String account,
    @JsonProperty("region") String region,
    @JsonProperty("vpc_name") String vpcName,
    @JsonProperty("vpc_tags") Map<String, String> vpcTags,
    @JsonProperty("ssm_parameters") List<String> ssmParameters) {

  public LookupSpec {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    if (!account.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("account must be 12 digits: " + account);
    }
    vpcTags = vpcTags == null ? Map.of() : Map.copyOf(vpcTags);
    ssmParameters = ssmParameters == null ? List.of() : List.copyOf(ssmParameters);
  }

  /** Reads the environment {@code env} from a lookups file. */
  public static LookupSpec load(Path file, String env) {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode all;
    try {
      all = json.readTree(file.toFile());
      if (!all.has(env) || env.startsWith("$")) {
        java.util.List<String> names = new java.util.ArrayList<>();
        all.fieldNames()
            .forEachRemaining(
                n -> {
                  if (!n.startsWith("$")) {
                    names.add(n);
                  }
                });
        throw new IllegalArgumentException(
            "no environment '" + env + "' in " + file + " (have " + names + ")");
      }
      return json.treeToValue(all.get(env), LookupSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
