package dev.cairn.core.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TemplateObjectTest {

  @Test
  void fromAssetObjectUrl_resolvesPlaceholdersAgainstTheStackEnvironment() {
    TemplateObject t =
        TemplateObject.fromAssetObjectUrl(
            "s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/${AWS::Partition}/abc.json",
            "111111111111",
            "eu-west-1");

    assertThat(t.bucket()).isEqualTo("cdk-hnb659fds-assets-111111111111-eu-west-1");
    assertThat(t.key()).isEqualTo("aws/abc.json");
    assertThat(t.region()).isEqualTo("eu-west-1");
    assertThat(t.s3Url())
        .isEqualTo("s3://cdk-hnb659fds-assets-111111111111-eu-west-1/aws/abc.json");
  }

  @Test
  void templateUrl_isRegionalPathStyleHttps() {
    TemplateObject t =
        TemplateObject.fromAssetObjectUrl(
            "s3://cdk-hnb659fds-assets-111111111111-us-east-1/0f49.json",
            "111111111111",
            "us-east-1");

    assertThat(t.templateUrl())
        .isEqualTo(
            "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-111111111111-us-east-1/0f49.json");
  }

  @Test
  void templateUrl_percentEncodesTheKeyButKeepsSlashes() {
    TemplateObject t = new TemplateObject("us-east-1", "my.bucket", "pre fix/a+b~c_d-e.json");

    assertThat(t.templateUrl())
        .isEqualTo("https://s3.us-east-1.amazonaws.com/my.bucket/pre%20fix/a%2Bb~c_d-e.json");
  }

  @Test
  void templateUrl_inChinaRegions_usesTheChinaDomain() {
    assertThat(new TemplateObject("cn-north-1", "b-1", "k.json").templateUrl())
        .isEqualTo("https://s3.cn-north-1.amazonaws.com.cn/b-1/k.json");
    assertThat(TemplateObject.partition("us-gov-west-1")).isEqualTo("aws-us-gov");
  }

  @Test
  void fromAssetObjectUrl_whenNotAnS3BucketAndKey_isRefused() {
    assertThatThrownBy(
            () ->
                TemplateObject.fromAssetObjectUrl(
                    "https://b.s3.amazonaws.com/k.json", "111111111111", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TemplateObject.fromAssetObjectUrl("s3://bucket-only/", "111111111111", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TemplateObject.fromAssetObjectUrl("s3://Bad_Bucket/k", "111111111111", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromAssetObjectUrl_whenAPlaceholderIsLeft_isRefused() {
    assertThatThrownBy(
            () ->
                TemplateObject.fromAssetObjectUrl(
                    "s3://bucket-1/${AWS::URLSuffix}/k.json", "111111111111", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${AWS::URLSuffix}");
  }

  @Test
  void templateUrl_withAVersion_addsS3sVersionIdQuery_encoded() {
    TemplateObject t = new TemplateObject("us-east-1", "b-1", "k.json");

    assertThat(t.templateUrl("3sL4kqtJ/lcpX+roD="))
        .isEqualTo(t.templateUrl() + "?versionId=3sL4kqtJ%2FlcpX%2BroD%3D");
    assertThatThrownBy(() -> t.templateUrl(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.templateUrl(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
