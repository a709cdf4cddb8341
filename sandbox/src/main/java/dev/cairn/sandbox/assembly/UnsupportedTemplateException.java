package dev.cairn.sandbox.assembly;

/** A template uses something the sandbox does not model; it names the stack and resource. */
public final class UnsupportedTemplateException extends RuntimeException {
  public UnsupportedTemplateException(String message) {
    super(message);
  }
}
