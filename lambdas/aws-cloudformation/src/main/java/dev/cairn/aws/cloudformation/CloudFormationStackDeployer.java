package dev.cairn.aws.cloudformation;

import dev.cairn.core.assembly.TemplateObject;
import dev.cairn.core.deploy.ResourceChange;
import dev.cairn.core.pipeline.port.StackDeployer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetNotFoundException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.InvalidChangeSetStatusException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * {@link StackDeployer} on the CloudFormation and SSM APIs of one target environment, with clients
 * already holding the assumed deploy role's session credentials.
 */
public final class CloudFormationStackDeployer implements StackDeployer {

  /** What CDK passes for every deploy: templates may hold IAM resources and macros. */
  static final List<Capability> CAPABILITIES =
      List.of(
          Capability.CAPABILITY_IAM,
          Capability.CAPABILITY_NAMED_IAM,
          Capability.CAPABILITY_AUTO_EXPAND);

  private final CloudFormationClient cfn;
  private final SsmClient ssm;
  private final S3Client s3;

  /**
   * @param s3 S3 in the target's region with the same session: the deploy role reads the templates
   *     {@code cdk-assets} published, as CloudFormation will
   */
  public CloudFormationStackDeployer(CloudFormationClient cfn, SsmClient ssm, S3Client s3) {
    this.cfn = cfn;
    this.ssm = ssm;
    this.s3 = s3;
  }

  @Override
  public Optional<TemplateRead> readTemplate(String account, TemplateObject template) {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(
            r -> r.bucket(template.bucket()).key(template.key()).expectedBucketOwner(account))) {
      byte[] bytes = in.readNBytes(MAX_TEMPLATE_BYTES + 1);
      if (bytes.length > MAX_TEMPLATE_BYTES) {
        throw new IllegalStateException(
            template.s3Url() + " is over CloudFormation's " + MAX_TEMPLATE_BYTES + "-byte limit");
      }
      return Optional.of(new TemplateRead(bytes, in.response().versionId()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + template.s3Url(), e);
    }
  }

  @Override
  public Optional<StackState> describeStack(String stackName) {
    try {
      var stacks = cfn.describeStacks(r -> r.stackName(stackName)).stacks();
      if (stacks.isEmpty()) {
        return Optional.empty();
      }
      var s = stacks.get(0);
      return Optional.of(
          new StackState(
              s.stackName(),
              s.stackStatusAsString(),
              s.stackStatusReason(),
              Boolean.TRUE.equals(s.enableTerminationProtection()),
              s.lastUpdatedTime() != null ? s.lastUpdatedTime() : s.creationTime()));
    } catch (CloudFormationException e) {
      if (doesNotExist(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<ChangeSetState> describeChangeSet(String stackName, String changeSetName) {
    List<ResourceChange> changes = new ArrayList<>();
    String token = null;
    DescribeChangeSetResponse first = null;
    try {
      do {
        String next = token;
        DescribeChangeSetResponse page =
            cfn.describeChangeSet(
                r -> r.stackName(stackName).changeSetName(changeSetName).nextToken(next));
        if (first == null) {
          first = page;
        }
        page.changes()
            .forEach(
                c -> {
                  var rc = c.resourceChange();
                  if (rc != null) {
                    changes.add(
                        new ResourceChange(
                            rc.actionAsString(),
                            rc.logicalResourceId(),
                            rc.resourceType(),
                            rc.replacementAsString()));
                  }
                });
        token = page.nextToken();
      } while (token != null);
    } catch (ChangeSetNotFoundException e) {
      return Optional.empty();
    } catch (CloudFormationException e) {
      if (doesNotExist(e)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(
        new ChangeSetState(
            first.statusAsString(),
            first.statusReason(),
            first.executionStatusAsString(),
            changes,
            first.creationTime()));
  }

  @Override
  public void createChangeSet(ChangeSetRequest req) {
    try {
      cfn.createChangeSet(
          r ->
              r.stackName(req.stackName())
                  .changeSetName(req.changeSetName())
                  .changeSetType(req.create() ? ChangeSetType.CREATE : ChangeSetType.UPDATE)
                  .templateURL(req.templateUrl())
                  .parameters(
                      req.parameters().entrySet().stream()
                          .map(
                              p ->
                                  Parameter.builder()
                                      .parameterKey(p.getKey())
                                      .parameterValue(p.getValue())
                                      .build())
                          .toList())
                  .tags(
                      req.tags().entrySet().stream()
                          .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                          .toList())
                  .capabilities(CAPABILITIES)
                  .notificationARNs(req.notificationArns())
                  .roleARN(req.roleArn())
                  .clientToken(req.clientToken()));
    } catch (AlreadyExistsException e) {
      // A retried call: the change set with this name exists already; the rollout reads its state.
    }
  }

  @Override
  public void executeChangeSet(String stackName, String changeSetName, String clientToken) {
    try {
      cfn.executeChangeSet(
          r -> r.stackName(stackName).changeSetName(changeSetName).clientRequestToken(clientToken));
    } catch (InvalidChangeSetStatusException e) {
      // Already executing or executed (a retried call); the rollout reads the stack's status next.
    }
  }

  @Override
  public void deleteChangeSet(String stackName, String changeSetName) {
    cfn.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSetName));
  }

  @Override
  public void deleteStack(String stackName, String clientToken) {
    cfn.deleteStack(r -> r.stackName(stackName).clientRequestToken(clientToken));
  }

  @Override
  public void setStackPolicy(String stackName, String policyJson) {
    cfn.setStackPolicy(r -> r.stackName(stackName).stackPolicyBody(policyJson));
  }

  @Override
  public void updateTerminationProtection(String stackName, boolean enabled) {
    cfn.updateTerminationProtection(
        r -> r.stackName(stackName).enableTerminationProtection(enabled));
  }

  @Override
  public String detectDrift(String stackName) {
    return cfn.detectStackDrift(r -> r.stackName(stackName)).stackDriftDetectionId();
  }

  @Override
  public DriftState driftStatus(String detectionId) {
    DescribeStackDriftDetectionStatusResponse d =
        cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(detectionId));
    return new DriftState(
        d.detectionStatusAsString(),
        d.stackDriftStatusAsString(),
        d.driftedStackResourceCount() == null ? 0 : d.driftedStackResourceCount(),
        d.detectionStatusReason());
  }

  @Override
  public OptionalInt bootstrapVersion(String ssmParameterName) {
    try {
      String v = ssm.getParameter(r -> r.name(ssmParameterName)).parameter().value();
      return OptionalInt.of(Integer.parseInt(v.trim()));
    } catch (ParameterNotFoundException e) {
      return OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** CloudFormation reports a missing stack as a 400 ValidationError "... does not exist". */
  static boolean doesNotExist(CloudFormationException e) {
    return e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("does not exist");
  }
}
