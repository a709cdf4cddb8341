package dev.cairn.sandbox;

import dev.cairn.asl.HistoryEvent;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.iam.CdkBootstrapTemplate;
import dev.cairn.sandbox.local.http.KmsJsonProtocol;
import dev.cairn.sandbox.local.http.LambdaInvokeProtocol;
import dev.cairn.sandbox.local.http.LocalAwsEndpoint;
import dev.cairn.sandbox.local.http.S3Forwarding;
import dev.cairn.sandbox.local.http.StepFunctionsJsonProtocol;
import dev.cairn.sandbox.local.http.StsQueryProtocol;
import java.security.KeyPair;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

/**
 * The sandbox world's AWS for other processes: what one {@link LocalAwsEndpoint} serves for it,
 * whether {@code cairn sandbox up} or a test runs the world. STS (the templates' roles and the
 * target accounts' bootstrap roles), S3 (the tools account's buckets and the target accounts'
 * bootstrap buckets, each with its owner), KMS, Lambda {@code Invoke} and the Step Functions reads.
 * Each call is recorded as its caller's, in the world's call log, for IAM.
 */
final class LocalAwsServices {

  /** CI's KMS signing key: the alias the synthesized key carries and the workflow signs with. */
  static final String CI_SIGNER_ALIAS = "alias/cdk-ci-artifact-signer";

  private LocalAwsServices() {}

  /**
   * Puts CI's signing key pair behind the synthesized key's id and alias: the key whose public half
   * the installation's trust policy pins, so {@code manifest sign --kms-key-id} signs with the key
   * policy the template gives it.
   */
  static void importCiSigner(SandboxWorld w) {
    KeyPair ciSigner =
        new KeyPair(
            PemKeys.readPublicKey(
                w.trustPolicy.signer(SandboxWorld.SIGNER).orElseThrow().publicKeyText()),
            PemKeys.readPrivateKey(ControlPlaneAssembly.classpathFile("keys/ci-signer.pem")));
    String keyId = keyId(w.assembly, CI_SIGNER_ALIAS);
    w.kms.importKey(keyId, KeySpec.ECC_NIST_P256, ciSigner);
    w.kms.createAlias(CI_SIGNER_ALIAS, keyId);
  }

  /**
   * Serves {@code w} on {@code endpoint}. Every service that reaches the world holds {@code lock};
   * {@code objectCreated} sees each object a {@code PutObject} through the endpoint created.
   */
  static void serve(
      SandboxWorld w,
      LocalAwsEndpoint endpoint,
      Lock lock,
      Function<String, List<HistoryEvent>> histories,
      BiConsumer<String, String> objectCreated) {
    LocalAwsEndpoint.Recorder recorder =
        (principal, service, operation, request) ->
            w.calls.record(new CallLog.Call(principal, service, operation, request));
    Set<String> roles = new HashSet<>(w.roleArns());
    Map<String, String> bucketOwners = new LinkedHashMap<>();
    for (ControlPlaneAssembly.Resource b : w.assembly.resources("AWS::S3::Bucket")) {
      bucketOwners.put(b.physicalId(), b.stack().account());
    }
    CdkBootstrapTemplate bootstrap = CdkBootstrapTemplate.fromClasspath();
    for (EnvironmentPolicy e : w.chain.environments()) {
      bucketOwners.put(SandboxWorld.assetBucket(e), e.account());
      // What cdk bootstrap --trust TOOLS created there: the publishing roles CI assumes.
      roles.addAll(
          bootstrap
              .bootstrap(e.account(), e.region(), "hnb659fds", List.of(SandboxWorld.TOOLS_ACCOUNT))
              .roles()
              .keySet());
    }
    endpoint
        .serve("sts", new StsQueryProtocol(endpoint, roles::contains, recorder))
        .serve(
            "s3",
            new S3Forwarding(
                    w.s3Server.endpoint(),
                    LocalS3.ACCESS_KEY,
                    LocalS3.SECRET_KEY,
                    SandboxWorld.REGION,
                    b -> Optional.ofNullable(bucketOwners.get(b)),
                    recorder)
                .onObjectCreated(objectCreated))
        .serve(
            "kms",
            LocalAwsEndpoint.underLock(
                lock,
                new KmsJsonProtocol(
                    principal -> w.calls.recording(KmsClient.class, w.kms, "Kms", principal),
                    keyId -> w.kms.keyArn(keyId))))
        .serve(
            "lambda", LocalAwsEndpoint.underLock(lock, new LambdaInvokeProtocol(w::lambdaClient)))
        .serve(
            "states",
            LocalAwsEndpoint.underLock(
                lock, new StepFunctionsJsonProtocol(w.sfn, w.stateMachineArn, histories)));
  }

  private static String keyId(ControlPlaneAssembly assembly, String alias) {
    for (ControlPlaneAssembly.Resource a : assembly.resources("AWS::KMS::Alias")) {
      if (alias.equals(a.properties().path("AliasName").asText())) {
        String target = a.properties().path("TargetKeyId").asText();
        return target.substring(target.lastIndexOf('/') + 1);
      }
    }
    throw new IllegalStateException("the assembly has no KMS alias " + alias);
  }
}
