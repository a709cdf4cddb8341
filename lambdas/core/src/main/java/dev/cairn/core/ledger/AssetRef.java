package dev.cairn.core.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code assets}: {@code { hash, s3_uri?, ecr_uri? }}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssetRef(
    @JsonProperty("hash") String hash,
    @JsonProperty("s3_uri") String s3Uri,
    @JsonProperty("ecr_uri") String ecrUri) {
  public AssetRef {
    if (hash == null || hash.isBlank()) {
      throw new IllegalArgumentException("asset hash is required");
    }
  }
}
