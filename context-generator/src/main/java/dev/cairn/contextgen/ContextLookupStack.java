package dev.cairn.contextgen;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The lookups that define an environment's context. Nothing here is deployed: synthesizing this
 * stack with the {@code cdk-context-generator} role makes the CDK CLI resolve each {@code
 * fromLookup()} and record the answer in {@code cdk.context.json}, which is then blessed.
 */
public final class ContextLookupStack extends Stack {

  public ContextLookupStack(Construct scope, String id, LookupSpec spec) {
    super(
        scope,
        id,
        StackProps.builder()
            .env(Environment.builder().account(spec.account()).region(spec.region()).build())
            .description("Cairn context lookups (never deployed)")
            .build());
    // Availability zones: with a concrete env this is a context lookup, not a token.
    List<String> azs = getAvailabilityZones();
    CfnOutput.Builder.create(this, "AvailabilityZones").value(String.join(",", azs)).build();

    if (spec.vpcName() != null || !spec.vpcTags().isEmpty()) {
      VpcLookupOptions.Builder options = VpcLookupOptions.builder();
      if (spec.vpcName() != null) {
        options.vpcName(spec.vpcName());
      }
      if (!spec.vpcTags().isEmpty()) {
        options.tags(spec.vpcTags());
      }
      IVpc vpc = Vpc.fromLookup(this, "Vpc", options.build());
      CfnOutput.Builder.create(this, "VpcId").value(vpc.getVpcId()).build();
      CfnOutput.Builder.create(this, "PrivateSubnets")
          .value(Fn.join(",", vpc.getPrivateSubnets().stream().map(s -> s.getSubnetId()).toList()))
          .build();
    }

    int i = 0;
    for (String name : spec.ssmParameters()) {
      String value = StringParameter.valueFromLookup(this, name);
      CfnOutput.Builder.create(this, "Parameter" + (i++)).description(name).value(value).build();
    }
  }
}
