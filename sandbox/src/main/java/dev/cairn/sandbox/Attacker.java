package dev.cairn.sandbox;

import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.sandbox.iam.AwsCallMapper;
import dev.cairn.sandbox.iam.IamCheck;
import dev.cairn.sandbox.iam.IamEvaluator;
import dev.cairn.sandbox.iam.IamPolicies;
import dev.cairn.sandbox.iam.RecordedCall;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A compromised principal: SDK clients signed as its role whose every call IAM decides <em>before
 * it reaches the service</em>, with the synthesized policies and the same independent evaluator as
 * the run's IAM check. A denied call throws what AWS answers (HTTP 403, {@code AccessDenied}, or
 * {@code AccessDeniedException} for the JSON protocols) and never runs; an allowed call runs and is
 * recorded like any other, so the run's check shows every call that succeeded was one the policies
 * allow.
 *
 * <p>The other principals of the world are checked after the run, which is enough for code that
 * means to stay within its grants; an attacker means not to, so its calls are decided one by one.
 */
final class Attacker {

  /** One call IAM refused: who, what, on what, and the statement (or its absence) that decided. */
  record Denial(String principal, String action, String resource, String statement) {
    @Override
    public String toString() {
      return principal + " " + action + " on " + resource + " (" + statement + ")";
    }
  }

  /** A call that must be denied. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  private final SandboxWorld world;
  private final String roleArn;
  private final PemKeySigner signer;
  private final IamCheck iam;
  private final AwsCallMapper mapper = new AwsCallMapper();
  private final List<Denial> denials = new ArrayList<>();

  private Attacker(SandboxWorld world, String roleArn, PemKeySigner signer, IamCheck iam) {
    this.world = world;
    this.roleArn = roleArn;
    this.signer = signer;
    this.iam = iam;
  }

  /** The CI role ({@code cdk-ci-artifact-builder}) in the hands of whoever owns the runner. */
  static Attacker ci(SandboxWorld world) {
    return as(world, world.ci.roleArn());
  }

  /**
   * {@code roleArn} in the attacker's hands: a role CI may assume (a target's CDK bootstrap
   * publishing role), whose sessions a compromised runner holds as well.
   */
  static Attacker as(SandboxWorld world, String roleArn) {
    IamEvaluator evaluator =
        dev.cairn.sandbox.iam.IamCheckInstall.locate(
                world.repoRoot, world.clock, IamEvaluator.DEFAULT_TIMEOUT, world.notes)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "an attack scenario needs the IAM evaluator: node and npm on PATH"
                            + " (sandbox/iam-check installed under "
                            + world.repoRoot
                            + ", or the bundled one installed with npm ci)"));
    return new Attacker(
        world, roleArn, world.signer, new IamCheck(new IamPolicies(world.assembly), evaluator));
  }

  /** The role whose credentials the attacker holds. */
  String roleArn() {
    return roleArn;
  }

  /** CI's manifest signing key: CI holds it legitimately, so a compromised runner holds it too. */
  PemKeySigner signer() {
    return signer;
  }

  DynamoDbClient dynamoDb() {
    return world.dynamoServer.client(decidedByIam(), world.calls.interceptor(roleArn));
  }

  S3Client s3() {
    return world.s3Server.client(
        decidedByIam(), world.calls.interceptor(roleArn), world.notifications);
  }

  SsmClient ssm() {
    return client(SsmClient.class);
  }

  /** A tools-account service (an emulator) as the attacker's role; allowed calls are recorded. */
  <C extends SdkClient> C client(Class<C> type) {
    return decided(type, world.clients(roleArn).client(type));
  }

  /** {@code service} (an emulator, recording its calls) with every call decided by IAM first. */
  <C extends SdkClient> C decided(Class<C> type, C service) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (args != null && args.length == 1 && args[0] instanceof SdkRequest r) {
            String m = method.getName();
            decide(
                new CallLog.Call(
                    roleArn,
                    SandboxWorld.serviceName(type),
                    m.substring(0, 1).toUpperCase(Locale.ROOT) + m.substring(1),
                    r));
          } else if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          try {
            return method.invoke(service, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  /**
   * Runs {@code call}, which IAM must refuse; returns the refusal. A call that went through fails
   * the scenario: the attack was meant to be stopped there.
   */
  Denial denied(Call call) throws Exception {
    int before = denials.size();
    try {
      call.run();
    } catch (AwsServiceException e) {
      if (e.statusCode() == 403 && denials.size() > before) {
        return denials.get(denials.size() - 1);
      }
      throw e;
    }
    throw new IllegalStateException("IAM allowed a call the attack needed refused");
  }

  /** Every call IAM refused the attacker, in order. */
  List<Denial> denials() {
    return List.copyOf(denials);
  }

  private ExecutionInterceptor decidedByIam() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        decide(
            new CallLog.Call(
                roleArn,
                attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                context.request()));
      }
    };
  }

  /** Asks IAM; throws AWS's answer when it refuses (the client records an allowed call). */
  private void decide(CallLog.Call call) {
    List<RecordedCall> recorded = mapper.map(call, SandboxWorld.REGION, roleArn.split(":")[4]);
    IamCheck.Result r = iam.check(recorded, List.of());
    if (r.denied().isEmpty()) {
      return;
    }
    IamCheck.Denial d = r.denied().get(0);
    Denial denial = new Denial(d.principal(), d.action(), d.resource(), d.statement());
    denials.add(denial);
    world.notes.accept("IAM denies the attacker: " + denial);
    boolean json = !call.service().equals("S3");
    throw AwsServiceException.builder()
        .statusCode(403)
        .message(
            "User: "
                + roleArn
                + " is not authorized to perform: "
                + d.action()
                + " on resource: "
                + d.resource())
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .serviceName(call.service())
                .errorCode(json ? "AccessDeniedException" : "AccessDenied")
                .errorMessage("not authorized to perform: " + d.action())
                .build())
        .build();
  }
}
