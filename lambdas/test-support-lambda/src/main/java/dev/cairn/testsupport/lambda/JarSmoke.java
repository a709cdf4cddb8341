package dev.cairn.testsupport.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs in a fresh JVM whose class path is one shipped Lambda jar and this class alone ({@link
 * ShippedJar} starts it): INIT as Lambda runs it (the handler's public no-arg constructor, from the
 * process environment), then its SnapStart priming, then one invocation with a real event. It names
 * no class of the jar and uses only the JDK, so what runs is what the jar holds.
 *
 * <p>Prints {@code JARSMOKE init}, {@code JARSMOKE primed}, then {@code JARSMOKE result <json>} or
 * {@code JARSMOKE threw <class>: <message>} for an exception the handler throws (a transient or
 * domain error Step Functions routes). A {@link LinkageError} (a class or resource the jar lacks)
 * is never caught here: the JVM exits non-zero with its stack trace.
 *
 * <p>One class file, no nested ones: {@link ShippedJar} copies this class alone.
 *
 * <p>Arguments: the handler's class name, the event file.
 */
public final class JarSmoke {

  private JarSmoke() {}

  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    Object handler = unwrap(() -> type.getConstructor().newInstance());
    System.out.println("JARSMOKE init");
    Object priming = unwrap(() -> type.getMethod("priming").invoke(handler));
    unwrap(() -> priming.getClass().getMethod("prime").invoke(priming));
    System.out.println("JARSMOKE primed");
    Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context");
    Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, context);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      unwrap(() -> handle.invoke(handler, new ByteArrayInputStream(event), out, null));
      System.out.println("JARSMOKE result " + out.toString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      System.out.println("JARSMOKE threw " + e.getClass().getName() + ": " + e.getMessage());
    }
    System.out.flush();
    System.exit(0);
  }

  /** The handler's own throwable, not reflection's wrapper. */
  private static Object unwrap(Callable<Object> call) throws Exception {
    try {
      return call.call();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }
}
