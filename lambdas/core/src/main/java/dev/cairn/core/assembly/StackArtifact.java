package dev.cairn.core.assembly;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code aws:cloudformation:stack} artifact of a cloud assembly.
 *
 * @param artifactId the artifact's id in {@code manifest.json} (its display path for nested stages)
 * @param stackName the CloudFormation stack name
 * @param account the target account, from {@code environment} ({@code aws://account/region})
 * @param region the target region, from {@code environment}
 * @param templatePath the template file, relative to the artifact root
 * @param templateObject where {@code cdk-assets} published the template in the target account
 *     ({@code stackTemplateAssetObjectUrl}): what CloudFormation is given as {@code TemplateURL}
 * @param dependencies ids of the stack artifacts that must deploy first
 * @param requiresBootstrapStackVersion the minimum bootstrap version, or 0 when none is required
 * @param bootstrapStackVersionSsmParameter where the target records its bootstrap version
 * @param terminationProtection whether the stack must have termination protection on
 * @param notificationArns the SNS topics CloudFormation publishes the stack's events to, each in
 *     the stack's own account and region
 */
public record StackArtifact(
    String artifactId,
    String stackName,
    String account,
    String region,
    String templatePath,
    TemplateObject templateObject,
    Map<String, String> parameters,
    Map<String, String> tags,
    List<String> dependencies,
    int requiresBootstrapStackVersion,
    String bootstrapStackVersionSsmParameter,
    boolean terminationProtection,
    List<String> notificationArns) {

  public StackArtifact {
    Objects.requireNonNull(templateObject, "templateObject");
    notificationArns = List.copyOf(notificationArns);
    parameters = Map.copyOf(parameters);
    tags = Map.copyOf(tags);
    dependencies = List.copyOf(dependencies);
  }
}
