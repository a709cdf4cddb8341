package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an intrinsic function call (spec "Intrinsic Functions"): nested calls, quoted strings with
 * escapes, paths, numbers, booleans and null. A malformed call is {@code States.IntrinsicFailure}.
 */
final class IntrinsicParser {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private IntrinsicParser() {}

  /** Parses {@code expression}, which must be one call with nothing after it. */
  static Call parse(String expression) {
    Parser p = new Parser(expression);
    Call call = p.call();
    p.skipSpaces();
    if (!p.atEnd()) {
      throw IntrinsicArgs.fail("Unexpected trailing characters in '" + expression + "'");
    }
    return call;
  }

  sealed interface Expr permits Literal, PathRef, Call {
    JsonNode eval(Intrinsics in, JsonNode input, JsonNode context);
  }

  record Literal(JsonNode value) implements Expr {
    @Override
    public JsonNode eval(Intrinsics in, JsonNode input, JsonNode context) {
      return value;
    }
  }

  record PathRef(String path) implements Expr {
    @Override
    public JsonNode eval(Intrinsics in, JsonNode input, JsonNode context) {
      return JsonPaths.read(path, input, context)
          .orElseThrow(
              () ->
                  IntrinsicArgs.fail("The JsonPath " + path + " could not be found in the input"));
    }
  }

  record Call(String name, List<Expr> args) implements Expr {
    @Override
    public JsonNode eval(Intrinsics in, JsonNode input, JsonNode context) {
      List<JsonNode> values = new ArrayList<>();
      for (Expr a : args) {
        values.add(a.eval(in, input, context));
      }
      return in.apply(name, values);
    }
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return i >= s.length();
    }

    void skipSpaces() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    Call call() {
      skipSpaces();
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String name = s.substring(start, i);
      if (!name.startsWith("States.")) {
        throw IntrinsicArgs.fail("Invalid intrinsic function '" + s + "'");
      }
      skipSpaces();
      expect('(');
      List<Expr> args = new ArrayList<>();
      skipSpaces();
      if (peek() == ')') {
        i++;
        return new Call(name, args);
      }
      while (true) {
        args.add(argument());
        skipSpaces();
        char c = peek();
        i++;
        if (c == ')') {
          return new Call(name, args);
        }
        if (c != ',') {
          throw IntrinsicArgs.fail(
              "Expected ',' or ')' at position " + (i - 1) + " in '" + s + "'");
        }
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw IntrinsicArgs.fail("Unexpected end of intrinsic function '" + s + "'");
      }
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw IntrinsicArgs.fail("Expected '" + c + "' at position " + i + " in '" + s + "'");
      }
      i++;
    }

    private Expr argument() {
      skipSpaces();
      char c = peek();
      if (c == '\'') {
        return new Literal(F.textNode(string()));
      }
      if (c == '$') {
        return new PathRef(path());
      }
      if (s.startsWith("States.", i)) {
        return call();
      }
      int start = i;
      while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ')') {
        i++;
      }
      String token = s.substring(start, i).trim();
      switch (token) {
        case "true":
          return new Literal(F.booleanNode(true));
        case "false":
          return new Literal(F.booleanNode(false));
        case "null":
          return new Literal(F.nullNode());
        default:
          try {
            BigDecimal number = new BigDecimal(token);
            return new Literal(IntrinsicArgs.number(number));
          } catch (NumberFormatException e) {
            throw IntrinsicArgs.fail("Invalid argument '" + token + "' in '" + s + "'");
          }
      }
    }

    private String string() {
      expect('\'');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '\\') {
          char next = peek();
          i++;
          // Escapes keep \{ and \} for States.Format, which treats them as literal braces.
          if (next == '{' || next == '}') {
            b.append('\\');
          }
          b.append(next);
        } else if (c == '\'') {
          return b.toString();
        } else {
          b.append(c);
        }
      }
    }

    private String path() {
      int start = i;
      int depth = 0;
      char quote = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '[' || c == '(') {
          depth++;
        } else if (c == ']' || (c == ')' && depth > 0)) {
          depth--;
        } else if (depth == 0 && (c == ',' || c == ')')) {
          break;
        }
        i++;
      }
      return s.substring(start, i).trim();
    }
  }
}
