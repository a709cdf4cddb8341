package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.validation;

import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetNotFoundException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.InvalidChangeSetStatusException;

/**
 * The error shapes of the CloudFormation API as the emulator answers them: the error code, HTTP
 * status and message text of a {@code ValidationError} (a missing or malformed member, a stack that
 * does not exist), {@code ChangeSetNotFound} and {@code InvalidChangeSetStatus}, verbatim from the
 * service where the service's text is known.
 */
final class CloudFormationErrors {

  private CloudFormationErrors() {}

  static final Pattern NAME = Pattern.compile("[a-zA-Z][-a-zA-Z0-9]*");

  static String required(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw validation(
          "1 validation error detected: Value null at '"
              + field
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  static void checkName(String name, String field) {
    if (name.length() > 128 || !NAME.matcher(name).matches()) {
      throw validation(
          "1 validation error detected: Value '"
              + name
              + "' at '"
              + field
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
    }
  }

  static CloudFormationException validation(String message) {
    return AwsErrors.error(
        CloudFormationException.builder(), "CloudFormation", "ValidationError", 400, message);
  }

  static CloudFormationException stackNotFound(String name) {
    return validation("Stack with id " + name + " does not exist");
  }

  static ChangeSetNotFoundException changeSetNotFound(String name) {
    return AwsErrors.error(
        ChangeSetNotFoundException.builder(),
        "CloudFormation",
        "ChangeSetNotFound",
        404,
        "ChangeSet [" + name + "] does not exist");
  }

  static InvalidChangeSetStatusException invalidChangeSetStatus(String message) {
    return AwsErrors.error(
        InvalidChangeSetStatusException.builder(),
        "CloudFormation",
        "InvalidChangeSetStatus",
        400,
        message);
  }

  /** The error CloudFormation returns when throttled: code {@code Throttling}, status 400. */
  static CloudFormationException throttling() {
    return AwsErrors.error(
        CloudFormationException.builder(), "CloudFormation", "Throttling", 400, "Rate exceeded");
  }
}
