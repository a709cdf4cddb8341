package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.testsupport.S3LocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code Transform} section as CloudFormation processes it when it creates a change set (User
 * Guide, "AWS::Serverless transform"; "Control access with IAM"; API reference, CreateChangeSet,
 * Capabilities): the SAM transform of a template without SAM syntax expands to the template without
 * its {@code Transform}, authorized on the transform's own ARN; what the emulator cannot expand is
 * refused, never deployed unexpanded.
 */
@ExtendWith(S3LocalExtension.class)
class TemplateTransformsTest {

  private static final String QUEUE = "\"Queue\":{\"Type\":\"AWS::SQS::Queue\",\"Properties\":{}}";

  private final S3Client s3;
  private final List<String> authorized = new ArrayList<>();
  private CloudFormationEmulator cfn;

  TemplateTransformsTest(S3Client s3) {
    this.s3 = s3;
  }

  @BeforeEach
  void setUp() {
    cfn =
        new CloudFormationEmulator(
            "111111111111",
            "eu-west-1",
            Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC),
            s3);
    cfn.onTemplateFetch(
        new TemplateFetchListener() {
          @Override
          public void fetched(String account, String bucket, String key) {}

          @Override
          public void transformAuthorized(String account, String transformArn) {
            authorized.add(account + " " + transformArn);
          }
        });
  }

  private String createChangeSet(String template) {
    // No CAPABILITY_AUTO_EXPAND: for change sets "This capacity doesn't apply to creating change
    // sets, and specifying it when creating change sets has no effect" (CreateChangeSet).
    return cfn.createChangeSet(
            r ->
                r.stackName("app")
                    .changeSetName("cs-1")
                    .changeSetType(ChangeSetType.CREATE)
                    .templateBody(template))
        .id();
  }

  @Test
  void samTransform_withoutServerlessResources_expandsToTheTemplateWithoutItsTransform()
      throws Exception {
    String id =
        createChangeSet(
            "{\"Transform\":\"AWS::Serverless-2016-10-31\",\"Resources\":{" + QUEUE + "}}");

    for (int i = 0;
        i < 10
            && cfn.describeChangeSet(r -> r.changeSetName(id)).status()
                != ChangeSetStatus.CREATE_COMPLETE;
        i++) {}
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(id)).status())
        .isEqualTo(ChangeSetStatus.CREATE_COMPLETE);
    var processed =
        new ObjectMapper()
            .readTree(cfn.getTemplate(r -> r.changeSetName(id).stackName("app")).templateBody());
    assertThat(processed.has("Transform")).isFalse();
    assertThat(processed.at("/Resources/Queue/Type").asText()).isEqualTo("AWS::SQS::Queue");
    assertThat(authorized)
        .containsExactly(
            "111111111111 arn:aws:cloudformation:eu-west-1:aws:transform/Serverless-2016-10-31");
  }

  @Test
  void samTransform_asAList_isTheSame() {
    createChangeSet(
        "{\"Transform\":[\"AWS::Serverless-2016-10-31\"],\"Resources\":{" + QUEUE + "}}");

    assertThat(authorized).hasSize(1);
  }

  @Test
  void samTransform_withAServerlessResource_isRefusedNamingItsType() {
    String template =
        "{\"Transform\":\"AWS::Serverless-2016-10-31\",\"Resources\":{"
            + QUEUE
            + ",\"Fn\":{\"Type\":\"AWS::Serverless::Function\",\"Properties\":{}}}}";

    assertThatThrownBy(() -> createChangeSet(template))
        .isExactlyInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("AWS::Serverless-2016-10-31")
        .hasMessageContaining("[AWS::Serverless::Function]");
    assertThat(authorized).isEmpty();
  }

  @Test
  void anotherTransform_isRefused() {
    assertThatThrownBy(
            () ->
                createChangeSet(
                    "{\"Transform\":[\"AWS::Serverless-2016-10-31\",\"AWS::Include\"],"
                        + "\"Resources\":{"
                        + QUEUE
                        + "}}"))
        .isExactlyInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("AWS::Include");
  }

  @Test
  void transformArn_isAwsOwned_withoutAccount_inTheRegionsPartition() {
    assertThat(TemplateTransforms.transformArn("us-east-1", TemplateTransforms.SAM))
        .isEqualTo("arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31");
    assertThat(TemplateTransforms.transformArn("cn-north-1", TemplateTransforms.SAM))
        .startsWith("arn:aws-cn:cloudformation:cn-north-1:aws:transform/");
  }
}
