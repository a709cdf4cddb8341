package dev.cairn.sandbox;

import dev.cairn.sandbox.iam.AwsCallMapper;
import dev.cairn.sandbox.iam.IamDecision;
import dev.cairn.sandbox.iam.IamEvaluator;
import dev.cairn.sandbox.iam.IamPolicies;
import dev.cairn.sandbox.iam.RecordedCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * IAM deciding each call of a live world as it is made, by the independent evaluator ({@code
 * evaluate.mjs --serve}, one node process) against the synthesized policies: the same mapping and
 * the same policies as {@code sandbox run}'s check after the run, but a denied call is not made.
 * Its caller gets AWS's error for that protocol ({@code AccessDenied} for S3 and STS, {@code
 * AccessDeniedException} for the JSON services) and every denial is reported as it happens. A call
 * the evaluator cannot decide (an unknown caller, a request iam-simulate rejects) is refused too:
 * the check fails closed.
 */
final class InlineIam implements CallLog.Gate, AutoCloseable {

  /** One refused call. */
  record Denial(String principal, String action, String resource, String why) {
    @Override
    public String toString() {
      return principal + " may not " + action + " on " + resource + ": " + why;
    }
  }

  private final IamPolicies policies;
  private final AwsCallMapper mapper = new AwsCallMapper();
  private final IamEvaluator.Server evaluator;
  private final Consumer<Denial> report;
  private final List<Denial> denials = new ArrayList<>();
  private final AtomicLong decided = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();

  InlineIam(IamPolicies policies, IamEvaluator evaluator, Consumer<Denial> report) {
    this.policies = policies;
    this.evaluator = evaluator.serve();
    this.report = report;
  }

  @Override
  public void check(CallLog.Call call) {
    List<RecordedCall> mapped;
    try {
      mapped = mapper.map(call, SandboxWorld.REGION, call.principalArn().split(":")[4]);
    } catch (RuntimeException e) {
      deny(
          new Denial(
              call.principalArn(),
              call.service() + ":" + call.operation(),
              "?",
              "IAM could not map the call: " + e.getMessage()));
      return;
    }
    mapped.forEach(this::check);
  }

  @Override
  public void check(RecordedCall call) {
    long start = System.nanoTime();
    IamDecision d;
    try {
      d = evaluator.decide(policies.request(call));
    } catch (RuntimeException e) {
      deny(
          new Denial(
              call.principalArn(),
              call.action(),
              call.resourceArn(),
              "IAM could not decide: " + e.getMessage()));
      return;
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
      decided.incrementAndGet();
    }
    if (!d.allowed()) {
      deny(new Denial(call.principalArn(), call.action(), call.resourceArn(), d.statement()));
    }
  }

  private void deny(Denial denial) {
    synchronized (denials) {
      denials.add(denial);
    }
    report.accept(denial);
    String service = denial.action().contains(":") ? denial.action().split(":")[0] : "";
    boolean query = service.equals("s3") || service.equals("sts");
    throw AwsServiceException.builder()
        .statusCode(service.equals("kms") || service.equals("states") ? 400 : 403)
        .message(denial.toString())
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(query ? "AccessDenied" : "AccessDeniedException")
                .errorMessage(
                    "User: "
                        + denial.principal()
                        + " is not authorized to perform: "
                        + denial.action()
                        + " on resource: "
                        + denial.resource()
                        + " ("
                        + denial.why()
                        + ")")
                .serviceName(service)
                .build())
        .build();
  }

  /** The calls refused so far. */
  List<Denial> denials() {
    synchronized (denials) {
      return List.copyOf(denials);
    }
  }

  /** How many calls were decided, and their mean cost in microseconds. */
  String cost() {
    long n = decided.get();
    return n + " calls decided, " + (n == 0 ? 0 : nanos.get() / n / 1000) + " µs each on average";
  }

  @Override
  public void close() {
    evaluator.close();
  }
}
