package dev.cairn.sandbox;

import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * STS for one caller: answers through the STS emulator and remembers which role each issued session
 * belongs to, so a client built with those credentials acts as that role.
 */
final class SessionIssuingSts implements StsClient {

  private final StsClient sts;
  private final SandboxClients.Sessions sessions;

  SessionIssuingSts(StsClient sts, SandboxClients.Sessions sessions) {
    this.sts = sts;
    this.sessions = sessions;
  }

  @Override
  public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
    AssumeRoleResponse response = sts.assumeRole(request);
    sessions.issued(response, request.roleArn());
    return response;
  }

  @Override
  public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
    return sts.getCallerIdentity(request);
  }

  @Override
  public String serviceName() {
    return sts.serviceName();
  }

  @Override
  public void close() {}
}
