package dev.cairn.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cdk.config.CairnConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Synthesizes Cairn's own cloud assembly for the sandbox installation ({@code
 * cairn.config.sandbox.json}: tools account 000000000000, stage 111111111111, prod 222222222222).
 * The sandbox runs this assembly: its state machine, functions, rules, schedules, alarms and IAM
 * policies. The installation's trust roots are generated here, once per build: CI's signing key,
 * the context generator's blessing key and the operators' keys. Their public halves go into the
 * config before synth (so the control-plane parameter in the template pins them, as an operator's
 * config would); the private halves are written beside the assembly for the sandbox's CI and
 * operators. They are sandbox keys: they sign nothing outside it.
 *
 * <p>Usage: {@code SandboxAssembly CONFIG_TEMPLATE REPO_ROOT OUT_DIR [ANY_APP_CONFIG_TEMPLATE]}.
 * Writes {@code OUT_DIR/cairn-sandbox-assembly/cdk.out/}, {@code .../keys/<identity>.pem}, the
 * record MAC key's material {@code .../keys/record-mac.hmac} and, with the fourth argument, {@code
 * .../any-app/cdk.out/} (same keys).
 */
public final class SandboxAssembly {

  /** Classpath root of the assembly in the jar the sandbox reads it from. */
  public static final String RESOURCE_ROOT = "cairn-sandbox-assembly";

  /** Placeholder in the config template → key identity. */
  private static final Map<String, String> KEYS =
      Map.of(
          "SIGNER_PUBLIC_KEY", "ci-signer",
          "CONTEXT_SIGNER_PUBLIC_KEY", "context-signer",
          "OPS_ALICE_PUBLIC_KEY", "ops-alice",
          "OPS_BOB_PUBLIC_KEY", "ops-bob");

  /** The record MAC key's material, base64, beside the signing keys. */
  public static final String RECORD_MAC_KEY = "record-mac.hmac";

  private SandboxAssembly() {}

  /**
   * The sandbox's second installation, under {@code RESOURCE_ROOT/}{@value #ANY_APP}: the one
   * {@code sandbox run --cdk-out} runs a user's own assembly on when its stacks are named as CDK
   * names the stacks of a {@code cdk.Stage} called {@code Stage} and {@code Prod}
   * (docs/decisions/2026-12-06-cdk-out-installation.md). Same accounts and trust roots.
   */
  public static final String ANY_APP = "any-app";

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 4) {
      throw new IllegalArgumentException(
          "usage: SandboxAssembly CONFIG_TEMPLATE REPO_ROOT OUT_DIR [ANY_APP_CONFIG_TEMPLATE]");
    }
    Path template = Path.of(args[0]);
    Path repoRoot = Path.of(args[1]).toAbsolutePath().normalize();
    Path root = Path.of(args[2]).toAbsolutePath().resolve(RESOURCE_ROOT);
    Path keys = Files.createDirectories(root.resolve("keys"));
    Map<String, String> publicKeys = new LinkedHashMap<>();
    Map<String, KeyPair> generated = new LinkedHashMap<>();
    for (Map.Entry<String, String> k : KEYS.entrySet()) {
      KeyPair pair = generated.computeIfAbsent(k.getValue(), id -> ecKey());
      Files.writeString(
          keys.resolve(k.getValue() + ".pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      publicKeys.put(k.getKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }
    // The record MAC key's material (KMS HMAC_256, alias/cairn-record-mac): every sandbox process
    // of this build imports the same, so `sandbox run --reuse` and the `sandbox up` it writes into
    // authenticate each other's ledger and audit items, as one KMS key would.
    byte[] recordMac = new byte[32];
    new java.security.SecureRandom().nextBytes(recordMac);
    Files.writeString(
        keys.resolve(RECORD_MAC_KEY), Base64.getEncoder().encodeToString(recordMac) + "\n");
    Path lambdaCode = Files.createDirectories(root.getParent().resolve("sandbox-lambda-code"));
    Files.writeString(
        lambdaCode.resolve("README.txt"),
        "The sandbox runs each function's Handler class from its own classpath.\n");
    Path asl = repoRoot.resolve("statemachines/deploy-artifact-pipeline.asl.json");
    synth(template, publicKeys, root, lambdaCode, asl, false);
    if (args.length == 4) {
      synth(Path.of(args[3]), publicKeys, root.resolve(ANY_APP), lambdaCode, asl, true);
    }
  }

  /** Synthesizes one installation into {@code root/cdk.out} and writes its config beside it. */
  private static void synth(
      Path template,
      Map<String, String> publicKeys,
      Path root,
      Path lambdaCode,
      Path asl,
      boolean anyApp)
      throws Exception {
    String config = Files.readString(template);
    for (Map.Entry<String, String> k : publicKeys.entrySet()) {
      config =
          config.replace(
              "\"${" + k.getKey() + "}\"", new ObjectMapper().writeValueAsString(k.getValue()));
    }
    JsonNode tree = new ObjectMapper().readTree(config);
    App app = new App(AppProps.builder().outdir(root.resolve("cdk.out").toString()).build());
    CairnApp.build(
        app,
        anyApp
            ? CairnConfigLoader.fromTreeForSandboxAnyApp(tree, template.toString())
            : CairnConfigLoader.fromTree(tree, template.toString()),
        LambdaArtifacts.allFrom(lambdaCode),
        asl);
    app.synth();
    Files.writeString(root.resolve("config.json"), config, StandardCharsets.UTF_8);
  }

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
